/**
 * Every id the manifest (package.json) declares and the code uses: commands,
 * views, context keys, settings and webview types. A unit test checks these
 * against package.json, so a rename cannot leave a menu pointing nowhere.
 */

export const EXTENSION_ID = 'flowyml-assets.flowyml-assets';

export const Commands = {
  refresh: 'flowyml.refresh',
  chooseStoreFolder: 'flowyml.chooseStoreFolder',
  openSampleWorkspace: 'flowyml.openSampleWorkspace',
  showLog: 'flowyml.showLog',
  showDetails: 'flowyml.showDetails',
  copyId: 'flowyml.copyId',
  revealFile: 'flowyml.revealFile',
  filterAssets: 'flowyml.assets.filter',
  clearAssetFilter: 'flowyml.assets.clearFilter',
  showMoreVersions: 'flowyml.assets.showMore',
  previewPrompt: 'flowyml.previewPrompt',
  renderPrompt: 'flowyml.renderPrompt',
  showLineage: 'flowyml.showLineage',
  showDetailsLineage: 'flowyml.details.showLineage',
  showDetailsPrompt: 'flowyml.details.previewPrompt',
  compareVersions: 'flowyml.compareVersions',
  compareWith: 'flowyml.compareWith',
  pinBaseline: 'flowyml.pinBaseline',
  unpinBaseline: 'flowyml.unpinBaseline',
  compareTemplate: 'flowyml.compareTemplate',
  showDetailsCompare: 'flowyml.details.compare',
  registerAsset: 'flowyml.registerAsset',
  explorerRegisterAsset: 'flowyml.explorer.registerAsset',
  registerSelection: 'flowyml.registerSelection',
  restartLanguageServer: 'flowyml.restartLanguageServer',
  openArtifact: 'flowyml.openArtifact',
  revealArtifact: 'flowyml.revealArtifact',
  copyArtifactUri: 'flowyml.copyArtifactUri',
  checkArtifactFiles: 'flowyml.checkArtifactFiles',
  switchStack: 'flowyml.stack.switch',
  showRoutingTable: 'flowyml.stack.showRoutingTable',
  setDatabasePassword: 'flowyml.setDatabasePassword',
  clearDatabasePassword: 'flowyml.clearDatabasePassword',
  setCatalogApiKey: 'flowyml.setCatalogApiKey',
  clearCatalogApiKey: 'flowyml.clearCatalogApiKey',
  showImpact: 'flowyml.showImpact',
  whyDiffer: 'flowyml.whyDiffer',
  exportProvenance: 'flowyml.exportProvenance',
  toggleStaleOnly: 'flowyml.assets.toggleStaleOnly',
  showDetailsImpact: 'flowyml.details.showImpact',
  showLineageImpact: 'flowyml.lineage.showImpact',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'flowyml',
  assets: 'flowyml.assets',
  stack: 'flowyml.stack',
  /** The panel container (bottom area) of the Provenance view. */
  panelContainer: 'flowyml-panel',
  provenance: 'flowyml.provenance',
} as const;

export const ContextKeys = {
  /** `searching`, `none`, `found` or `error`: drives the welcome content. */
  storeState: 'flowyml.workspace.storeState',
  /** True while the Assets tree has a text or type filter. */
  assetsFiltered: 'flowyml.assets.filtered',
  /** The context values of every version row, so menus can use `viewItem in …` rather than a regex. */
  versionItems: 'flowyml.assets.versionItems',
  /** The context values of version rows whose file exists. */
  fileItems: 'flowyml.assets.fileItems',
  /** True while the details panel shows a Prompt version, for its Preview Prompt title button. */
  detailsShowsPrompt: 'flowyml.details.showsPrompt',
  /** True while a version is pinned as the comparison baseline. */
  compareBaseline: 'flowyml.compare.baselinePinned',
  /** `available` or `missing`: whether an SQLite engine that can write catalog.db was found. Unset until the first check. */
  registerEngine: 'flowyml.register.engine',
  /** True while a team catalog API is configured, which takes registrations without a local SQLite engine. */
  teamCatalog: 'flowyml.register.teamCatalog',
  /** The editor languages whose selection Register Selection reads: JSON and YAML. */
  selectionLanguages: 'flowyml.register.selectionLanguages',
  /** True while the Assets view shows only stale versions. */
  staleOnly: 'flowyml.assets.staleOnly',
} as const;

export type StoreState = 'searching' | 'none' | 'found' | 'error';

/** Setting keys under the `flowyml` section. */
export const Settings = {
  section: 'flowyml',
  storePaths: 'storePaths',
  groupBy: 'explorer.groupBy',
  pythonPath: 'pythonPath',
  traceServer: 'trace.server',
  metadataUrl: 'metadataUrl',
  catalogUrl: 'catalogUrl',
  teamPollInterval: 'team.pollInterval',
  teamStatementTimeout: 'team.statementTimeout',
  teamSslMode: 'team.sslMode',
  teamCaFile: 'team.caFile',
  storeReadTimeoutSeconds: 'storeReadTimeoutSeconds',
  maxStoreVersions: 'maxStoreVersions',
} as const;

export const TRACE_SERVER_VALUES = ['off', 'messages', 'verbose'] as const;
export type TraceServer = (typeof TRACE_SERVER_VALUES)[number];

export const GROUP_BY_VALUES = ['type', 'pipeline', 'run'] as const;
export type GroupBy = (typeof GROUP_BY_VALUES)[number];

export const WebviewTypes = {
  details: 'flowyml.details',
  lineage: 'flowyml.lineage',
  prompt: 'flowyml.prompt',
  compare: 'flowyml.compare',
  preview: 'flowyml.preview',
} as const;

export const LOG_CHANNEL_NAME = 'FlowyML';
