/** Properties of files and folders for registering them as assets: dataset statistics, model facts, prompts. */
export { extractFile, inferAssetType, isMetricsObject, isSeedAssetType, listFiles, MAX_DOCUMENT_BYTES, type CheckpointFacts, type FileExtractOptions } from './extract';
export { ExtractionError, type Extraction, type ExtractOptions, type ExtractProgress } from './types';
export type { ColumnStats, NumericColumnStats, CategoricalColumnStats, EmptyColumnStats } from './column';
export { readSafetensorsHeader, type SafetensorsSummary } from './safetensors';
export { readOnnxModel, type OnnxSummary, type OnnxValueInfo } from './onnx';
export { templateVariables } from './prompt';
