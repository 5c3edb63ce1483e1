/**
 * Loads tree-sitter (web-tree-sitter) and the Python grammar from local
 * WebAssembly files, never from the network. The bundled server finds both
 * files next to itself in dist/; run from source, it finds them in
 * node_modules.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Tree } from 'web-tree-sitter';
// The CommonJS build of web-tree-sitter, on purpose: its ES module build finds
// itself through `import.meta.url`, which is empty once bundled into the
// CommonJS server, while the CommonJS build uses `__dirname`.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
import TreeSitter = require('web-tree-sitter');

const { Language, Parser } = TreeSitter;
type Parser = TreeSitter.Parser;

export const RUNTIME_WASM = 'tree-sitter.wasm';
export const PYTHON_WASM = 'tree-sitter-python.wasm';

/** Unit of the node offsets the parser reports for a JavaScript string. */
export type OffsetUnit = 'utf16' | 'utf8';

export interface ParserFiles {
  runtime: string;
  grammar: string;
}

/**
 * Finds the two wasm files: first in `directory` when given, then next to
 * this module (the bundle's folder), then in the installed packages.
 */
export function locateParserFiles(directory?: string): ParserFiles {
  const runtime = firstExisting(RUNTIME_WASM, [directory, __dirname], () => require.resolve(`web-tree-sitter/${RUNTIME_WASM}`));
  const grammar = firstExisting(PYTHON_WASM, [directory, __dirname], () => require.resolve(`tree-sitter-python/${PYTHON_WASM}`));
  return { runtime, grammar };
}

function firstExisting(fileName: string, directories: (string | undefined)[], fromPackage: () => string): string {
  for (const directory of directories) {
    if (!directory) continue;
    const candidate = path.join(directory, fileName);
    if (fs.existsSync(candidate)) return candidate;
  }
  try {
    return fromPackage();
  } catch {
    const searched = directories.filter((d): d is string => d !== undefined).join(', ');
    throw new Error(`${fileName} was not found in ${searched} nor in node_modules; reinstall the package or rebuild dist/.`);
  }
}

export class PythonParser {
  private constructor(
    private readonly parser: Parser,
    readonly offsetUnit: OffsetUnit,
  ) {}

  static async load(files: ParserFiles): Promise<PythonParser> {
    // Handing over the runtime's bytes avoids web-tree-sitter's own lookup
    // relative to the script that loaded it. The typings ask for a whole
    // Emscripten module, but init reads only the fields it is given.
    const bytes = fs.readFileSync(files.runtime);
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    await Parser.init({ wasmBinary } as Partial<EmscriptenModule> as EmscriptenModule);
    const language = await Language.load(fs.readFileSync(files.grammar));
    const parser = new Parser();
    parser.setLanguage(language);
    return new PythonParser(parser, detectOffsetUnit(parser));
  }

  /** Parses one file. The caller owns the tree and must call `delete()` on it. */
  parse(text: string): Tree {
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree for a Python file.');
    return tree;
  }

  dispose(): void {
    this.parser.delete();
  }
}

/**
 * web-tree-sitter 0.25 passes strings to the parser as UTF-16 and reports
 * code-unit offsets, while native tree-sitter reports UTF-8 bytes. A one-line
 * probe with a non-ASCII character shows which unit this build reports, so
 * offsets stay exact if the pinned version changes.
 */
function detectOffsetUnit(parser: Parser): OffsetUnit {
  const probe = 'x = "\u00e9"\n';
  const tree = parser.parse(probe);
  try {
    const end = tree?.rootNode.firstNamedChild?.endIndex;
    if (end === 7) return 'utf16';
    if (end === 8) return 'utf8';
    throw new Error(`tree-sitter reported offset ${end} for the end of a 7-character statement; offsets cannot be converted.`);
  } finally {
    tree?.delete();
  }
}
