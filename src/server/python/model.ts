/**
 * Symbols the server recognises in a Python file: asset calls, steps with their
 * declared inputs and outputs, pipelines and the functions added to them.
 * Every span is a pair of UTF-16 offsets into the file's text.
 */
import type { SeedAssetType } from '../../core';
import type { PromptTemplateArgument } from '../../protocol/lsp';

export interface Span {
  start: number;
  end: number;
}

/**
 * A name as the source gives it. `static` names are known before the code
 * runs: literals, module-level constants, f-strings and `+` of those.
 * `computed` names depend on run-time values; `pattern` matches the names
 * they can produce when some parts are static.
 */
export type NameValue =
  | { kind: 'static'; value: string; constant: string | undefined }
  | { kind: 'computed'; text: string; pattern: RegExp | undefined };

export interface NameRef {
  value: NameValue;
  span: Span;
}

export interface AssetCallSymbol {
  kind: 'asset';
  assetType: SeedAssetType;
  /** `create`, `from_sklearn`, …; undefined for a constructor call. */
  factory: string | undefined;
  call: Span;
  callee: Span;
  /** Undefined when the call passes no name: FlowyML then names the asset after the step output. */
  name: NameRef | undefined;
  /** A Prompt's template when the source spells it out. */
  template: PromptTemplateArgument['template'] | undefined;
  /** The step function the call is written in, if any. */
  step: StepSymbol | undefined;
}

export interface StepIoSymbol {
  kind: 'io';
  role: 'input' | 'output';
  name: NameRef;
  step: StepSymbol;
}

export interface StepSymbol {
  kind: 'step';
  /** The step's name in the store: `name=` of the decorator, else the function name. */
  name: string;
  functionName: string;
  /** The function name identifier. */
  nameSpan: Span;
  /** The `step` word of the decorator. */
  decoratorSpan: Span;
  /** From the decorator's `@` to the end of the function. */
  definition: Span;
  inputs: StepIoSymbol[];
  outputs: StepIoSymbol[];
}

export interface PipelineSymbol {
  kind: 'pipeline';
  name: NameRef | undefined;
  call: Span;
  callee: Span;
}

/** A function passed to `add_step`, directly or through a loop over a literal list of functions. */
export interface StepRefSymbol {
  kind: 'step-ref';
  functionName: string;
  span: Span;
}

export type FlowymlSymbol = AssetCallSymbol | StepIoSymbol | StepSymbol | PipelineSymbol | StepRefSymbol;

/** A span that a request position can land on, and the symbol it stands for. */
export interface SymbolTarget {
  span: Span;
  symbol: FlowymlSymbol;
}

export interface FileSymbols {
  steps: StepSymbol[];
  assets: AssetCallSymbol[];
  pipelines: PipelineSymbol[];
  stepRefs: StepRefSymbol[];
  /** Sorted by start offset. */
  targets: SymbolTarget[];
}

export function isEmpty(symbols: FileSymbols): boolean {
  return symbols.targets.length === 0;
}

/** Finds the smallest target whose span contains the offset. A span's end counts as inside, for a cursor just past a word. */
export function targetAt(symbols: FileSymbols, offset: number): SymbolTarget | undefined {
  let best: SymbolTarget | undefined;
  for (const target of symbols.targets) {
    if (target.span.start > offset) break;
    if (offset > target.span.end) continue;
    if (!best || target.span.end - target.span.start < best.span.end - best.span.start) best = target;
  }
  return best;
}
