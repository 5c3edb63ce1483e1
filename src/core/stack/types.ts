/**
 * The stack configuration FlowyML reads from `flowyml.yaml`, as plain data:
 * stacks with their components, `artifact_routing` rules, the `plugins`
 * section, and the problems found while reading the file.
 */

/** A position range in the file, 0-based lines and columns (UTF-16), as editors count them. */
export interface TextRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface StackDiagnostic {
  severity: 'error' | 'warning' | 'information';
  /** A stable code such as `yaml-syntax`, `unknown-key` or `unknown-placeholder`. */
  code: string;
  message: string;
  range: TextRange;
}

/** One configured component (`orchestrator`, `artifact_store`, …), with its settings after `${VAR}` substitution. */
export interface StackComponent {
  role: string;
  type: string | undefined;
  settings: Record<string, unknown>;
}

/** One `artifact_routing` entry, with FlowyML's `ArtifactRoutingRule` defaults filled in. */
export interface RoutingRule {
  /** The key: a class name such as `Model`, or `default`. */
  type: string;
  store: string | undefined;
  /** The `str.format` template the router renders; FlowyML's default when the rule sets none. */
  path: string;
  pathIsDefault: boolean;
  register: boolean;
  deploy: boolean;
  deployCondition: string;
  deployMinMetrics: Record<string, number>;
  endpointName: string | undefined;
  logToTracker: boolean;
}

export interface StackDefinition {
  name: string;
  /** Components in file order; `artifact_stores` and `artifact_routing` are kept apart. */
  components: StackComponent[];
  /** Named stores under `artifact_stores`. */
  artifactStores: Record<string, StackComponent>;
  routing: RoutingRule[];
  /** `stacks` for a multi-stack file, `plugins` for the legacy single-stack format (named `default`). */
  source: 'stacks' | 'plugins';
}

/** Source of the active stack's name. */
export type ActiveStackSource = 'FLOWYML_STACK' | 'active_stack' | 'first stack';

export interface StackFile {
  /** Absolute path of the file read. */
  path: string;
  stacks: StackDefinition[];
  activeStack: string | undefined;
  activeSource: ActiveStackSource | undefined;
  /** Components of the `plugins` section, which FlowyML's router reads even in a multi-stack file. */
  plugins: StackComponent[];
  diagnostics: StackDiagnostic[];
}
