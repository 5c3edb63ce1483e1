/** The core's public entry point, shared by the extension, the language server and the command line. */
export * from './api';
export * from './errors';
export * from './model/types';
export { loadWorkspace, type LoadOptions } from './store/workspace';
export { DEFAULT_MAX_STORE_VERSIONS, type SizeGuardOptions } from './store/size-guard';
export { reloadWorkspace, reloadReport, type ReloadReport, type StoreReloadOutcome } from './store/incremental';
export { parseTolerantJson, stringifyJson } from './json/tolerant';
export { compareVersionStrings, versionLabel } from './model/versions';
export { discoverStores } from './store/discover';
export * as register from './register/index';
export * from './prompt/index';
export * from './compare/index';
export * as provenance from './provenance/index';
