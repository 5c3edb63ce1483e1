/**
 * Finds FlowyML symbols in a parsed Python file: asset constructors and
 * factories of the nine types, `@step` functions with their declared inputs
 * and outputs, `Pipeline(...)`, and the functions passed to `add_step`.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { ASSET_TYPES, type SeedAssetType } from '../../core';
import type { ChatMessageLiteral, PromptTemplateArgument } from '../../protocol/lsp';
import type { SourceText } from '../text/source';
import { FlowymlImports } from './imports';
import type { AssetCallSymbol, FileSymbols, NameRef, PipelineSymbol, Span, StepIoSymbol, StepRefSymbol, StepSymbol, SymbolTarget } from './model';
import type { OffsetUnit } from './parser';
import { ValueResolver } from './values';

const ASSET_TYPE_NAMES: ReadonlySet<string> = new Set(ASSET_TYPES);
const STEP_NAMES: ReadonlySet<string> = new Set(['step']);
const PIPELINE_NAMES: ReadonlySet<string> = new Set(['Pipeline']);
/** Node types that can spell a name as a constructor's first positional argument. */
const NAME_EXPRESSIONS = new Set(['string', 'concatenated_string', 'identifier', 'binary_operator', 'parenthesized_expression']);

export function extractSymbols(tree: Tree, source: SourceText, unit: OffsetUnit): FileSymbols {
  return new Extractor(source, unit, tree.rootNode).run();
}

class Extractor {
  private readonly imports = new FlowymlImports();
  private readonly values: ValueResolver;
  private readonly steps: StepSymbol[] = [];
  private readonly assets: AssetCallSymbol[] = [];
  private readonly pipelines: PipelineSymbol[] = [];
  private readonly stepRefs: StepRefSymbol[] = [];
  private readonly targets: SymbolTarget[] = [];
  private readonly stepRefSpans = new Set<string>();
  private readonly enclosingSteps: StepSymbol[] = [];

  constructor(
    private readonly source: SourceText,
    private readonly unit: OffsetUnit,
    private readonly root: Node,
  ) {
    this.values = ValueResolver.forModule(root);
  }

  run(): FileSymbols {
    for (const statement of this.root.descendantsOfType(['import_statement', 'import_from_statement'])) {
      if (statement) this.imports.add(statement);
    }

    this.walk(this.root);

    this.targets.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    return { steps: this.steps, assets: this.assets, pipelines: this.pipelines, stepRefs: this.stepRefs, targets: this.targets };
  }

  private walk(node: Node): void {
    if (node.type === 'decorated_definition') {
      const step = this.stepOf(node);
      if (step) {
        this.enclosingSteps.push(step);
        this.walkChildren(node);
        this.enclosingSteps.pop();
        return;
      }
    } else if (node.type === 'call') {
      this.visitCall(node);
    }
    this.walkChildren(node);
  }

  private walkChildren(node: Node): void {
    for (const child of node.namedChildren) if (child) this.walk(child);
  }

  private span(node: Node): Span {
    if (this.unit === 'utf16') return { start: node.startIndex, end: node.endIndex };
    return { start: this.source.offsetOfUtf8(node.startIndex), end: this.source.offsetOfUtf8(node.endIndex) };
  }

  private nameRef(node: Node): NameRef {
    return { value: this.values.name(node), span: this.span(node) };
  }

  // ---- steps

  private stepOf(decorated: Node): StepSymbol | undefined {
    const definition = decorated.childForFieldName('definition');
    const functionName = definition?.type === 'function_definition' ? definition.childForFieldName('name') : null;
    if (!definition || !functionName) return undefined;

    for (const decorator of decorated.namedChildren) {
      if (decorator?.type !== 'decorator') continue;
      const expression = decorator.namedChildren.find((c) => c?.type !== 'comment');
      if (!expression) continue;
      const call = expression.type === 'call' ? expression : undefined;
      const callee = call ? call.childForFieldName('function') : expression;
      if (!callee || !this.refersTo(callee, STEP_NAMES)) continue;

      const args = call ? keywordArguments(call) : new Map<string, Node>();
      const nameNode = args.get('name');
      const step: StepSymbol = {
        kind: 'step',
        name: (nameNode && this.values.string(nameNode)) ?? functionName.text,
        functionName: functionName.text,
        nameSpan: this.span(functionName),
        decoratorSpan: this.span(callee),
        definition: this.span(decorated),
        inputs: [],
        outputs: [],
      };
      step.inputs = this.stepIo(args.get('inputs'), 'input', step);
      step.outputs = this.stepIo(args.get('outputs'), 'output', step);

      this.steps.push(step);
      this.targets.push({ span: step.nameSpan, symbol: step }, { span: step.decoratorSpan, symbol: step });
      for (const io of [...step.inputs, ...step.outputs]) this.targets.push({ span: io.name.span, symbol: io });
      return step;
    }
    return undefined;
  }

  private stepIo(value: Node | undefined, role: 'input' | 'output', step: StepSymbol): StepIoSymbol[] {
    if (!value) return [];
    const elements = this.values.elements(value) ?? [value];
    const symbols: StepIoSymbol[] = elements.map((element) => ({ kind: 'io', role, name: this.nameRef(element), step }));
    // `outputs=OUTPUTS` with a one-name list constant: the constant's name stands for that one name.
    if (value.type === 'identifier' && symbols.length === 1 && elements[0] !== value) {
      this.targets.push({ span: this.span(value), symbol: symbols[0] });
    }
    return symbols;
  }

  // ---- calls

  private visitCall(call: Node): void {
    const callee = call.childForFieldName('function');
    if (!callee) return;

    const asset = this.assetCallee(callee);
    if (asset) {
      this.addAsset(call, callee, asset.type, asset.factory);
      return;
    }

    if (this.refersTo(callee, PIPELINE_NAMES) || (callee.type === 'attribute' && attributeName(callee) === 'create_pipeline')) {
      this.addPipeline(call, callee);
      return;
    }

    if (callee.type === 'attribute' && attributeName(callee) === 'add_step') this.addStepRefs(call);
  }

  /** The asset type and factory a callee names: `Dataset`, `flowyml.Dataset`, `Model.from_sklearn`, `routed.Metrics.create`. */
  private assetCallee(callee: Node): { type: SeedAssetType; factory: string | undefined } | undefined {
    const constructed = this.assetClass(callee);
    if (constructed) return { type: constructed, factory: undefined };

    if (callee.type !== 'attribute') return undefined;
    const factory = attributeName(callee);
    if (factory !== 'create' && !factory.startsWith('from_')) return undefined;
    const object = callee.childForFieldName('object');
    const type = object ? this.assetClass(object) : undefined;
    return type ? { type, factory } : undefined;
  }

  private assetClass(node: Node): SeedAssetType | undefined {
    return this.refersTo(node, ASSET_TYPE_NAMES) as SeedAssetType | undefined;
  }

  /** Resolves an identifier or `module.Name` expression to the FlowyML name it refers to, if that is one of `known`. */
  private refersTo(node: Node, known: ReadonlySet<string>): string | undefined {
    if (node.type === 'identifier') return this.imports.resolveName(node.text, known);
    if (node.type !== 'attribute') return undefined;

    const name = attributeName(node);
    if (!known.has(name)) return undefined;
    const root = rootIdentifier(node);
    return root && this.imports.isFlowymlModule(root) ? name : undefined;
  }

  private addAsset(call: Node, callee: Node, type: SeedAssetType, factory: string | undefined): void {
    const keywords = keywordArguments(call);
    let nameNode = keywords.get('name');
    if (!nameNode && factory === undefined) {
      // Asset constructors take the name as their first parameter; factories take the data first.
      const first = positionalArguments(call)[0];
      if (first && NAME_EXPRESSIONS.has(first.type)) nameNode = first;
    }
    const templateNode = type === 'Prompt' ? keywords.get('template') : undefined;

    const symbol: AssetCallSymbol = {
      kind: 'asset',
      assetType: type,
      factory,
      call: this.span(call),
      callee: this.span(callee),
      name: nameNode ? this.nameRef(nameNode) : undefined,
      template: templateNode ? this.templateOf(templateNode) : undefined,
      step: this.enclosingSteps[this.enclosingSteps.length - 1],
    };
    this.assets.push(symbol);
    this.targets.push({ span: symbol.callee, symbol });
    if (symbol.name) this.targets.push({ span: symbol.name.span, symbol });
  }

  /** Reads a Prompt template spelled out in source: a static string, or a list of `{"role": …, "content": …}` literals. */
  private templateOf(node: Node): PromptTemplateArgument['template'] | undefined {
    const text = this.values.string(node);
    if (text !== undefined) return text;

    const elements = node.type === 'list' || node.type === 'identifier' ? this.values.elements(node) : undefined;
    if (!elements || elements.length === 0) return undefined;
    const messages: ChatMessageLiteral[] = [];
    for (const element of elements) {
      const message = element.type === 'dictionary' ? this.chatMessage(element) : undefined;
      if (!message) return undefined;
      messages.push(message);
    }
    return messages;
  }

  private chatMessage(dictionary: Node): ChatMessageLiteral | undefined {
    const fields = new Map<string, string>();
    for (const pair of dictionary.namedChildren) {
      if (!pair || pair.type === 'comment') continue;
      if (pair.type !== 'pair') return undefined;
      const key = pair.childForFieldName('key');
      const value = pair.childForFieldName('value');
      const keyText = key ? this.values.string(key) : undefined;
      const valueText = value ? this.values.string(value) : undefined;
      if (keyText === undefined || valueText === undefined) return undefined;
      fields.set(keyText, valueText);
    }
    const role = fields.get('role');
    const content = fields.get('content');
    return role !== undefined && content !== undefined ? { role, content } : undefined;
  }

  private addPipeline(call: Node, callee: Node): void {
    const nameNode = keywordArguments(call).get('name') ?? positionalArguments(call)[0];
    const symbol: PipelineSymbol = {
      kind: 'pipeline',
      name: nameNode && NAME_EXPRESSIONS.has(nameNode.type) ? this.nameRef(nameNode) : undefined,
      call: this.span(call),
      callee: this.span(callee),
    };
    this.pipelines.push(symbol);
    this.targets.push({ span: symbol.callee, symbol });
    if (symbol.name) this.targets.push({ span: symbol.name.span, symbol });
  }

  /**
   * Records `add_step(fn)`. When `fn` is the variable of an enclosing
   * `for fn in (a, b, c):` loop over a literal list, each listed function is
   * a step reference instead.
   */
  private addStepRefs(call: Node): void {
    const argument = positionalArguments(call)[0];
    if (!argument) return;

    const loopFunctions = argument.type === 'identifier' ? this.loopFunctions(call, argument.text) : undefined;
    for (const node of loopFunctions ?? [argument]) {
      let functionName: string | undefined;
      if (node.type === 'identifier') functionName = node.text;
      else if (node.type === 'attribute') functionName = attributeName(node);
      if (!functionName) continue;
      const span = this.span(node);
      const key = `${span.start}:${span.end}`;
      if (this.stepRefSpans.has(key)) continue;
      this.stepRefSpans.add(key);
      const symbol: StepRefSymbol = { kind: 'step-ref', functionName, span };
      this.stepRefs.push(symbol);
      this.targets.push({ span, symbol });
    }
  }

  private loopFunctions(from: Node, variable: string): Node[] | undefined {
    for (let node = from.parent; node; node = node.parent) {
      if (node.type === 'function_definition' || node.type === 'class_definition') return undefined;
      if (node.type !== 'for_statement') continue;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type !== 'identifier' || left.text !== variable || !right) continue;
      return this.values.elements(right)?.filter((e) => e.type === 'identifier' || e.type === 'attribute');
    }
    return undefined;
  }
}

function keywordArguments(call: Node): Map<string, Node> {
  const args = new Map<string, Node>();
  const list = call.childForFieldName('arguments');
  if (list?.type !== 'argument_list') return args;
  for (const child of list.namedChildren) {
    if (child?.type !== 'keyword_argument') continue;
    const name = child.childForFieldName('name');
    const value = child.childForFieldName('value');
    if (name && value) args.set(name.text, value);
  }
  return args;
}

function positionalArguments(call: Node): Node[] {
  const list = call.childForFieldName('arguments');
  if (list?.type !== 'argument_list') return [];
  return list.namedChildren.filter((c): c is Node => c !== null && !NON_POSITIONAL.has(c.type));
}

const NON_POSITIONAL = new Set(['keyword_argument', 'list_splat', 'dictionary_splat', 'comment']);

function attributeName(node: Node): string {
  return node.childForFieldName('attribute')?.text ?? '';
}

/** `a` for `a.b.c`; undefined when the chain starts with a call or subscript. */
function rootIdentifier(node: Node): string | undefined {
  let current: Node | null = node;
  while (current?.type === 'attribute') current = current.childForFieldName('object');
  return current?.type === 'identifier' ? current.text : undefined;
}
