/**
 * The answer corpus (fixtures/corpus) without Jaunt: every answer is put in a module of its own next to its
 * spec's file, importing what it uses of that file's scope, and the spec's file re-exports it. Compiled by plain
 * tsc, this checks the answers and the vectors on their own, so that a failure of the Jaunt build can be blamed
 * on the splice and not on the corpus.
 *
 * For a spec file `src/x.ts` with specs `f` and `g`:
 *   src/x.spec.ts   the original file (its `declare function`s emit nothing)
 *   src/__ref_f.ts  imports from './x.spec.js', other specs and x's own imports, then answers/f.ts with `export`
 *   src/x.ts        `export * from './x.spec.js'; export { f } from './__ref_f.js'; export { g } from ...`
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export interface CorpusSpec {
  name: string;
  /** The spec's file, relative to src/ ("strings.ts"). */
  file: string;
}

const isJauntSpec = (stmt: ts.Statement): stmt is ts.FunctionDeclaration =>
  ts.isFunctionDeclaration(stmt) && stmt.name !== undefined &&
  (ts.getModifiers(stmt) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword) &&
  ts.getJSDocTags(stmt).some((t) => t.tagName.text === 'jaunt');

const parse = (file: string, text = fs.readFileSync(file, 'utf8')): ts.SourceFile =>
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

/** Every spec of the project's src/, in file order. */
export function corpusSpecs(srcDir: string): CorpusSpec[] {
  const specs: CorpusSpec[] = [];
  for (const file of fs.readdirSync(srcDir).filter((f) => f.endsWith('.ts')).sort()) {
    const names = parse(path.join(srcDir, file)).statements.filter(isJauntSpec).map((s) => s.name!.text);
    for (const name of new Set(names)) specs.push({ name, file });
  }
  return specs;
}

/** Whether an identifier only names a property, member or label (and so refers to no binding). */
function isMemberName(id: ts.Identifier): boolean {
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isQualifiedName(p) && p.right === id)) return true;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) ||
       ts.isMethodSignature(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isEnumMember(p) ||
       ts.isNamedTupleMember(p)) && p.name === id) return true;
  if ((ts.isBindingElement(p) || ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) && p.propertyName === id) return true;
  return ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p);
}

/** Names the answer refers to but declares nowhere: they come from the spec file's scope (or are globals). */
function freeNames(sf: ts.SourceFile): Set<string> {
  const bound = new Set<string>();
  const used = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) bound.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) bind(n.name);
    else if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassDeclaration(n) || ts.isClassExpression(n) ||
              ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n) || ts.isEnumDeclaration(n) || ts.isTypeParameterDeclaration(n) ||
              ts.isImportClause(n) || ts.isImportSpecifier(n) || ts.isNamespaceImport(n)) && n.name) bound.add(n.name.text);
    if (ts.isIdentifier(n) && !isMemberName(n)) used.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return new Set([...used].filter((n) => !bound.has(n)));
}

/** Top-level names a spec file declares itself, with whether they are exported. */
function ownDeclarations(sf: ts.SourceFile): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const stmt of sf.statements) {
    const exported = (ts.canHaveModifiers(stmt) ? ts.getModifiers(stmt) ?? [] : []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) if (ts.isIdentifier(d.name)) out.set(d.name.text, exported);
    } else if ((ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt) || ts.isInterfaceDeclaration(stmt) ||
                ts.isTypeAliasDeclaration(stmt) || ts.isEnumDeclaration(stmt)) && stmt.name) {
      out.set(stmt.name.text, exported);
    }
  }
  return out;
}

/** The spec file's own import bindings: local name → the import line that brings just that name. */
function importLines(sf: ts.SourceFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt) || !stmt.importClause) continue;
    const from = (stmt.moduleSpecifier as ts.StringLiteral).text;
    const clause = stmt.importClause;
    const type = clause.isTypeOnly ? 'type ' : '';
    if (clause.name) out.set(clause.name.text, `import ${type}${clause.name.text} from '${from}';`);
    const b = clause.namedBindings;
    if (b && ts.isNamespaceImport(b)) out.set(b.name.text, `import ${type}* as ${b.name.text} from '${from}';`);
    if (b && ts.isNamedImports(b)) {
      for (const el of b.elements) {
        const spec = el.propertyName ? `${el.propertyName.text} as ${el.name.text}` : el.name.text;
        out.set(el.name.text, `import ${type}{ ${el.isTypeOnly ? 'type ' : ''}${spec} } from '${from}';`);
      }
    }
  }
  return out;
}

/** The answer's text with `export` on its declarations of the spec's function (overloads included). */
function exportMain(sf: ts.SourceFile, name: string): string {
  let text = sf.text;
  const starts = sf.statements
    .filter((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name)
    .filter((s) => !(ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
    .map((s) => s.getStart(sf))
    .sort((a, b) => b - a);
  for (const at of starts) text = `${text.slice(0, at)}export ${text.slice(at)}`;
  return text;
}

const specStem = (file: string): string => file.replace(/\.ts$/, '');

/**
 * Rewrites the copy of the corpus in `projectDir` into the hand-spliced reference and writes
 * `tsconfig.ref.json` (the given tsconfig without plugins). Throws when an answer uses a name of its spec's
 * file that the file does not export.
 */
export function writeReferenceProject(projectDir: string, tsconfig: string): void {
  const src = path.join(projectDir, 'src');
  const specs = corpusSpecs(src);
  const specNames = new Set(specs.map((s) => s.name));
  for (const file of new Set(specs.map((s) => s.file))) {
    const stem = specStem(file);
    const original = parse(path.join(src, file));
    fs.renameSync(path.join(src, file), path.join(src, `${stem}.spec.ts`));
    const own = ownDeclarations(original);
    const imports = importLines(original);
    const mine = specs.filter((s) => s.file === file);
    for (const { name } of mine) {
      const answerPath = path.join(projectDir, 'answers', `${name}.ts`);
      const answer = parse(answerPath);
      const lines: string[] = [];
      for (const used of [...freeNames(answer)].sort()) {
        if (specNames.has(used) && used !== name) lines.push(`import { ${used} } from './__ref_${used}.js';`);
        else if (own.has(used) && used !== name) {
          if (!own.get(used)) throw new Error(`answers/${name}.ts uses ${used}, which src/${file} does not export`);
          lines.push(`import { ${used} } from './${stem}.spec.js';`);
        } else if (imports.has(used)) lines.push(imports.get(used)!);
      }
      fs.writeFileSync(path.join(src, `__ref_${name}.ts`), `${lines.join('\n')}\n\n${exportMain(answer, name)}`);
    }
    const shim = [`export * from './${stem}.spec.js';`, ...mine.map(({ name }) => `export { ${name} } from './__ref_${name}.js';`)];
    fs.writeFileSync(path.join(src, file), `${shim.join('\n')}\n`);
  }
  const config = JSON.parse(fs.readFileSync(path.join(projectDir, tsconfig), 'utf8')) as { compilerOptions: Record<string, unknown> };
  delete config.compilerOptions.plugins;
  fs.writeFileSync(path.join(projectDir, 'tsconfig.ref.json'), JSON.stringify(config, null, 2));
}
