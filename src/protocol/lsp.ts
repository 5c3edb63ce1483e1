/**
 * The contract between the FlowyML language server and its clients: command
 * ids used in hover links and CodeLens, their argument shapes, the
 * initialization options, and the custom requests and notifications. Types
 * and guards only, shared by the server and the extension's language client.
 */
import { NotificationType, RequestType, RequestType0, type Location } from 'vscode-languageserver-protocol';

/** Commands the server puts into hover links and CodeLens. The client implements them. */
export const LspCommands = {
  /** Opens the details panel. Argument: a version id. */
  showDetails: 'flowyml.showDetails',
  /** Opens the lineage panel. Argument: a version id, a step id (`step:<run id>:<step>`) or a run id (`run:<run id>`). */
  showLineage: 'flowyml.showLineage',
  /** Compares two versions. Arguments: the older version id, then the newer one. */
  compareVersions: 'flowyml.compareVersions',
  /** Opens the prompt preview. Argument: a version id, or a {@link PromptTemplateArgument}. */
  previewPrompt: 'flowyml.previewPrompt',
  /** Lists every version downstream of a version in the Provenance view. Argument: a version id. */
  showImpact: 'flowyml.showImpact',
} as const;

export type LspCommandId = (typeof LspCommands)[keyof typeof LspCommands];

/**
 * The only commands a hover may run. The client marks hover Markdown as
 * trusted for these commands alone (`isTrusted: { enabledCommands }`), so a
 * `command:` link to anything else in store text stays inert.
 */
export const TRUSTED_HOVER_COMMANDS: readonly LspCommandId[] = [
  LspCommands.showDetails,
  LspCommands.showLineage,
  LspCommands.compareVersions,
  LspCommands.previewPrompt,
];

/** One message of a chat prompt template, as written in Python source. */
export interface ChatMessageLiteral {
  role: string;
  content: string;
}

/** A prompt template written literally in source, for previewing before it is ever stored. */
export interface PromptTemplateArgument {
  /** The asset name, when the call gives one. */
  name?: string;
  template: string | ChatMessageLiteral[];
}

export function isPromptTemplateArgument(value: unknown): value is PromptTemplateArgument {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  if (candidate.name !== undefined && typeof candidate.name !== 'string') return false;
  if (typeof candidate.template === 'string') return true;
  return Array.isArray(candidate.template) && candidate.template.every(isChatMessageLiteral);
}

function isChatMessageLiteral(value: unknown): value is ChatMessageLiteral {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.role === 'string' && typeof candidate.content === 'string';
}

/** `initializationOptions` the server accepts. */
export interface FlowymlInitializationOptions {
  /**
   * Stores to read instead of discovering the `.flowyml` folder of each
   * workspace folder: database files or folders, relative to each folder.
   */
  storePaths?: string[];
  /**
   * Team stores read with the first folder's stores. URLs carry no secret:
   * the server takes the password and key from its environment
   * (FLOWYML_DB_PASSWORD, FLOWYML_CATALOG_API_KEY), which no trace shows.
   */
  teamSources?: TeamSourceOptions;
  /** Limits on reading the stores, the same the client applies to its own reads. */
  limits?: StoreLimitOptions;
}

export interface StoreLimitOptions {
  /** Time limit of one store read, in milliseconds. */
  readTimeoutMs?: number;
  /** Appended to a read's timed-out error, to say how to allow longer reads in this client. */
  readTimeoutHint?: string;
  /** Maximum number of versions of one store that loads; 0 turns the memory guard off. */
  maxVersions?: number;
  /** Absolute paths of stores the user chose to load past `maxVersions`. */
  allow?: string[];
  /** Appended to a too-large error, to say how to load the store anyway in this client. */
  sizeHint?: string;
}

export interface TeamSourceOptions {
  metadataUrl?: string;
  catalogUrl?: string;
  statementTimeoutMs?: number;
  sslMode?: string;
  caFile?: string;
  /** Seconds between change checks; 0 turns them off. */
  pollIntervalSeconds?: number;
}

/** The state of the store index of one workspace folder. */
export interface FolderIndexStatus {
  /** Absolute path of the workspace folder. */
  root: string;
  /** Store paths relative to the folder. */
  stores: string[];
  versions: number;
  runs: number;
  /** Load problems, each naming the file it concerns. */
  problems: string[];
  /** ISO time of the last successful load; undefined before the first one. */
  loadedAt: string | undefined;
  /** How long the last load took, in milliseconds. */
  loadMs: number | undefined;
}

export interface IndexStatus {
  folders: FolderIndexStatus[];
  /** Incremented on every reload, so a client can tell two statuses apart. */
  generation: number;
}

/** Returns the current index status. */
export const IndexStatusRequest = new RequestType0<IndexStatus, void>('flowyml/indexStatus');

/** Reloads every store now, bypassing the file watcher's delay, and returns the new status. */
export const ReloadIndexRequest = new RequestType0<IndexStatus, void>('flowyml/reloadIndex');

/** Sent by the server after each reload that changed the index. */
export const IndexChangedNotification = new NotificationType<IndexStatus>('flowyml/indexChanged');

export interface StepLocationsParams {
  /** The step's name as the store records it (`name=` of the decorator, else the function name). */
  step: string;
}

/** Request for the locations of a step's definitions: the function name of each `@step` function with that store name. */
export const StepLocationsRequest = new RequestType<StepLocationsParams, Location[], void>('flowyml/stepLocations');
