import type * as TS from 'typescript';

/** One binding of an import the splice adds, with whether the spliced code needs it at run time. */
export interface ImportBinding {
  /** The exported name, 'default', or '*' for a namespace. */
  imported: string;
  local: string;
  /** Used in type positions only: erased, never imported at run time. */
  typeOnly: boolean;
}

/** An import the splice adds to the file: the entry's own, or a fresh one for a name the file imports. */
export interface PlannedImport {
  module: string;
  bindings: ImportBinding[];
}

const q = (s: string) => JSON.stringify(s);

function named(bindings: ImportBinding[], typeMarks: boolean): string {
  return bindings.map((b) => `${typeMarks && b.typeOnly ? 'type ' : ''}${b.imported === b.local ? b.local : `${b.imported} as ${b.local}`}`).join(', ');
}

/** As TypeScript source, type-only bindings marked `type` so that no tool imports them at run time. */
export function importToTypeScript(imp: PlannedImport): string {
  if (imp.bindings.length === 0) return `import ${q(imp.module)};`;
  const lines: string[] = [];
  for (const b of imp.bindings) {
    if (b.imported === 'default') lines.push(`import ${b.typeOnly ? 'type ' : ''}${b.local} from ${q(imp.module)};`);
    if (b.imported === '*') lines.push(`import ${b.typeOnly ? 'type ' : ''}* as ${b.local} from ${q(imp.module)};`);
  }
  const rest = imp.bindings.filter((b) => b.imported !== 'default' && b.imported !== '*');
  if (rest.length > 0) lines.push(`import { ${named(rest, true)} } from ${q(imp.module)};`);
  return lines.join('\n');
}

/** As an ES module needs it at run time: value bindings only; nothing when every binding is a type. */
export function importToEsm(imp: PlannedImport): string {
  if (imp.bindings.length === 0) return `import ${q(imp.module)};`;
  const values = imp.bindings.filter((b) => !b.typeOnly);
  const lines: string[] = [];
  for (const b of values) {
    if (b.imported === 'default') lines.push(`import ${b.local} from ${q(imp.module)};`);
    if (b.imported === '*') lines.push(`import * as ${b.local} from ${q(imp.module)};`);
  }
  const rest = values.filter((b) => b.imported !== 'default' && b.imported !== '*');
  if (rest.length > 0) lines.push(`import { ${named(rest, false)} } from ${q(imp.module)};`);
  return lines.join('\n');
}

/**
 * As CommonJS needs it: `require` calls, which tsc never has to rewrite (it rewrites references to
 * imports only in the file's own nodes). Default imports follow the `__esModule` convention.
 */
export function importToCommonJs(imp: PlannedImport): string {
  const mod = q(imp.module);
  if (imp.bindings.length === 0) return `require(${mod});`;
  const values = imp.bindings.filter((b) => !b.typeOnly);
  const lines: string[] = [];
  for (const b of values) {
    if (b.imported === 'default') lines.push(`const ${b.local} = ((m) => (m && m.__esModule ? m.default : m))(require(${mod}));`);
    if (b.imported === '*') lines.push(`const ${b.local} = require(${mod});`);
  }
  const rest = values.filter((b) => b.imported !== 'default' && b.imported !== '*');
  if (rest.length > 0) lines.push(`const { ${rest.map((b) => (b.imported === b.local ? b.local : `${b.imported}: ${b.local}`)).join(', ')} } = require(${mod});`);
  return lines.join('\n');
}

/** An entry's import declaration as a PlannedImport; `local` maps each local name to its final one. */
export function fromDeclaration(
  ts: typeof TS, decl: TS.ImportDeclaration, local: (name: string) => string, usedAsValue: (name: string) => boolean,
): PlannedImport {
  const module = (decl.moduleSpecifier as TS.StringLiteral).text;
  const clause = decl.importClause;
  if (!clause) return { module, bindings: [] };
  const binding = (imported: string, name: string, typeOnly: boolean): ImportBinding =>
    ({ imported, local: local(name), typeOnly: typeOnly || clause.isTypeOnly || !usedAsValue(name) });
  const bindings: ImportBinding[] = [];
  if (clause.name) bindings.push(binding('default', clause.name.text, false));
  const b = clause.namedBindings;
  if (b && ts.isNamespaceImport(b)) bindings.push(binding('*', b.name.text, false));
  if (b && ts.isNamedImports(b)) for (const el of b.elements) bindings.push(binding((el.propertyName ?? el.name).text, el.name.text, el.isTypeOnly));
  return { module, bindings };
}
