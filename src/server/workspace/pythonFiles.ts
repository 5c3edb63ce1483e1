/**
 * The Python files the server has parsed: open documents, parsed from the
 * editor's text on each new version, and files of the workspace folders,
 * parsed from disk once at start and again when the client reports a change.
 * Only the extracted symbols are kept; syntax trees are freed right away.
 */
import fs from 'node:fs';
import path from 'node:path';
import { URI } from 'vscode-uri';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Logger } from '../log';
import { extractSymbols } from '../python/extract';
import { isEmpty, type FileSymbols } from '../python/model';
import type { PythonParser } from '../python/parser';
import { SourceText } from '../text/source';

export interface ParsedFile {
  uri: string;
  /** The document version for open files; undefined for files read from disk. */
  version: number | undefined;
  source: SourceText;
  symbols: FileSymbols;
}

export interface ScanLimits {
  /** Stop after this many .py files per workspace folder. */
  maxFiles: number;
  /** Skip files larger than this, in bytes. */
  maxFileBytes: number;
}

/** Folders that hold installed packages, caches or build output, never pipeline code. */
const SKIPPED_FOLDERS = new Set([
  '.git', '.hg', '.svn', '.flowyml', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', 'dist', 'build', '.ipynb_checkpoints',
]);

export class PythonFiles {
  private readonly open = new Map<string, ParsedFile>();
  /** Files read from disk that contain FlowyML symbols, by URI. */
  private readonly onDisk = new Map<string, ParsedFile>();

  constructor(
    private readonly parser: PythonParser,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly log: Logger,
  ) {}

  /** Returns the parsed form of an open document, or of a file read from disk. */
  get(uri: string): ParsedFile | undefined {
    const document = this.documents.get(uri);
    if (document) return this.parseDocument(document);
    return this.onDisk.get(normalizeUri(uri));
  }

  /** Lists every known file with FlowyML symbols; an open document replaces its copy on disk. */
  all(): ParsedFile[] {
    const files = new Map<string, ParsedFile>(this.onDisk);
    for (const document of this.documents.all()) {
      if (!isPython(document)) continue;
      files.set(normalizeUri(document.uri), this.parseDocument(document));
    }
    return [...files.values()];
  }

  closed(uri: string): void {
    this.open.delete(uri);
  }

  /** Re-reads a file after the client reports it created or changed. */
  diskChanged(uri: string): void {
    const file = fileOf(uri);
    if (!file || !file.endsWith('.py')) return;
    this.readFromDisk(file, Number.POSITIVE_INFINITY);
  }

  diskDeleted(uri: string): void {
    this.onDisk.delete(normalizeUri(uri));
  }

  /**
   * Parses the .py files under each folder, breadth first, skipping virtual
   * environments and caches. Yields to the event loop between files, so
   * requests are served while a large workspace is scanned.
   */
  async scan(roots: string[], limits: ScanLimits): Promise<void> {
    for (const root of roots) {
      const started = performance.now();
      let count = 0;
      const queue = [root];
      while (queue.length > 0 && count < limits.maxFiles) {
        const directory = queue.shift()!;
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(directory, { withFileTypes: true });
        } catch {
          continue;
        }
        for (const entry of entries) {
          const file = path.join(directory, entry.name);
          if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) queue.push(file);
          if (!entry.isFile() || !entry.name.endsWith('.py') || count >= limits.maxFiles) continue;
          count += 1;
          this.readFromDisk(file, limits.maxFileBytes);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      if (count >= limits.maxFiles) this.log.warn(`Stopped scanning ${root} after ${limits.maxFiles} Python files; steps in other files are found once they are opened.`);
      this.log.info(`Scanned ${count} Python file(s) in ${root} in ${Math.round(performance.now() - started)} ms; ${this.onDisk.size} contain FlowyML symbols.`);
    }
  }

  private readFromDisk(file: string, maxBytes: number): void {
    const uri = URI.file(file).toString();
    try {
      const stat = fs.statSync(file);
      if (stat.size > maxBytes) return;
      const text = fs.readFileSync(file, 'utf8');
      // Files that never mention FlowyML cannot hold its symbols; skipping them saves a parse.
      if (!text.includes('flowyml')) {
        this.onDisk.delete(uri);
        return;
      }
      const parsed = this.parse(uri, undefined, text);
      if (isEmpty(parsed.symbols)) this.onDisk.delete(uri);
      else this.onDisk.set(uri, parsed);
    } catch (error) {
      this.onDisk.delete(uri);
      this.log.warn(`Couldn't read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private parseDocument(document: TextDocument): ParsedFile {
    const cached = this.open.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const parsed = this.parse(document.uri, document.version, document.getText());
    this.open.set(document.uri, parsed);
    return parsed;
  }

  private parse(uri: string, version: number | undefined, text: string): ParsedFile {
    const source = new SourceText(text);
    const tree = this.parser.parse(text);
    try {
      return { uri, version, source, symbols: extractSymbols(tree, source, this.parser.offsetUnit) };
    } finally {
      tree.delete();
    }
  }
}

export function isPython(document: TextDocument): boolean {
  return document.languageId === 'python' || document.uri.endsWith('.py');
}

/** Normalizes a file URI to one spelling, because clients differ in which characters they percent-encode. */
function normalizeUri(uri: string): string {
  return URI.parse(uri).toString();
}

function fileOf(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}
