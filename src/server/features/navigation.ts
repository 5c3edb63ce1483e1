/**
 * Go to definition from a step input to the steps that output that name,
 * and find references from an output (or input) name to the steps that
 * consume it, across every known Python file.
 */
import { SymbolKind, type Location, type SymbolInformation } from 'vscode-languageserver';
import type { StepIoSymbol } from '../python/model';
import type { NameIndex } from '../store/nameIndex';
import type { ParsedFile } from '../workspace/pythonFiles';

/**
 * Finds the outputs named like an input. When no known file declares that
 * output, the steps that recorded it in the store are located by name.
 */
export function inputDefinition(symbol: StepIoSymbol, files: ParsedFile[], index: NameIndex): Location[] {
  if (symbol.role !== 'input' || symbol.name.value.kind !== 'static') return [];
  const name = symbol.name.value.value;

  const declared = ioLocations(files, 'output', name);
  if (declared.length > 0) return declared;

  const producers = new Set(index.versionsOfOutput(name).map((e) => e.version.step));
  const locations: Location[] = [];
  for (const file of files) {
    for (const step of file.symbols.steps) {
      if (producers.has(step.name)) locations.push({ uri: file.uri, range: file.source.range(step.nameSpan.start, step.nameSpan.end) });
    }
  }
  return locations;
}

/** Finds the inputs that consume a name, and with `includeDeclaration` also the outputs that produce it. */
export function ioReferences(symbol: StepIoSymbol, files: ParsedFile[], includeDeclaration: boolean): Location[] {
  if (symbol.name.value.kind !== 'static') return [];
  const name = symbol.name.value.value;
  const consumers = ioLocations(files, 'input', name);
  return includeDeclaration ? [...ioLocations(files, 'output', name), ...consumers] : consumers;
}

function ioLocations(files: ParsedFile[], role: 'input' | 'output', name: string): Location[] {
  const locations: Location[] = [];
  // Steps that share a list constant share its strings; each string is listed once.
  const seen = new Set<string>();
  for (const file of files) {
    for (const step of file.symbols.steps) {
      for (const io of role === 'input' ? step.inputs : step.outputs) {
        if (io.name.value.kind !== 'static' || io.name.value.value !== name) continue;
        const key = `${file.uri}:${io.name.span.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        locations.push({ uri: file.uri, range: file.source.range(io.name.span.start, io.name.span.end) });
      }
    }
  }
  return locations;
}

/** Returns the definitions of the steps the store calls `step`, in file order. */
export function stepLocations(files: ParsedFile[], step: string): Location[] {
  const locations: Location[] = [];
  for (const file of files) {
    for (const symbol of file.symbols.steps) {
      if (symbol.name === step) locations.push({ uri: file.uri, range: file.source.range(symbol.nameSpan.start, symbol.nameSpan.end) });
    }
  }
  return locations;
}

/** Maximum number of workspace symbols per query. An editor sends a new query as the user types. */
const MAX_WORKSPACE_SYMBOLS = 500;

/**
 * Steps whose store name or function name contains the query, case
 * insensitive, as workspace symbols. The client filters further with its own
 * fuzzy matching.
 */
export function stepSymbols(files: ParsedFile[], query: string): SymbolInformation[] {
  const needle = query.toLowerCase();
  const symbols: SymbolInformation[] = [];
  for (const file of files) {
    for (const step of file.symbols.steps) {
      if (!step.name.toLowerCase().includes(needle) && !step.functionName.toLowerCase().includes(needle)) continue;
      symbols.push({
        name: step.name,
        kind: SymbolKind.Function,
        containerName: step.name === step.functionName ? 'FlowyML step' : `FlowyML step (${step.functionName})`,
        location: { uri: file.uri, range: file.source.range(step.nameSpan.start, step.nameSpan.end) },
      });
      if (symbols.length >= MAX_WORKSPACE_SYMBOLS) return symbols;
    }
  }
  return symbols;
}
