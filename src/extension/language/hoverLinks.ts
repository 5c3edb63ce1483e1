/**
 * Adapts the server's `command:` hover links to how VS Code reads them.
 * The server writes `command:<id>?<encodeURIComponent(JSON args)>`, the
 * usual form. VS Code's command opener decodes that query twice, once in
 * URI.parse and once more before JSON.parse (seen in VS Code 1.139.1), so an
 * argument holding a percent sign (version ids encode `/` as `%2F`) reached
 * the command changed. Encoding the query once more makes the second
 * decoding give back the server's arguments exactly.
 */
import * as vscode from 'vscode';

/** Encodes the query of every link to one of `commands` a second time; other text is left as it is. */
export function encodeCommandLinks(markdown: string, commands: readonly string[]): string {
  let result = '';
  let rest = markdown;
  for (;;) {
    const found = nextLink(rest, commands);
    if (!found) return result + rest;

    const query = argumentsQuery(rest.slice(found.queryStart));
    if (query === undefined) {
      result += rest.slice(0, found.queryStart);
      rest = rest.slice(found.queryStart);
      continue;
    }
    result += rest.slice(0, found.queryStart) + encodeURIComponent(query);
    rest = rest.slice(found.queryStart + query.length);
  }
}

/** Re-encodes the command links of a hover's Markdown parts, keeping their trust settings. */
export function adaptHover(hover: vscode.Hover, commands: readonly string[]): vscode.Hover {
  const contents = hover.contents.map((part) => {
    if (!(part instanceof vscode.MarkdownString)) return part;
    const adapted = new vscode.MarkdownString(encodeCommandLinks(part.value, commands), part.supportThemeIcons);
    adapted.isTrusted = part.isTrusted;
    adapted.supportHtml = part.supportHtml;
    adapted.baseUri = part.baseUri;
    return adapted;
  });

  return new vscode.Hover(contents, hover.range);
}

function nextLink(text: string, commands: readonly string[]): { queryStart: number } | undefined {
  let best: number | undefined;
  for (const command of commands) {
    const prefix = `(command:${command}?`;
    const at = text.indexOf(prefix);
    if (at !== -1 && (best === undefined || at + prefix.length < best)) best = at + prefix.length;
  }

  return best === undefined ? undefined : { queryStart: best };
}

/**
 * Finds where the query ends. encodeURIComponent leaves `(` and `)`
 * unencoded, so the link's closing parenthesis is the first `)` after which
 * the decoded query is a JSON array.
 */
function argumentsQuery(text: string): string | undefined {
  const end = text.search(/\s/);
  const candidate = end === -1 ? text : text.slice(0, end);
  for (let close = candidate.indexOf(')'); close !== -1; close = candidate.indexOf(')', close + 1)) {
    const query = candidate.slice(0, close);
    try {
      if (Array.isArray(JSON.parse(decodeURIComponent(query)))) return query;
    } catch {
      // Not the end of the query yet: a `)` inside the arguments.
    }
  }

  return undefined;
}
