/**
 * Static values of Python expressions: string literals with their escapes,
 * f-strings and `+` whose parts are constants, and module-level constants.
 * Anything that depends on run-time values is reported as unknown, never
 * guessed.
 */
import type { Node } from 'web-tree-sitter';
import type { NameValue } from './model';

/** A piece of a string value; null stands for a part only known at run time. */
type Piece = string | null;

/** Guards against constants defined through each other in a cycle, and against deep nesting. */
const MAX_DEPTH = 32;

export class ValueResolver {
  private constructor(private readonly constants: Map<string, Node[]>) {}

  /** Collects the module-level assignments of a file, including those inside module-level if/try/with blocks. */
  static forModule(root: Node): ValueResolver {
    const constants = new Map<string, Node[]>();
    const visit = (block: Node): void => {
      for (const statement of block.namedChildren) {
        if (!statement) continue;
        if (statement.type === 'expression_statement') {
          for (const child of statement.namedChildren) if (child) recordAssignment(child, constants);
        } else if (MODULE_LEVEL_BLOCKS.has(statement.type)) {
          for (const block of nestedBlocks(statement)) visit(block);
        }
      }
    };
    visit(root);
    return new ValueResolver(constants);
  }

  /** Returns the name an expression gives, static or computed. */
  name(node: Node): NameValue {
    const pieces = this.pieces(node, 0, false);
    if (pieces.every((p): p is string => p !== null)) {
      return { kind: 'static', value: pieces.join(''), constant: node.type === 'identifier' ? node.text : undefined };
    }
    return { kind: 'computed', text: node.text, pattern: patternOf(pieces) };
  }

  /** Returns the static string value of an expression, or undefined when any part is unknown. */
  string(node: Node): string | undefined {
    const value = this.name(node);
    return value.kind === 'static' ? value.value : undefined;
  }

  /**
   * The element nodes of a list or tuple, following a module-level constant
   * that contains one. A lone string counts as a list of one.
   */
  elements(node: Node, depth = 0): Node[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (node.type) {
      case 'list':
      case 'tuple':
        return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((c) => c?.type !== 'comment');
        return inner ? this.elements(inner, depth + 1) : undefined;
      }
      case 'string':
      case 'concatenated_string':
        return [node];
      case 'identifier': {
        const value = this.constantValue(node.text);
        return value ? this.elements(value, depth + 1) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** The right-hand side of a constant assigned exactly once at module level. */
  constantValue(name: string): Node | undefined {
    const assigned = this.constants.get(name);
    return assigned && assigned.length === 1 ? assigned[0] : undefined;
  }

  private pieces(node: Node, depth: number, inFString: boolean): Piece[] {
    if (depth > MAX_DEPTH) return [null];
    switch (node.type) {
      case 'string':
        return this.stringPieces(node, depth);
      case 'concatenated_string':
        return node.namedChildren.flatMap((c) => (c ? this.pieces(c, depth + 1, false) : []));
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((c) => c?.type !== 'comment');
        return inner ? this.pieces(inner, depth + 1, inFString) : [null];
      }
      case 'binary_operator': {
        if (node.childForFieldName('operator')?.type !== '+') return [null];
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right || isNumber(left) || isNumber(right)) return [null];
        return [...this.pieces(left, depth + 1, false), ...this.pieces(right, depth + 1, false)];
      }
      case 'integer':
        // f"{3}" is "3"; integers elsewhere are not strings. Floats format differently in Python, so they stay unknown.
        return inFString && /^[0-9]+$/.test(node.text) ? [String(Number(node.text))] : [null];
      case 'identifier': {
        const value = this.constantValue(node.text);
        return value ? this.pieces(value, depth + 1, inFString) : [null];
      }
      default:
        return [null];
    }
  }

  private stringPieces(node: Node, depth: number): Piece[] {
    const start = node.child(0);
    const prefix = start?.type === 'string_start' ? start.text.replace(/["']+$/, '').toLowerCase() : '';
    if (prefix.includes('b')) return [null];
    const raw = prefix.includes('r');
    const formatted = prefix.includes('f');

    const pieces: Piece[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'string_content') {
        pieces.push(decodeStringContent(child.text, raw, formatted));
      } else if (child.type === 'interpolation') {
        pieces.push(...this.interpolationPieces(child, depth));
      }
    }
    return pieces;
  }

  private interpolationPieces(node: Node, depth: number): Piece[] {
    // A conversion (!r) or a format spec changes the text; only plain {NAME} is static.
    if (node.childForFieldName('type_conversion') || node.childForFieldName('format_specifier')) return [null];
    const expression = node.childForFieldName('expression');
    return expression ? this.pieces(expression, depth + 1, true) : [null];
  }
}

const MODULE_LEVEL_BLOCKS = new Set(['if_statement', 'try_statement', 'with_statement']);
const BLOCK_CLAUSES = new Set(['else_clause', 'elif_clause', 'except_clause', 'finally_clause']);

/** Lists the blocks of an if/try/with statement, including those of its else, elif, except and finally clauses. */
function nestedBlocks(statement: Node): Node[] {
  const blocks: Node[] = [];
  for (const child of statement.namedChildren) {
    if (!child) continue;
    if (child.type === 'block') blocks.push(child);
    else if (BLOCK_CLAUSES.has(child.type)) blocks.push(...child.namedChildren.filter((c): c is Node => c?.type === 'block'));
  }
  return blocks;
}

function recordAssignment(node: Node, constants: Map<string, Node[]>): void {
  if (node.type === 'augmented_assignment') {
    const left = node.childForFieldName('left');
    if (left?.type === 'identifier') push(constants, left.text, node);
    return;
  }
  if (node.type !== 'assignment') return;

  // `A = B = "x"` nests one assignment in another; every target gets the final value.
  const targets: Node[] = [];
  let current: Node | null = node;
  while (current?.type === 'assignment') {
    const left = current.childForFieldName('left');
    if (left) targets.push(left);
    current = current.childForFieldName('right');
  }
  for (const target of targets) {
    // Unpacking (`A, B = …`) and bare annotations (`A: str`) give no single value.
    if (target.type !== 'identifier') continue;
    push(constants, target.text, current && current.type !== 'assignment' ? current : target);
  }
}

function push(map: Map<string, Node[]>, key: string, value: Node): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function isNumber(node: Node): boolean {
  return node.type === 'integer' || node.type === 'float';
}

function patternOf(pieces: Piece[]): RegExp | undefined {
  if (!pieces.some((p) => p !== null && p !== '')) return undefined;
  let source = '';
  let previousUnknown = false;
  for (const piece of pieces) {
    if (piece === null) {
      if (!previousUnknown) source += '.+';
      previousUnknown = true;
    } else if (piece !== '') {
      source += piece.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      previousUnknown = false;
    }
  }
  return new RegExp(`^${source}$`, 's');
}

/** Hex digits after `\x`, `\u` and `\U`. */
const HEX_ESCAPE_WIDTHS: Record<string, number> = { x: 2, u: 4, U: 8 };

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/**
 * Decodes the text between the quotes of a Python string the way Python
 * does. Unknown escapes keep their backslash, and `\N{…}` stays as written
 * because resolving Unicode character names needs a table this server does
 * not carry.
 */
export function decodeStringContent(text: string, raw: boolean, formatted: boolean): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (formatted && (c === '{' || c === '}') && text[i + 1] === c) {
      out += c;
      i += 2;
      continue;
    }
    if (c !== '\\' || raw || i + 1 >= text.length) {
      out += c;
      i += 1;
      continue;
    }

    const next = text[i + 1];
    if (next === '\n') {
      i += 2;
    } else if (next === '\r') {
      i += text[i + 2] === '\n' ? 3 : 2;
    } else if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i += 2;
    } else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += 1 + digits.length;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = HEX_ESCAPE_WIDTHS[next];
      const hex = text.slice(i + 2, i + 2 + width);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === width ? parseInt(hex, 16) : NaN;
      if (Number.isNaN(code) || code > 0x10ffff) {
        out += c;
        i += 1;
      } else {
        out += String.fromCodePoint(code);
        i += 2 + width;
      }
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}
