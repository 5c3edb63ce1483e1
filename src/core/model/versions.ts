/**
 * Version strings and derived ordinals. FlowyML stores versions as free-form
 * strings (`v2.0.0`, `2025.09.29`, `0.3.17`) or not at all, so every version
 * also gets an ordinal `#N`: its place by creation time among the versions of
 * the same (type, name).
 */

interface ParsedVersion {
  core: number[];
  /** Dot-separated pre-release identifiers; empty for a release. */
  pre: (number | string)[];
}

const VERSION_PATTERN = /^[vV]?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parseVersion(text: string): ParsedVersion | undefined {
  const match = VERSION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const core = match[1].split('.').map(Number);
  const pre = match[2] ? match[2].split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)) : [];
  return { core, pre };
}

/**
 * Compares two version strings semantically: `v1.10.0` after `v1.9.0`, a
 * pre-release before its release (`2.0.0-rc.1` < `2.0.0`), missing trailing
 * parts count as zero. Strings that are not versions compare naturally, after
 * all parseable versions.
 */
export function compareVersionStrings(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (pa && pb) return compareParsed(pa, pb);
  if (pa) return -1;
  if (pb) return 1;
  return naturalCollator.compare(a, b);
}

const naturalCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

function compareParsed(a: ParsedVersion, b: ParsedVersion): number {
  const length = Math.max(a.core.length, b.core.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.core[i] ?? 0) - (b.core[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (a.pre.length === 0 && b.pre.length === 0) return 0;
  // A release sorts after any of its pre-releases.
  if (a.pre.length === 0) return 1;
  if (b.pre.length === 0) return -1;
  const preLength = Math.max(a.pre.length, b.pre.length);
  for (let i = 0; i < preLength; i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
    // Numeric identifiers sort before alphanumeric ones, as in SemVer 2.0.0 §11.
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * The label shown for a version: `v2.0.0 (#5)`, or `#5` when nothing is
 * stored. A stored string that itself looks like an ordinal is quoted, so a
 * derived label is never mistaken for a stored one.
 */
export function versionLabel(storedVersion: string | undefined, ordinal: number): string {
  if (storedVersion === undefined || storedVersion === '') return `#${ordinal}`;
  const stored = /^#\d+/.test(storedVersion) ? JSON.stringify(storedVersion) : storedVersion;
  return `${stored} (#${ordinal})`;
}

/** Orders versions of one asset: by stored version where both have one, else by ordinal. */
export function compareAssetVersions(
  a: { storedVersion: string | undefined; ordinal: number },
  b: { storedVersion: string | undefined; ordinal: number },
): number {
  if (a.storedVersion && b.storedVersion && a.storedVersion !== b.storedVersion) {
    const bySemver = compareVersionStrings(a.storedVersion, b.storedVersion);
    if (bySemver !== 0) return bySemver;
  }
  return a.ordinal - b.ordinal;
}
