/** Shared types of the extractors: what they return and how they report progress. */
import type { SeedAssetType } from '../model/types';

export interface ExtractProgress {
  /** The current step: reading a file for its facts, or hashing its bytes. */
  phase: 'extract' | 'hash';
  file: string;
  bytesDone: number;
  bytesTotal: number;
}

export interface ExtractOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ExtractProgress) => void;
}

/** The facts read from a file or folder. */
export interface Extraction {
  type: SeedAssetType;
  /** Properties under FlowyML's names (`num_samples`, `framework`, …), plus facts that have no such name. */
  properties: Record<string, unknown>;
  /** A Prompt's template: text, or a list of chat messages. */
  template?: unknown;
  /** Facts the reader could not establish, in plain sentences. */
  warnings: string[];
}

/** A file that cannot be read as the requested type, or cannot be read at all. */
export class ExtractionError extends Error {
  constructor(readonly code: 'unreadable' | 'unsupported' | 'invalid' | 'cancelled', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExtractionError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ExtractionError('cancelled', 'The extraction was cancelled.');
}
