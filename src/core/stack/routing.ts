/**
 * The routing table of a stack: for each asset type, where FlowyML's router
 * sends an output (store, registry, path template, deployment), and whether
 * the FlowyML version in use applies that rule at all. The rules for what is
 * applied come from FlowyML 2.1's `core/routing.py` and `executor.py`:
 *
 * - only `flowyml.core.types` values are routed (Model, Dataset, Metrics,
 *   Parameters, Artifact and custom Artifact subclasses), so rules named
 *   after `flowyml.assets` classes such as Prompt or Checkpoint never apply;
 * - `store` saves through the `plugins.artifact_store` plugin (GCS or S3
 *   classes only), not through the stack's own artifact store;
 * - `register` uses `plugins.model_registry`, `log_to_tracker` uses
 *   `plugins.experiment_tracker`, and `deploy` uses the stack's
 *   `model_deployer` when its type names Vertex or SageMaker;
 * - FlowyML 1.7 has no routing at all (it arrived in 1.8).
 */
import { ROUTED_TYPES, UNROUTED_ASSET_TYPES } from './config';
import type { RoutingRule, StackComponent, StackDefinition, StackFile } from './types';

/** The FlowyML version family the workspace's stores were written by, when known. */
export type FlowymlFamily = '1.7' | '2.x' | undefined;

export interface RoutingRow {
  type: string;
  /** The rule that applies: the type's own, `default`, or none. */
  rule: string | undefined;
  storage: string;
  registry: string;
  /** The path template under the store, when a store is set. */
  path: string;
  deploy: string;
  /** `yes` when every configured action runs, `partly` when some do, `no` when none do or nothing is configured. */
  applied: 'yes' | 'partly' | 'no';
  /** Reasons why a configured action does not run, in plain sentences. */
  notes: string[];
}

/** Seed types in the order the seed's routing table lists them, with `Parameters` beside Metrics. */
export const TABLE_TYPES = ['Dataset', 'Model', 'Metrics', 'Parameters', 'FeatureSet', 'Prompt', 'Checkpoint', 'Report', 'Artifact'] as const;

/** Returns the rule FlowyML picks for a class name: its own, else `default`, else none. */
export function ruleFor(stack: StackDefinition, type: string): RoutingRule | undefined {
  return stack.routing.find((rule) => rule.type === type) ?? stack.routing.find((rule) => rule.type === 'default');
}

export function routingTable(file: StackFile, stack: StackDefinition, family: FlowymlFamily = '2.x'): RoutingRow[] {
  const custom = stack.routing.map((rule) => rule.type).filter((type) => type !== 'default' && !(TABLE_TYPES as readonly string[]).includes(type));

  return [...TABLE_TYPES, ...custom].map((type) => routingRow(file, stack, type, family));
}

/** Builds the routing row of one class name, as `routingTable` lists it. */
export function routingRow(file: StackFile, stack: StackDefinition, type: string, family: FlowymlFamily): RoutingRow {
  const rule = ruleFor(stack, type);
  const row: RoutingRow = { type, rule: rule?.type, storage: '—', registry: '—', path: '—', deploy: '—', applied: 'no', notes: [] };
  if (!rule) {
    row.notes.push('No rule: the router leaves this type alone.');
    return row;
  }

  const actions: boolean[] = [];
  const plugin = (role: string) => file.plugins.find((component) => component.role === role);
  const isModel = type === 'Model';
  const isTracked = type === 'Metrics' || type === 'Parameters';

  if (rule.store !== undefined) {
    row.storage = storageText(rule.store, stack, plugin('artifact_store'));
    row.path = rule.path;
    const store = plugin('artifact_store');
    if (!store) {
      row.notes.push('`store` is not applied: the router saves only through `plugins.artifact_store`, which this file does not configure.');
      actions.push(false);
    } else if (!isRemoteStoreType(store.type)) {
      row.notes.push(`\`store\` is not applied: \`plugins.artifact_store\` has type ${store.type ?? '(none)'}, and the router has plugins for GCS and S3 only.`);
      actions.push(false);
    } else {
      actions.push(true);
    }
  }

  if (rule.register && isModel) {
    const registry = plugin('model_registry');
    row.registry = registry?.type ?? componentType(stack, 'model_registry') ?? 'model registry (not configured)';
    if (!registry) row.notes.push('`register` is not applied: the router registers through `plugins.model_registry`, which this file does not configure.');
    actions.push(registry !== undefined);
  }
  if (rule.logToTracker && isTracked) {
    const tracker = plugin('experiment_tracker');
    row.registry = tracker?.type ?? componentType(stack, 'experiment_tracker') ?? 'experiment tracker (not configured)';
    if (!tracker) row.notes.push('`log_to_tracker` is not applied: the router logs through `plugins.experiment_tracker`, which this file does not configure.');
    actions.push(tracker !== undefined);
  }

  if (rule.deploy && isModel) {
    row.deploy = deployText(rule);
    const deployer = componentType(stack, 'model_deployer');
    const supported = deployer !== undefined && /vertex|sagemaker/i.test(deployer);
    if (!supported) row.notes.push(`\`deploy\` is not applied: it needs a \`model_deployer\` of a Vertex AI or SageMaker type, and this stack has ${deployer ?? 'none'}.`);
    if (rule.deployCondition === 'on_approval') row.notes.push('`deploy_condition: on_approval` never deploys automatically.');
    actions.push(supported && rule.deployCondition !== 'on_approval');
  }

  if ((UNROUTED_ASSET_TYPES as readonly string[]).includes(type)) {
    row.notes.unshift(`Not applied: FlowyML routes only flowyml.core.types values, and flowyml.assets.${type} is not one.`);
    actions.fill(false);
  } else if (!(ROUTED_TYPES as readonly string[]).includes(type) && rule.type === type) {
    row.notes.push(`Applies only to a custom flowyml.core.types.Artifact subclass named ${type}.`);
  }
  if (family === '1.7') {
    row.notes.unshift('Not applied: the store was written by FlowyML 1.7, which has no type-based routing (added in 1.8).');
    actions.fill(false);
  }

  if (actions.length === 0) {
    row.notes.push('The rule configures no action for this type.');
    row.applied = 'no';
  } else if (actions.every(Boolean)) {
    row.applied = 'yes';
  } else {
    row.applied = actions.some(Boolean) ? 'partly' : 'no';
  }

  return row;
}

function storageText(store: string, stack: StackDefinition, plugin: StackComponent | undefined): string {
  const named = stack.artifactStores[store];
  const component = named ?? plugin;
  if (!component) return store;

  return `${store} (${componentText(component)})`;
}

/** Describes a component in a few words, such as `gcs gs://bucket/prefix` or `local .flowyml/artifacts`. */
export function componentText(component: StackComponent): string {
  const type = component.type ?? 'local';
  const { settings } = component;
  let bucket: string | undefined;
  if (typeof settings.bucket === 'string') bucket = settings.bucket;
  else if (typeof settings.bucket_name === 'string') bucket = settings.bucket_name;
  const prefix = typeof settings.prefix === 'string' ? settings.prefix : '';
  if (bucket) {
    const scheme = /s3/i.test(type) ? 's3' : /gcs|google/i.test(type) ? 'gs' : /azure|az/i.test(type) ? 'az' : undefined;
    return scheme ? `${type} ${scheme}://${bucket}/${prefix}` : `${type} ${bucket}/${prefix}`;
  }
  if (typeof settings.path === 'string') return `${type} ${settings.path}`;
  if (typeof settings.tracking_uri === 'string') return `${type} ${settings.tracking_uri}`;

  return type;
}

function componentType(stack: StackDefinition, role: string): string | undefined {
  return stack.components.find((component) => component.role === role)?.type;
}

function isRemoteStoreType(type: string | undefined): boolean {
  return type !== undefined && /^(gcs|s3)$/i.test(type);
}

function deployText(rule: RoutingRule): string {
  const thresholds = Object.entries(rule.deployMinMetrics).map(([name, value]) => `${name} ≥ ${value}`);
  const condition = thresholds.length > 0 ? `${rule.deployCondition} (${thresholds.join(', ')})` : rule.deployCondition;

  return rule.endpointName ? `${condition} → ${rule.endpointName}` : `${condition} → <step>-endpoint`;
}

/** Returns the stack's local artifact-store folder, relative to the folder FlowyML ran in, as `StackConfig.to_stack()` picks it. */
export function localArtifactBase(stack: StackDefinition | undefined): string | undefined {
  const store = stack?.components.find((component) => component.role === 'artifact_store');
  if (!store) return stack ? '.flowyml/artifacts' : undefined;
  if (store.type !== undefined && store.type !== 'local') return undefined;

  return typeof store.settings.path === 'string' && store.settings.path !== '' ? store.settings.path : '.flowyml/artifacts';
}

/**
 * Renders the routing table as Markdown, in the seed's column layout plus the path, deployment and status.
 * `text` escapes each value taken from the file, and the command line passes its terminal escaping. It must leave `|` unchanged.
 */
export function routingMarkdown(rows: RoutingRow[], text: (value: string) => string = (value) => value): string {
  const cell = (value: string) => text(value).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [
    '| Asset type | Rule | Primary storage | Registry | Path template | Deploy condition | Applied | Notes |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    lines.push(`| ${[row.type, row.rule ?? '—', row.storage, row.registry, row.path === '—' ? '—' : `\`${row.path}\``, row.deploy, row.applied, row.notes.join(' ')].map(cell).join(' | ')} |`);
  }

  return `${lines.join('\n')}\n`;
}
