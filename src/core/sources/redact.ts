/**
 * Keeps secrets out of labels, logs and error messages. Every message a team
 * source produces passes through `scrubSecrets` with the secrets it was given.
 */

/** Returns the URL without user name, password, query or fragment: `postgresql://host:5432/db`. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    const host = url.host === '' ? '' : url.host;
    const scheme = url.protocol.replace(/\+[^:]*:$/, ':');
    return `${scheme}//${host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    // Not a URL: drop anything that looks like user:password@ before a host.
    return text.replace(/\/\/[^/@\s]*@/g, '//');
  }
}

/**
 * Replaces every secret, raw and percent-encoded, and every user:password@
 * part of a URL with `***`. Secrets shorter than 3 characters are left alone,
 * because replacing them would garble every message.
 */
export function scrubSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let result = message.replace(/(\/\/[^/:@\s]*):[^/@\s]*@/g, '$1:***@');
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) result = result.split(form).join('***');
  }
  return result;
}
