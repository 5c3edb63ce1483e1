/**
 * Finds and reads `flowyml.yaml` the way FlowyML 2.1 does
 * (`flowyml/plugins/config.py` and `plugins/stack_config.py`). The file is
 * `$FLOWYML_CONFIG`, else the first of four names in the folder or up to four
 * parents. `${VAR}` and `${VAR:-default}` are substituted in every string.
 * The active stack is `$FLOWYML_STACK`, then `active_stack`, then the first
 * stack. The yaml library keeps each node's offsets, so every problem is
 * reported at its line, and a problem in one stack or rule never hides the
 * others.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isAlias, isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { parseTemplate } from '../prompt/template';
import type { ActiveStackSource, RoutingRule, StackComponent, StackDefinition, StackDiagnostic, StackFile, TextRange } from './types';
import { setOwn } from '../json/records';

/** The names FlowyML tries in each folder, in its order. */
export const CONFIG_FILE_NAMES = ['flowyml.yaml', 'flowyml.yml', '.flowyml.yaml', '.flowyml.yml'] as const;
/** FlowyML looks in the current folder and this many parents. */
export const CONFIG_PARENT_LEVELS = 4;

/** `StackConfig` fields that hold one component each. */
export const COMPONENT_KEYS = [
  'orchestrator', 'artifact_store', 'experiment_tracker', 'model_registry', 'model_deployer',
  'container_registry', 'metadata_store', 'feature_store', 'data_validator', 'alerter',
] as const;

/** Keys of an `ArtifactRoutingRule`. */
const RULE_KEYS = new Set(['store', 'path', 'register', 'deploy', 'deploy_condition', 'deploy_min_metrics', 'endpoint_name', 'log_to_tracker', 'metadata']);
export const DEPLOY_CONDITIONS = ['manual', 'on_approval', 'auto'] as const;
export const DEFAULT_ROUTE_PATH = '{run_id}/{step_name}/{artifact_name}';
/** The only keyword arguments the router passes to `path.format(...)`. */
export const PATH_PLACEHOLDERS = ['run_id', 'step_name', 'artifact_name'] as const;

/** `flowyml.core.types` classes the router matches; custom subclasses of `Artifact` route by their own class name. */
export const ROUTED_TYPES = ['Model', 'Dataset', 'Metrics', 'Parameters', 'Artifact'] as const;
/** `flowyml.assets` classes that have no `flowyml.core.types` counterpart, so a rule for them never applies. */
export const UNROUTED_ASSET_TYPES = ['FeatureSet', 'Prompt', 'Checkpoint', 'Report', 'Asset'] as const;

/** Top-level keys that only FlowyML 1.7's `ConfigLoader` reads. */
const LEGACY_TOP_KEYS = new Set(['default_stack', 'resources', 'docker']);

export interface FindOptions {
  /** The environment to read `FLOWYML_CONFIG` from; the process environment by default. */
  env?: NodeJS.ProcessEnv;
}

/** Returns the file FlowyML would read for a process started in `folder`, or undefined. */
export function findStackFile(folder: string, options: FindOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const explicit = env.FLOWYML_CONFIG;
  if (explicit) {
    const resolved = path.resolve(folder, explicit);
    return isFile(resolved) ? resolved : undefined;
  }

  let dir = path.resolve(folder);
  for (let level = 0; level <= CONFIG_PARENT_LEVELS; level++) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }

  return undefined;
}

export interface ReadOptions {
  /** Variables for `${VAR}` substitution and `FLOWYML_STACK`; the process environment by default. */
  env?: NodeJS.ProcessEnv;
}

/** Reads and parses a stack file. A missing or unreadable file gives a StackFile with one diagnostic. */
export function readStackFile(file: string, options: ReadOptions = {}): StackFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const empty: StackFile = { path: file, stacks: [], activeStack: undefined, activeSource: undefined, plugins: [], diagnostics: [] };
    empty.diagnostics.push({ severity: 'error', code: 'unreadable', message: `Cannot read ${file}: ${(error as Error).message}.`, range: ZERO_RANGE });
    return empty;
  }

  return parseStackFile(text, file, options);
}

const ZERO_RANGE: TextRange = { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 };

/** Parses the text of a stack file. Never throws: every problem becomes a diagnostic. */
export function parseStackFile(text: string, file: string, options: ReadOptions = {}): StackFile {
  const parser = new StackFileParser(text, options.env ?? process.env);
  try {
    return parser.parse(file);
  } catch (error) {
    // The walk handles every node kind the yaml library produces; this keeps an unforeseen one from reaching the caller.
    const failed: StackFile = { path: file, stacks: [], activeStack: undefined, activeSource: undefined, plugins: [], diagnostics: [] };
    failed.diagnostics.push({ severity: 'error', code: 'unreadable', message: `Cannot read ${file}: ${(error as Error).message}.`, range: ZERO_RANGE });
    return failed;
  }
}

class StackFileParser {
  private readonly lineCounter = new LineCounter();
  private readonly diagnostics: StackDiagnostic[] = [];
  private document!: Document.Parsed;

  constructor(private readonly text: string, private readonly env: NodeJS.ProcessEnv) {}

  parse(file: string): StackFile {
    this.document = parseDocument(this.text, { lineCounter: this.lineCounter, prettyErrors: false });
    for (const error of this.document.errors) {
      this.report('error', 'yaml-syntax', `Invalid YAML: ${firstLine(error.message)}`, this.offsetsRange(error.pos[0], error.pos[1]));
    }
    for (const warning of this.document.warnings) {
      this.report('warning', 'yaml-warning', firstLine(warning.message), this.offsetsRange(warning.pos[0], warning.pos[1]));
    }

    const result: StackFile = { path: file, stacks: [], activeStack: undefined, activeSource: undefined, plugins: [], diagnostics: this.diagnostics };
    const root = this.document.contents;
    if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) {
      if (this.document.errors.length === 0) this.report('warning', 'empty-file', 'The file defines no stacks: FlowyML runs without a stack, so no step output is materialized.', ZERO_RANGE);
      return result;
    }
    if (!isMap(root)) {
      this.report('error', 'not-a-mapping', 'The top level of flowyml.yaml must be a mapping with `stacks` (and `active_stack`) or `plugins`.', this.nodeRange(root));
      return result;
    }

    let stacksPair: Pair | undefined;
    let activePair: Pair | undefined;
    let pluginsPair: Pair | undefined;
    for (const pair of root.items) {
      const key = this.keyText(pair);
      if (key === 'stacks') stacksPair = pair;
      else if (key === 'active_stack') activePair = pair;
      else if (key === 'plugins') pluginsPair = pair;
      else if (key !== undefined && LEGACY_TOP_KEYS.has(key)) {
        this.report('information', 'legacy-key', `\`${key}\` is read only by FlowyML 1.7's ConfigLoader; FlowyML 1.8 and later ignore it.`, this.keyRange(pair));
      } else if (key !== undefined) {
        this.report('warning', 'unknown-key', `Unknown key \`${key}\`: FlowyML ignores it. Expected \`stacks\`, \`active_stack\` or \`plugins\`.`, this.keyRange(pair));
      }
    }

    if (pluginsPair) result.plugins = this.components(pluginsPair, 'plugins', true);
    if (stacksPair) result.stacks = this.stacks(stacksPair);
    else if (pluginsPair) result.stacks = [this.pluginStack(pluginsPair)];
    else this.report('warning', 'no-stacks', 'The file has neither `stacks` nor `plugins`, so it defines no stack.', ZERO_RANGE);

    this.chooseActive(result, activePair);

    return result;
  }

  private stacks(pair: Pair): StackDefinition[] {
    const value = this.valueNode(pair);
    if (!isMap(value)) {
      this.report('error', 'invalid-value', '`stacks` must be a mapping from stack names to stack settings.', this.valueRange(pair));
      return [];
    }

    const stacks: StackDefinition[] = [];
    for (const stackPair of value.items) {
      const name = this.keyText(stackPair);
      if (name === undefined) continue;
      const settings = this.valueNode(stackPair);
      if (!isMap(settings)) {
        this.report('error', 'invalid-value', `Stack \`${name}\` must be a mapping of components (orchestrator, artifact_store, …).`, this.valueRange(stackPair) ?? this.keyRange(stackPair));
        continue;
      }
      stacks.push(this.stack(name, settings, 'stacks'));
    }

    return stacks;
  }

  private pluginStack(pair: Pair): StackDefinition {
    const value = this.valueNode(pair);
    if (!isMap(value)) return { name: 'default', components: [], artifactStores: {}, routing: [], source: 'plugins' };

    return { ...this.stack('default', value, 'plugins', false), source: 'plugins' };
  }

  private stack(name: string, settings: YAMLMap, source: 'stacks' | 'plugins', reportUnknown = true): StackDefinition {
    const stack: StackDefinition = { name, components: [], artifactStores: {}, routing: [], source };
    for (const pair of settings.items) {
      const key = this.keyText(pair);
      if (key === undefined) continue;
      if ((COMPONENT_KEYS as readonly string[]).includes(key)) {
        const component = this.component(key, pair);
        if (component) stack.components.push(component);
      } else if (key === 'artifact_stores') {
        const stores = this.valueNode(pair);
        if (!isMap(stores)) {
          this.report('error', 'invalid-value', '`artifact_stores` must be a mapping from store names to store settings.', this.valueRange(pair));
          continue;
        }
        for (const storePair of stores.items) {
          const storeName = this.keyText(storePair);
          const component = storeName === undefined ? undefined : this.component(storeName, storePair);
          if (storeName !== undefined && component) stack.artifactStores[storeName] = component;
        }
      } else if (key === 'artifact_routing') {
        stack.routing = this.routing(pair);
      } else if (key === 'catalog_endpoint' && reportUnknown) {
        // FlowyML's catalog manager reads a stack's catalog_endpoint, but StackConfig drops the key from flowyml.yaml.
        this.report('information', 'extension-key', `\`catalog_endpoint\` in stack \`${name}\`: FlowyML's StackConfig ignores it; FlowyML Assets reads it as the team catalog API when \`flowyml.catalogUrl\` is not set.`, this.keyRange(pair));
      } else if (reportUnknown) {
        this.report('warning', 'unknown-key', `Unknown key \`${key}\` in stack \`${name}\`: FlowyML ignores it.`, this.keyRange(pair));
      }
    }

    return stack;
  }

  /** Reads the component entries of a `plugins` section (a routing table there is read by `pluginStack`). */
  private components(pair: Pair, where: string, allowRouting: boolean): StackComponent[] {
    const value = this.valueNode(pair);
    if (!isMap(value)) {
      this.report('error', 'invalid-value', `\`${where}\` must be a mapping of components.`, this.valueRange(pair));
      return [];
    }
    const components: StackComponent[] = [];
    for (const item of value.items) {
      const key = this.keyText(item);
      if (key === undefined || (allowRouting && key === 'artifact_routing')) continue;
      if (!(COMPONENT_KEYS as readonly string[]).includes(key)) {
        this.report('warning', 'unknown-key', `Unknown key \`${key}\` in \`${where}\`: FlowyML ignores it.`, this.keyRange(item));
        continue;
      }
      const component = this.component(key, item);
      if (component) components.push(component);
    }

    return components;
  }

  private component(role: string, pair: Pair): StackComponent | undefined {
    const value = this.valueNode(pair);
    if (!isMap(value)) {
      this.report('error', 'invalid-value', `\`${role}\` must be a mapping with a \`type\`, such as \`{ type: local }\`.`, this.valueRange(pair) ?? this.keyRange(pair));
      return undefined;
    }
    const settings = this.substituted(value) as Record<string, unknown>;
    const type = typeof settings.type === 'string' ? settings.type : undefined;
    const rest = { ...settings };
    delete rest.type;

    return { role, type, settings: rest };
  }

  private routing(pair: Pair): RoutingRule[] {
    const value = this.valueNode(pair);
    if (!isMap(value)) {
      this.report('error', 'invalid-value', '`artifact_routing` must be a mapping from type names (or `default`) to rules.', this.valueRange(pair));
      return [];
    }

    const rules: RoutingRule[] = [];
    for (const rulePair of value.items) {
      const type = this.keyText(rulePair);
      if (type === undefined) continue;
      this.checkRuleType(type, rulePair);
      const ruleNode = this.valueNode(rulePair);
      if (ruleNode !== null && !isMap(ruleNode) && !(isScalar(ruleNode) && ruleNode.value === null)) {
        this.report('error', 'invalid-value', `The rule for \`${type}\` must be a mapping such as \`{ store: gcs }\`; FlowyML cannot read it.`, this.valueRange(rulePair));
        continue;
      }
      rules.push(this.rule(type, isMap(ruleNode) ? ruleNode : undefined));
    }

    return rules;
  }

  private checkRuleType(type: string, pair: Pair): void {
    if (type === 'default' || (ROUTED_TYPES as readonly string[]).includes(type)) return;
    if ((UNROUTED_ASSET_TYPES as readonly string[]).includes(type)) {
      this.report('information', 'unrouted-type', `FlowyML's router never applies the \`${type}\` rule: it routes only flowyml.core.types (Model, Dataset, Metrics, Parameters, Artifact), and flowyml.assets.${type} is not one of them.`, this.keyRange(pair));
      return;
    }
    this.report('warning', 'unknown-type', `Unknown asset type \`${type}\`: FlowyML matches rules by exact class name, so this rule applies only to a custom flowyml.core.types.Artifact subclass named ${type}. Known types: ${[...ROUTED_TYPES, 'default'].join(', ')}.`, this.keyRange(pair));
  }

  private rule(type: string, node: YAMLMap | undefined): RoutingRule {
    const rule: RoutingRule = {
      type, store: undefined, path: DEFAULT_ROUTE_PATH, pathIsDefault: true, register: false, deploy: false,
      deployCondition: 'manual', deployMinMetrics: {}, endpointName: undefined, logToTracker: false,
    };
    for (const pair of node?.items ?? []) {
      const key = this.keyText(pair);
      if (key === undefined) continue;
      if (!RULE_KEYS.has(key)) {
        this.report('warning', 'unknown-key', `Unknown key \`${key}\` in the \`${type}\` rule: FlowyML ignores it. Known keys: ${[...RULE_KEYS].join(', ')}.`, this.keyRange(pair));
        continue;
      }
      const raw = this.substituted(this.valueNode(pair));
      switch (key) {
        case 'store':
          if (raw === null) break;
          if (typeof raw === 'string') rule.store = raw;
          else this.report('error', 'invalid-value', `\`store\` of the \`${type}\` rule must be a store name (text).`, this.valueRange(pair));
          break;
        case 'path':
          if (typeof raw === 'string') {
            rule.path = raw;
            rule.pathIsDefault = false;
            this.checkTemplate(type, raw, pair);
          } else {
            this.report('error', 'invalid-value', `\`path\` of the \`${type}\` rule must be a text template such as "${DEFAULT_ROUTE_PATH}".`, this.valueRange(pair));
          }
          break;
        case 'register':
        case 'deploy':
        case 'log_to_tracker': {
          if (typeof raw !== 'boolean') {
            this.report('error', 'invalid-value', `\`${key}\` of the \`${type}\` rule must be true or false.`, this.valueRange(pair));
            break;
          }
          if (key === 'register') rule.register = raw;
          else if (key === 'deploy') rule.deploy = raw;
          else rule.logToTracker = raw;
          this.checkFlagType(type, key, raw, pair);
          break;
        }
        case 'deploy_condition':
          if (typeof raw === 'string' && (DEPLOY_CONDITIONS as readonly string[]).includes(raw)) rule.deployCondition = raw;
          else this.report('error', 'invalid-value', `\`deploy_condition\` of the \`${type}\` rule must be one of ${DEPLOY_CONDITIONS.join(', ')}.`, this.valueRange(pair));
          break;
        case 'deploy_min_metrics':
          rule.deployMinMetrics = this.minMetrics(type, raw, pair);
          break;
        case 'endpoint_name':
          if (typeof raw === 'string') rule.endpointName = raw;
          else if (raw !== null) this.report('error', 'invalid-value', `\`endpoint_name\` of the \`${type}\` rule must be text.`, this.valueRange(pair));
          break;
        default:
          // `metadata` is parsed by FlowyML and never used.
          break;
      }
    }

    return rule;
  }

  private checkTemplate(type: string, template: string, pair: Pair): void {
    const parsed = parseTemplate(template);
    if (parsed.error) {
      this.report('error', 'invalid-template', `The \`${type}\` path template is not a valid Python format string: ${parsed.error.message}. FlowyML logs the error and skips routing.`, this.valueRange(pair));
      return;
    }
    const unknown = parsed.variables.filter((name) => !(PATH_PLACEHOLDERS as readonly string[]).includes(name));
    const positional = parsed.segments.some((segment) => segment.kind === 'field' && segment.name.head.kind !== 'keyword');
    if (unknown.length > 0) {
      this.report('warning', 'unknown-placeholder', `Unknown placeholder ${unknown.map((name) => `{${name}}`).join(', ')} in the \`${type}\` path: FlowyML passes only ${PATH_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}, so formatting raises KeyError and the router skips this output.`, this.valueRange(pair));
    }
    if (positional) {
      this.report('warning', 'unknown-placeholder', `The \`${type}\` path has a positional field such as {} or {0}: FlowyML passes keyword arguments only, so formatting raises IndexError and the router skips this output.`, this.valueRange(pair));
    }
  }

  private checkFlagType(type: string, key: string, value: boolean, pair: Pair): void {
    if (!value || type === 'default') return;
    if ((key === 'register' || key === 'deploy') && type !== 'Model') {
      this.report('information', 'flag-ignored', `\`${key}\` applies to Model outputs only; FlowyML ignores it for \`${type}\`.`, this.keyRange(pair));
    }
    if (key === 'log_to_tracker' && type !== 'Metrics' && type !== 'Parameters') {
      this.report('information', 'flag-ignored', `\`log_to_tracker\` applies to Metrics and Parameters only; FlowyML ignores it for \`${type}\`.`, this.keyRange(pair));
    }
  }

  private minMetrics(type: string, raw: unknown, pair: Pair): Record<string, number> {
    if (raw === null) return {};
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      this.report('error', 'invalid-value', `\`deploy_min_metrics\` of the \`${type}\` rule must map metric names to numbers.`, this.valueRange(pair));
      return {};
    }
    const metrics: Record<string, number> = {};
    for (const [name, threshold] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof threshold === 'number') setOwn(metrics, name, threshold);
      else this.report('error', 'invalid-value', `The threshold of \`${name}\` in \`deploy_min_metrics\` of the \`${type}\` rule must be a number.`, this.valueRange(pair));
    }

    return metrics;
  }

  private chooseActive(result: StackFile, activePair: Pair | undefined): void {
    const names = result.stacks.map((stack) => stack.name);
    const fromEnv = this.env.FLOWYML_STACK;
    const fromFile = activePair ? this.substituted(this.valueNode(activePair)) : undefined;
    if (activePair && fromFile !== null && typeof fromFile !== 'string') {
      this.report('error', 'invalid-value', '`active_stack` must be a stack name.', this.valueRange(activePair));
    } else if (activePair && typeof fromFile === 'string' && !names.includes(fromFile)) {
      this.report('error', 'unknown-stack', `\`active_stack\` names \`${fromFile}\`, but the file defines ${names.length === 0 ? 'no stacks' : names.map((name) => `\`${name}\``).join(', ')}.`, this.valueRange(activePair));
    }

    const candidates: [string | undefined, ActiveStackSource][] = [
      [fromEnv, 'FLOWYML_STACK'],
      [typeof fromFile === 'string' ? fromFile : undefined, 'active_stack'],
      [names[0], 'first stack'],
    ];
    if (fromEnv && !names.includes(fromEnv)) {
      this.report('warning', 'unknown-stack', `$FLOWYML_STACK is \`${fromEnv}\`, which is not a stack in this file; showing the next choice instead.`, activePair ? this.keyRange(activePair) : ZERO_RANGE);
    }
    for (const [name, source] of candidates) {
      if (name !== undefined && names.includes(name)) {
        result.activeStack = name;
        result.activeSource = source;
        return;
      }
    }
  }

  /** Converts a node to plain data and applies `${VAR}` substitution to every string in it. */
  private substituted(node: Node | null): unknown {
    if (node === null) return null;
    if (isScalar(node)) {
      const value = node.value;
      return typeof value === 'string' ? this.substitute(value, node) : value;
    }
    if (isAlias(node)) return this.substituted((node.resolve(this.document) as Node | undefined) ?? null);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = this.keyText(pair);
        if (key !== undefined) setOwn(out, key, this.substituted(this.valueNode(pair)));
      }
      return out;
    }

    return this.document ? (node as Node).toJS(this.document) : null;
  }

  private substitute(text: string, node: Node): string {
    return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string, fallback: string | undefined) => {
      const value = this.env[name];
      if (value !== undefined) return value;
      if (fallback !== undefined) return fallback;
      this.report('warning', 'unset-variable', `$${name} is not set in the environment of VS Code, so FlowyML keeps \`${whole}\` as written.`, this.nodeRange(node));
      return whole;
    });
  }

  /** Returns a pair's value with an alias (`*name`) resolved to its anchored node, as PyYAML's safe_load resolves it. */
  private valueNode(pair: Pair): Node | null {
    const value = pair.value as Node | null;
    if (!isAlias(value)) return value;

    return (value.resolve(this.document) as Node | undefined) ?? null;
  }

  private keyText(pair: Pair): string | undefined {
    if (!isPair(pair)) return undefined;
    const key = pair.key as Node | null;
    if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number' || typeof key.value === 'boolean')) return String(key.value);
    if (key !== null) this.report('warning', 'invalid-key', 'Keys must be plain names; FlowyML cannot use this one.', this.nodeRange(key));

    return undefined;
  }

  private report(severity: StackDiagnostic['severity'], code: string, message: string, range: TextRange | undefined): void {
    this.diagnostics.push({ severity, code, message, range: range ?? ZERO_RANGE });
  }

  private keyRange(pair: Pair): TextRange | undefined {
    return this.nodeRange(pair.key as Node | null);
  }

  private valueRange(pair: Pair): TextRange | undefined {
    return this.nodeRange(pair.value as Node | null) ?? this.keyRange(pair);
  }

  private nodeRange(node: Node | null | undefined): TextRange | undefined {
    const range = node?.range;
    if (!range) return undefined;

    return this.offsetsRange(range[0], range[1]);
  }

  private offsetsRange(start: number, end: number): TextRange {
    const from = this.lineCounter.linePos(start);
    const to = this.lineCounter.linePos(Math.max(start, end));

    return { startLine: from.line - 1, startColumn: from.col - 1, endLine: to.line - 1, endColumn: to.col - 1 };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
