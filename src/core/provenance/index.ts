/** Provenance for audits: impact sets, stale marks, lineage diffs and the audit export. */
export { impactOf, versionRef, type ImpactGroup, type ImpactReport, type VersionRef } from './impact';
export { StaleChecker, type StaleMark, type StaleReason } from './stale';
export { diffLineage, type AncestorDifference, type LineageDiff, type MissingParent, type ParameterDifference } from './diff';
export { gatherChain, type ChainFile, type ChainGaps, type ChainParent, type ChainRun, type ChainVersion, type ProvenanceChain } from './chain';
export { toProvJson, PROV_NAMESPACE, type ProvDocument } from './prov-json';
export { toOpenLineage, runUuid, OPENLINEAGE_SCHEMA_URL, type OpenLineageEvent } from './openlineage';
export { renderReadme, markdownText } from './readme';
export { buildExport, existingExportFile, exportProvenance, normalizeExportTime, EXPORT_FILES, type ExportOptions, type ExportResult } from './export';
