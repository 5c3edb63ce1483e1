/**
 * The display rule for stored strings, shared by the host (tree labels,
 * tooltips) and the webviews: strings cross the protocol as stored, and each
 * side makes invisible characters visible before showing them.
 */

/**
 * C0 and C1 control characters, line and paragraph separators, and the
 * bidirectional embedding, override and isolate controls, which can make
 * text display in an order other than the stored one.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Replaces invisible characters with visible escapes (`\n`, `\x07`,
 * `\u202e`), so a stored string shows as one line in its stored order.
 * With `keepLineBreaks`, newlines and tabs stay as they are, for
 * multi-line text such as JSON.
 */
export function visibleText(value: string, options: { keepLineBreaks?: boolean } = {}): string {
  return value.replace(INVISIBLE, (char) => {
    if (options.keepLineBreaks && (char === '\n' || char === '\t')) return char;
    switch (char) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default: {
        const code = char.charCodeAt(0);
        return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
      }
    }
  });
}

/**
 * Cuts text to at most `max` code points, ending with an ellipsis when cut,
 * so a 100,000-character stored name cannot fill a panel. Cuts between code
 * points, never inside a surrogate pair.
 */
export function croppedText(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, Math.max(1, max - 1)).join('')}…`;
}
