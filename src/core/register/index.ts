/** Registering files and values as new asset versions in catalog.db. */
export { planRegistration, parseVersionId, storedVersionsOf, type DuplicateVersion, type PlannedParent, type RegisterRequest, type RegisterSource, type RegistrationPlan } from './plan';
export { writeRegistration, DEFAULT_BUSY_TIMEOUT_MS, type WriteOptions, type WriteResult } from './write';
export { findWriteEngine, probeWriteEngines, EngineError, type EngineOptions, type EngineProbe, type WriteConnection, type WriteEngine } from './engine';
export { RegisterError, type RegisterErrorCode } from './errors';
export { suggestParents } from './suggest';
export { nextVersion, bumpVersion, FIRST_VERSION, type VersionBump } from './version';
export { hashFile, hashFolder, hashValue, type HashBasis } from './hash';
export { parseValue, inferValueType, type ValueSyntax } from './value';
export { pythonJsonDumps, parsePythonJson, floatRepr, PyDict, PyFloat, type PyValue } from './python-json';
export { parsePythonYaml } from './python-yaml';
export { CATALOG_DDL, CATALOG_COLUMNS, type CatalogRow } from './catalog-schema';
export { extractFile, inferAssetType, isSeedAssetType, ExtractionError, type CheckpointFacts, type Extraction, type ExtractProgress, type ColumnStats } from '../stats/index';
