/**
 * Which local names of a file refer to FlowyML. `Dataset` may be FlowyML's,
 * Hugging Face's or PyTorch's, and only the file's imports show which. A name
 * counts as FlowyML's when it is imported from a `flowyml` module, or when the
 * file imports from FlowyML and nothing else binds that name.
 */
import type { Node } from 'web-tree-sitter';

export class FlowymlImports {
  /** Local name → the FlowyML name it was imported as (`D` → `Dataset`). */
  private readonly names = new Map<string, string>();
  /** Local names bound to FlowyML modules (`flowyml`, `fm`, `routed`). */
  private readonly modules = new Set<string>();
  /** Local names imported from other modules. */
  private readonly foreign = new Set<string>();
  private importsFlowyml = false;

  /** Records one `import` or `from … import` statement. */
  add(statement: Node): void {
    if (statement.type === 'import_statement') this.addImport(statement);
    else if (statement.type === 'import_from_statement') this.addImportFrom(statement);
  }

  /** Resolves a bare identifier to the FlowyML name it refers to, if that is one of `known`. */
  resolveName(local: string, known: ReadonlySet<string>): string | undefined {
    const imported = this.names.get(local);
    if (imported !== undefined) return known.has(imported) ? imported : undefined;
    if (this.foreign.has(local) || this.modules.has(local)) return undefined;
    return this.importsFlowyml && known.has(local) ? local : undefined;
  }

  /** True when a dotted prefix such as `flowyml` or `routed` refers to a FlowyML module. */
  isFlowymlModule(root: string): boolean {
    if (this.modules.has(root)) return true;
    return root === 'flowyml' && !this.foreign.has(root) && !this.names.has(root);
  }

  private addImport(statement: Node): void {
    for (const child of statement.childrenForFieldName('name')) {
      if (!child) continue;
      if (child.type === 'aliased_import') {
        const dotted = child.childForFieldName('name')?.text ?? '';
        const alias = child.childForFieldName('alias')?.text;
        if (!alias) continue;
        if (isFlowymlModulePath(dotted)) {
          this.modules.add(alias);
          this.importsFlowyml = true;
        } else {
          this.foreign.add(alias);
        }
        continue;
      }
      // `import flowyml.core` binds `flowyml`.
      const root = child.text.split('.')[0];
      if (isFlowymlModulePath(child.text)) {
        this.modules.add(root);
        this.importsFlowyml = true;
      } else {
        this.foreign.add(root);
      }
    }
  }

  private addImportFrom(statement: Node): void {
    const moduleName = statement.childForFieldName('module_name');
    const fromFlowyml = moduleName?.type === 'dotted_name' && isFlowymlModulePath(moduleName.text);
    if (fromFlowyml) this.importsFlowyml = true;

    // `from flowyml import *` binds nothing by name: every FlowyML name counts, as after any FlowyML import.
    if (statement.namedChildren.some((c) => c?.type === 'wildcard_import')) return;

    for (const child of statement.childrenForFieldName('name')) {
      if (!child) continue;
      const imported = child.type === 'aliased_import' ? child.childForFieldName('name')?.text ?? '' : child.text;
      const local = child.type === 'aliased_import' ? child.childForFieldName('alias')?.text ?? imported : imported;
      if (!fromFlowyml) {
        this.foreign.add(local);
      } else if (/^[A-Z]/.test(imported) || imported === 'step') {
        // Classes and the `step` decorator; lower-case names such as `types` are modules.
        this.names.set(local, imported);
      } else {
        this.modules.add(local);
      }
    }
  }
}

function isFlowymlModulePath(dotted: string): boolean {
  return dotted === 'flowyml' || dotted.startsWith('flowyml.');
}
