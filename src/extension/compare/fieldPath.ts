/**
 * Reads one field of a version by the path a comparison gives it
 * (`properties.hyperparameters.C`, `extra["a.b"]`, `tags.stage`), for the
 * read-only documents of the diff editor. Free of `vscode`, so unit tests
 * can run it.
 */
import type { VersionDetails } from '../../core';
import { templateSide } from '../../core/compare/prompt';
import { stringifyJson } from '../../core/json/tolerant';

/** The path of a prompt's template text, which is no stored field but the template the core reads from it. */
export const TEMPLATE_PATH = 'template';

/** Splits `a.b["c.d"][2]` into `a`, `b`, `c.d` and `2`. Returns undefined for a path that is not written that way. */
export function splitFieldPath(path: string): string[] | undefined {
  const keys: string[] = [];
  const pattern = /\.?([A-Za-z_][A-Za-z0-9_]*)|\[("(?:[^"\\]|\\.)*"|\d+|-1)\]/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < path.length && (match = pattern.exec(path)) !== null) {
    if (match[1] !== undefined) keys.push(match[1]);
    else keys.push(match[2].startsWith('"') ? (JSON.parse(match[2]) as string) : match[2]);
  }

  return pattern.lastIndex === path.length && keys.length > 0 ? keys : undefined;
}

/** Returns the value at `path` in a version, or undefined when the version has no such field. */
export function fieldValue(details: VersionDetails, path: string): unknown {
  const keys = splitFieldPath(path);
  if (!keys) return undefined;

  const roots: Record<string, unknown> = {
    properties: details.properties.typed,
    extra: details.properties.extra,
    tags: details.version.tags,
  };
  let value: unknown = roots[keys[0]];
  for (const key of keys.slice(1)) {
    if (Array.isArray(value)) value = value.at(Number(key));
    else if (typeof value === 'object' && value !== null && Object.hasOwn(value, key)) value = (value as Record<string, unknown>)[key];
    else return undefined;
  }

  return value;
}

/**
 * Returns the text the diff editor shows for one field: a string as it is, any
 * other value as indented JSON, and for `template` the prompt's template
 * text. `language` is `json` for JSON text, so the editor colours it.
 */
export function fieldDocument(details: VersionDetails, path: string): { text: string; language: 'json' | 'plaintext'; found: boolean } {
  if (path === TEMPLATE_PATH) {
    const side = templateSide(details);
    return { text: side.text ?? '', language: 'plaintext', found: side.text !== null };
  }

  const value = fieldValue(details, path);
  if (value === undefined) return { text: '', language: 'plaintext', found: false };
  if (typeof value === 'string') return { text: value, language: 'plaintext', found: true };

  return { text: `${stringifyJson(value, 2)}\n`, language: 'json', found: true };
}
