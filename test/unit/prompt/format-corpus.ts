/**
 * The corpus of the differential tests: hand-written edge cases, plus cases
 * from a seeded random generator. Every divergence from CPython found so far
 * has a hand-written case here.
 */
import { PY_NONE, pyBool, pyDict, pyFloat, pyInt, pyList, pyStr, type PyValue } from '../../../src/core/prompt';

/** The keyword arguments every corpus template is rendered with. */
export const STANDARD_VARIABLES: [string, PyValue][] = [
  ['name', pyStr('Ada')],
  ['s', pyStr('str')],
  ['empty', pyStr('')],
  ['quote', pyStr("it's")],
  ['dq', pyStr('say "hi"')],
  ['both', pyStr(`it's "both"`)],
  ['nl', pyStr('a\nb\tc\\d\re')],
  ['uni', pyStr('héllo wörld ☃ 😀')],
  ['ctrl', pyStr('\x00\x1f\x7f\x80\x9f\xa0\xad')],
  ['zw', pyStr('\u200b\u2028\u3000\ufeff\ue000\uffff')],
  ['surrogate', pyStr('a\ud800b')],
  ['cjk', pyStr('日本語')],
  ['café', pyStr('crème')],
  ['i', pyInt(42)],
  ['neg', pyInt(-42)],
  ['zero', pyInt(0)],
  ['big', pyInt(10n ** 30n)],
  ['huge', pyInt(-(2n ** 70n) - 12345n)],
  ['toolarge', pyInt(10n ** 400n)],
  ['cp', pyInt(0x110000)],
  ['snow', pyInt(0x2603)],
  ['astral', pyInt(0x1f600)],
  ['f', pyFloat(3.14159)],
  ['nf', pyFloat(-2.5)],
  ['fz', pyFloat(-0)],
  ['f0', pyFloat(0)],
  ['nz', pyFloat(-0.04)],
  ['ftiny', pyFloat(1e-7)],
  ['fbig', pyFloat(1e22)],
  ['f16', pyFloat(1e16)],
  ['fint', pyFloat(2)],
  ['half', pyFloat(0.5)],
  ['h25', pyFloat(2.5)],
  ['e125', pyFloat(0.125)],
  ['e1005', pyFloat(1.005)],
  ['money', pyFloat(1234567.891)],
  ['sub', pyFloat(5e-324)],
  ['fmax', pyFloat(Number.MAX_VALUE)],
  ['nan', pyFloat(NaN)],
  ['inf', pyFloat(Infinity)],
  ['ninf', pyFloat(-Infinity)],
  ['t', pyBool(true)],
  ['fa', pyBool(false)],
  ['none', PY_NONE],
  ['l', pyList([pyInt(10), pyStr('x'), pyFloat(2.5), PY_NONE, pyBool(true)])],
  ['d', pyDict([
    [pyStr('k'), pyStr('v')],
    [pyStr('0'), pyStr('zero-str')],
    [pyStr('a:b'), pyStr('colon')],
    [pyStr('nested'), pyDict([[pyStr('a'), pyList([pyInt(1), pyInt(2)])]])],
    [pyStr("it's"), pyFloat(1.5)],
  ])],
  ['di', pyDict([[pyInt(0), pyStr('int0')], [pyInt(1), pyStr('one')], [pyStr('1'), pyStr('str1')]])],
  ['db', pyDict([[pyBool(true), pyStr('true-key')], [pyFloat(2), pyStr('float-key')]])],
  ['tu', { type: 'tuple', items: [pyInt(1), pyStr('a')] }],
  ['tu1', { type: 'tuple', items: [pyStr('only')] }],
  ['e', pyList([])],
  ['ed', pyDict([])],
  ['w', pyInt(10)],
  ['p', pyInt(3)],
  ['fill', pyStr('*')],
  ['align', pyStr('^')],
  ['spec', pyStr('>8')],
  ['zs', pyStr('0')],
  ['brace', pyStr('{')],
];

/** Hand-written templates, grouped by what they exercise. */
export const HAND_WRITTEN: string[] = [
  // Plain text, escapes and JSON examples.
  '', 'plain text', 'Hello {name}!', '{name}{name}', '{{', '}}', '{{}}', '{{name}}', '{{{name}}}', '{{{{name}}}}',
  'Return JSON like {{"name": "{name}", "tags": ["a", "b"]}}',
  'Example: {"a": 1}',
  '{ "key": "value" }',
  'Use {{x}} literally and {name} for real',
  'line1\n{name}\nline3 {i}\r\n{f}',
  'Respond with {{\n  "answer": "{name}",\n  "score": {f:.2f}\n}}',
  'nested {{ {{ {name} }} }}',
  'tab\t{name}\ttab',
  // Syntax errors.
  '{', '}', 'a}b', 'a{', '{name', '{name!', '{name!r', '{name!x}', '{name!rr}', '{name!r }', '{name:', '{name:{w}',
  '{name{w}}', '{name{}', '{name}}', '{{name}', '}{name}', '{name}{', '{name[}', '{name[0}', '{l[0]', '{l[0]x', '{name.b',
  '{name.b!', '{name:{w}}}', '{name:{w:}}}', '{name!}}', '{name!:}', '{name!', '{!}', '{:', '{name:{',
  // Positional fields: FlowyML passes only keywords.
  '{}', '{0}', '{1}', '{01}', '{0.x}', '{[0]}', '{:>5}', '{!r}', '{99999999999999999999}', '{9223372036854775807}',
  '{9223372036854775808}', '{١}', '{name} {}', '{name:{}}', '{name:{0}}',
  // Missing keys and key spelling.
  '{missing}', '{missing.attr}', '{missing!x}', '{missing:{w:{p}}}', '{missing:{b[}}', '{ name}', '{name }', '{é}',
  '{café}', '{1a}', '{a-b}', '{a b}', "{it's}", '{name]}',
  // Attributes.
  '{d.k}', '{l.x}', '{i.x}', '{none.x}', '{t.x}', '{f.x}', '{name.x}', '{name.}', '{name..x}', '{name.[0]}', '{i.real}',
  '{i.imag}', '{i.numerator}', '{i.denominator}', '{neg.real}', '{f.real}', '{f.imag}', '{t.real}', '{t.denominator}',
  '{fa.imag}', '{i.real.real}', '{i.real.x}', '{i.é}', "{i.it's}", '{i.x y}',
  // Indexing.
  '{l[0]}', '{l[1]}', '{l[4]}', '{l[5]}', '{l[04]}', '{l[١]}', '{l[-1]}', '{l[ 0]}', '{l[x]}', '{l[]}', '{l[0]x}',
  '{l[1]]}', '{l[0][0]}', '{l[1][0]}', '{l[0].real}', '{l[0].}', '{l[99999999999999999999]}', '{d[k]}', '{d[0]}',
  '{d[a:b]}', '{d[nested][a][1]}', '{d[nested][a][2]}', '{d[nested].a}', "{d[it's]}", '{d[missing]}', '{d[k]!r}',
  '{d[k]:>5}', '{di[0]}', '{di[1]}', '{di[2]}', '{di[x]}', '{db[1]}', '{db[2]}', '{db[0]}', '{tu[1]}', '{tu[5]}',
  '{tu[x]}', '{name[0]}', '{name[2]}', '{name[3]}', '{name[x]}', '{uni[6]}', '{uni[15]}', '{i[0]}', '{none[0]}',
  '{f[0]}', '{t[0]}', '{name[{]}', '{d[}]}', '{name[x]y]}',
  // Conversions.
  '{name!r}', '{name!s}', '{name!a}', '{quote!r}', '{dq!r}', '{both!r}', '{nl!r}', '{uni!r}', '{uni!a}', '{ctrl!r}',
  '{ctrl!a}', '{zw!r}', '{zw!a}', '{surrogate!r}', '{surrogate!a}', '{cjk!r}', '{cjk!a}', '{café!a}', '{i!r}', '{f!r}',
  '{fz!r}', '{nan!r}', '{inf!r}', '{ninf!a}', '{t!r}', '{none!r}', '{none!s}', '{l!r}', '{l!s}', '{l!a}', '{d!r}',
  '{di!r}', '{db!r}', '{tu!r}', '{tu1!r}', '{e!r}', '{ed!r}', '{name!r:>12}', '{i!r:>5}', '{i!s:d}', '{l!r:^40}',
  '{uni!a:.5}', '{name!é}', '{name! }', '{name!\x7f}', '{name!😀}', '{name!R}',
  // Format specs on str.
  '{name:10}', '{name:<10}', '{name:>10}', '{name:^10}', '{name:^11}', '{name:*^11}', '{name:.2}', '{name:10.2}',
  '{name:.0}', '{name:s}', '{name:d}', '{name:+}', '{name:-}', '{name: }', '{name:#}', '{name:=10}', '{name:z}',
  '{name:,}', '{name:_}', '{name:_x}', '{name:010}', '{name:x<05}', '{name:00}', '{name:+d}', '{name:+z}', '{name:z#}',
  '{name:.}', '{name:abc}', '{name:ss}', '{name:é^9}', '{name:😀>7}', '{uni:^20}', '{cjk:>6}', '{empty:>3}',
  '{surrogate:>5}', '{name:١٠}', '{name:.١}',
  // Format specs on int.
  '{i:d}', '{i:5d}', '{i:<5}', '{i:^7}', '{i:+}', '{i: }', '{neg: }', '{i:-}', '{i:05}', '{neg:05}', '{neg:=8}',
  '{neg:*=8}', '{i:x}', '{i:X}', '{i:#x}', '{i:#X}', '{i:o}', '{i:#o}', '{i:b}', '{i:#b}', '{i:#010b}', '{neg:#010x}',
  '{big:,}', '{big:_}', '{big:_x}', '{big:_b}', '{huge:,d}', '{huge:#_o}', '{i:c}', '{snow:c}', '{neg:c}', '{cp:c}',
  '{huge:c}', '{i:>5c}', '{i:#c}', '{i:+c}', '{i:.2c}', '{i:,c}', '{i:n}', '{big:n}', '{i:,n}', '{i:e}', '{i:.2f}',
  '{i:%}', '{i:.3g}', '{i:G}', '{i:.2}', '{i:s}', '{i:z}', '{i:zd}', '{i:,x}', '{i:,_}', '{i:_,}', '{i:,,}', '{i:__}',
  '{i:020,}', '{i:0=20,}', '{i:<020,}', '{i:x=20,}', '{i:04,}', '{i:06_x}', '{big:e}', '{toolarge:f}', '{toolarge:d}',
  '{zero:#x}', '{zero:+}', '{i:é}', '{i:\x7f}', '{i:, }', '{i:,é}', '{i:1000000000000000000000}',
  // Format specs on float.
  '{f}', '{f:f}', '{f:.2f}', '{f:.0f}', '{f:#.0f}', '{f:e}', '{f:.3e}', '{f:E}', '{f:g}', '{f:G}', '{f:.10g}', '{f:%}',
  '{f:.1%}', '{f:n}', '{f:,.2f}', '{fbig}', '{fbig:,}', '{fbig:f}', '{fbig:,.1f}', '{fbig:g}', '{fbig:.3}', '{f16}',
  '{f16:,}', '{f16:#}', '{ftiny}', '{ftiny:f}', '{ftiny:g}', '{ftiny:#}', '{fz}', '{fz:z}', '{fz:z.2f}', '{nz:z.1f}',
  '{nz:z.1e}', '{nz:.1f}', '{fz:+}', '{nan}', '{nan:+}', '{nan:010}', '{inf:010}', '{inf:010,}', '{ninf:F}', '{nan:E}',
  '{inf:=+10}', '{ninf:<8}', '{f:=+10.2f}', '{f:010.3f}', '{nf:010.3f}', '{f:.3}', '{fint:.3}', '{fint}', '{fint:.0}',
  '{fint:#.0}', '{half:.0f}', '{h25:.0f}', '{e125:.2f}', '{e1005:.2f}', '{money:,}', '{money:_.2f}', '{money:015,.2f}',
  '{money:.3}', '{money:e}', '{sub}', '{sub:e}', '{sub:.20e}', '{sub:f}', '{fmax}', '{fmax:f}', '{fmax:,.0f}',
  '{f:d}', '{f:x}', '{f:c}', '{f:s}', '{f:.}', '{f:,_}', '{f:_f}', '{f:z}', '{f:#}', '{f:#g}', '{f:#.3g}', '{f:.0}',
  '{f:.0e}', '{f:#.0e}', '{f:.0%}', '{f:,n}', '{f:.3000000000f}', '{fint:%}', '{fint:g}',
  // Found by the generator: '%' overflowing to inf after the multiplication, and 'c' widths outside the BMP.
  '{fmax:%}', '{fmax:013%}', '{fmax:>-,.5%}', '{astral:c}', '{astral:5c}', '{astral:^14c}', '{astral:*<4c}',
  // Format specs on bool, None and containers.
  '{t}', '{fa}', '{t:}', '{t:d}', '{t:>5}', '{t:5}', '{t:s}', '{t:x}', '{t:.2f}', '{t!s:>6}', '{t!r:^7}', '{fa:+}',
  '{t:c}', '{t:z}', '{none}', '{none:}', '{none:>5}', '{none!s:>5}', '{l:>5}', '{d:}', '{e}', '{ed}', '{tu}',
  '{tu:x}', '{l}', '{d}',
  // Nested fields in specs.
  '{name:{w}}', '{name:{align}{w}}', '{name:{fill}{align}{w}}', '{name:>{w}.{p}}', '{f:{w}.{p}f}', '{f:{w}.{p}}',
  '{f:{spec}}', '{f:.{p}e}', '{i:{zs}{w}}', '{f:{w}{missing}}', '{name:{w}{w}}', '{i:{zero}}', '{name:{name}}',
  '{name:{w!r}}', '{name:{w:d}}', '{name:{w:>3}}', '{name:{w:{p}}}', '{name:{w!r:{p}}}', '{name:{w:{{}}}}',
  '{name:{{w}}}', '{name:{{}}}', '{name:{brace}<9}', '{name:{}}', '{name:{w}', '{name:{b]}}', '{name:{[}]}}',
  '{name:{w}:{p}}', '{name:{w}}{', '{name:{nl}}', '{name:{d[k]}}', '{name:{l[0]}}', '{name:{l[0].real}}',
  '{name!x:{missing}}', '{missing!x:{w}}', '{name:{missing!x}}',
];

/** Returns a seeded generator (mulberry32), so every run gets the same corpus. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

const FILLS = [' ', '*', '0', 'x', 'é', '😀', '-', '<', '=', ',', '.'];
const TYPES = ['s', 'd', 'b', 'c', 'o', 'x', 'X', 'n', 'e', 'E', 'f', 'F', 'g', 'G', '%', 'z', 'q', ' ', ','];

/** Builds a random format spec. With `nested`, the spec may contain replacement fields. */
export function randomSpec(random: Random, nested = false): string {
  let spec = '';
  if (chance(random, 0.3)) spec += pick(random, FILLS) + pick(random, ['<', '>', '=', '^']);
  else if (chance(random, 0.25)) spec += pick(random, ['<', '>', '=', '^']);
  if (chance(random, 0.25)) spec += pick(random, ['+', '-', ' ']);
  if (chance(random, 0.1)) spec += 'z';
  if (chance(random, 0.15)) spec += '#';
  if (chance(random, 0.2)) spec += '0';
  if (chance(random, 0.4)) spec += nested && chance(random, 0.3) ? '{w}' : String(Math.floor(random() * 25));
  if (chance(random, 0.2)) spec += pick(random, [',', '_']);
  if (chance(random, 0.35)) spec += nested && chance(random, 0.3) ? '.{p}' : `.${Math.floor(random() * 14)}`;
  if (chance(random, 0.6)) spec += pick(random, TYPES);
  if (chance(random, 0.03)) spec += pick(random, ['!', 'x', '.', '}', '{', '0']);

  return spec;
}

const FIELD_NAMES = STANDARD_VARIABLES.map(([name]) => name);
const ACCESSORS = ['.real', '.imag', '.x', '[0]', '[1]', '[k]', '[nested]', '[a]', '[2]', '[9]', '.numerator', '[]', '.'];
const LITERALS = ['Hello ', ' and ', '\n', 'é ', '😀', '{{', '}}', '{{"k": 1}}', ': ', 'x', '  ', '\t', 'JSON {{', '}} end'];

function randomField(random: Random): string {
  let name: string;
  const roll = random();
  if (roll < 0.85) name = pick(random, FIELD_NAMES);
  else if (roll < 0.92) name = pick(random, ['missing', 'Name', 'x_1', 'naïve']);
  else name = pick(random, ['', '0', '1']);
  if (chance(random, 0.2)) name += pick(random, ACCESSORS);
  if (chance(random, 0.05)) name += pick(random, ACCESSORS);

  let field = `{${name}`;
  if (chance(random, 0.2)) field += pick(random, ['!r', '!s', '!a', '!r', '!s', '!x']);
  if (chance(random, 0.6)) field += `:${randomSpec(random, true)}`;

  return `${field}}`;
}

/** Builds a random template of literal text and fields, now and then broken on purpose. */
export function randomTemplate(random: Random): string {
  let template = '';
  const pieces = 1 + Math.floor(random() * 4);
  for (let i = 0; i < pieces; i++) template += chance(random, 0.45) ? pick(random, LITERALS) : randomField(random);
  if (chance(random, 0.05)) {
    const at = Math.floor(random() * (template.length + 1));
    template = template.slice(0, at) + pick(random, ['{', '}', '[', ']', '!', ':']) + template.slice(at);
  }

  return template;
}

/** Draws a double from several distributions: raw bits, decimals, ties, integers, extremes. */
export function randomFloat(random: Random): number {
  const roll = random();
  if (roll < 0.25) {
    const view = new DataView(new ArrayBuffer(8));
    view.setUint32(0, Math.floor(random() * 2 ** 32));
    view.setUint32(4, Math.floor(random() * 2 ** 32));
    const value = view.getFloat64(0);
    return Number.isFinite(value) ? value : 1.5;
  }
  if (roll < 0.45) return Math.round((random() - 0.5) * 2e6) / 1000;
  if (roll < 0.6) return (Math.floor(random() * 200) - 100) + pick(random, [0.5, 0.25, 0.125, 0.375, 0.0625]);
  if (roll < 0.7) return Math.floor((random() - 0.5) * 1e6);
  if (roll < 0.8) return (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
  if (roll < 0.9) return Number(`${Math.floor(random() * 1000)}e${Math.floor(random() * 600 - 300)}`);

  return pick(random, [0, -0, NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, 1e16, 9.999999999999999e15, 0.1, 1e-5, 1e-4, 123456789012345680]);
}

/** Ranges whose characters had the same Unicode category from Unicode 14 to 17, so Python 3.11 and Node agree. */
const CHARACTER_RANGES: [number, number][] = [
  [0x20, 0x7e], [0x20, 0x7e], [0x00, 0x1f], [0x7f, 0xff], [0x100, 0x7ff], [0x2000, 0x206f], [0x3040, 0x309f],
  [0x4e00, 0x9fa5], [0xac00, 0xd7a3], [0xdc00, 0xdfff], [0xe000, 0xe0ff], [0xfff9, 0xffff], [0x1f600, 0x1f64f],
];

export function randomString(random: Random, maxLength = 12): string {
  let text = '';
  const length = Math.floor(random() * (maxLength + 1));
  for (let i = 0; i < length; i++) {
    const [low, high] = pick(random, CHARACTER_RANGES);
    text += chance(random, 0.1) ? pick(random, ["'", '"', '\\', '\n', '{', '}']) : String.fromCodePoint(low + Math.floor(random() * (high - low + 1)));
  }

  return text;
}

export function randomInt(random: Random): bigint {
  const roll = random();
  if (roll < 0.5) return BigInt(Math.floor((random() - 0.5) * 2000));
  if (roll < 0.8) return BigInt(Math.floor((random() - 0.5) * 2 ** 52));
  let digits = String(1 + Math.floor(random() * 9));
  const length = Math.floor(random() * 40);
  for (let i = 0; i < length; i++) digits += String(Math.floor(random() * 10));

  return chance(random, 0.5) ? -BigInt(digits) : BigInt(digits);
}

/** Builds a random scalar or small container. */
export function randomValue(random: Random, depth = 0): PyValue {
  const roll = random();
  if (roll < 0.25) return pyStr(randomString(random));
  if (roll < 0.5) return pyInt(randomInt(random));
  if (roll < 0.75) return pyFloat(randomFloat(random));
  if (roll < 0.8) return pyBool(chance(random, 0.5));
  if (roll < 0.83) return PY_NONE;
  if (depth >= 3) return pyStr(randomString(random, 4));
  const size = Math.floor(random() * 4);
  if (roll < 0.9) return pyList(Array.from({ length: size }, () => randomValue(random, depth + 1)));
  if (roll < 0.94) return { type: 'tuple', items: Array.from({ length: size }, () => randomValue(random, depth + 1)) };
  const keys = Array.from({ length: size }, () => (chance(random, 0.7) ? pyStr(randomString(random, 5)) : pyInt(randomInt(random))));

  return pyDict(keys.map((key) => [key, randomValue(random, depth + 1)] as const));
}
