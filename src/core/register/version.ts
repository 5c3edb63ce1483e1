/**
 * The next version of an asset name: a patch, minor or major bump of the
 * highest stored version, keeping its `v` prefix. FlowyML itself never
 * increments versions (an asset defaults to `v1.0.0`), so a name with no
 * stored version starts there too.
 */
import { compareVersionStrings } from '../model/versions';

export type VersionBump = 'patch' | 'minor' | 'major';

export const FIRST_VERSION = 'v1.0.0';

/** The index of the part each bump increments. */
const BUMP_PART: Record<VersionBump, number> = { major: 0, minor: 1, patch: 2 };

const BUMPABLE = /^([vV]?)(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Finds the highest of the stored versions that parse as numbers with dots, in semantic order. */
export function highestVersion(stored: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const version of stored) {
    if (!BUMPABLE.test(version.trim())) continue;
    if (best === undefined || compareVersionStrings(version, best) > 0) best = version;
  }
  return best;
}

/**
 * Bumps a version. A pre-release goes to its own release when that is the
 * requested bump (`2.0.0-rc.1` patch → `2.0.0`, `2.1.0-rc.1` minor → `2.1.0`);
 * otherwise the part is incremented and the parts
 * after it reset to zero. Versions with fewer than three parts are padded.
 */
export function bumpVersion(version: string, bump: VersionBump): string {
  const match = BUMPABLE.exec(version.trim());
  if (!match) return FIRST_VERSION;
  const prefix = match[1];
  const parts = match[2].split('.').map(Number);
  while (parts.length < 3) parts.push(0);
  const index = BUMP_PART[bump];
  const isPreRelease = match[3] !== undefined;
  const restIsZero = parts.slice(index + 1).every((p) => p === 0);
  if (!(isPreRelease && restIsZero)) {
    parts[index] += 1;
    for (let i = index + 1; i < parts.length; i++) parts[i] = 0;
  }
  return `${prefix}${parts.join('.')}`;
}

export function nextVersion(stored: Iterable<string>, bump: VersionBump = 'patch'): string {
  const highest = highestVersion(stored);
  return highest === undefined ? FIRST_VERSION : bumpVersion(highest, bump);
}

/** True when `candidate` names the same version as one already stored (`v1.0.0` and `1.0.0` are the same). */
export function versionTaken(stored: Iterable<string>, candidate: string): boolean {
  for (const version of stored) {
    if (version === candidate) return true;
    if (BUMPABLE.test(version.trim()) && BUMPABLE.test(candidate.trim()) && compareVersionStrings(version, candidate) === 0) return true;
  }
  return false;
}
