/**
 * The JavaScript a run of examples loads: the spec's file and the project files it imports, transitively,
 * each as it ships (spec files with their plans rendered) and transpiled in the module format the file
 * emits, laid out as in the project so relative imports resolve. Packages resolve from the project's
 * node_modules, because the run folder lives inside it.
 */
import * as path from 'node:path';
import type * as TS from 'typescript';
import { isProjectFile } from '../spec/collect-types';
import { emitsCommonJs } from '../splice/module-format';

export interface RunnableFile {
  /** Path inside the run folder, with `/`. */
  path: string;
  text: string;
}

export interface RunnableModules {
  files: RunnableFile[];
  /** Run-folder path of each source file's JavaScript. */
  pathOf: Map<string, string>;
  /** The `type` of the run folder's package.json: what `.js` files are. */
  packageType: 'commonjs' | 'module';
}

function moduleTargets(ts: typeof TS, program: TS.Program, sf: TS.SourceFile): TS.SourceFile[] {
  const checker = program.getTypeChecker();
  const specifiers: TS.Expression[] = [];
  for (const stmt of sf.statements) {
    if ((ts.isImportDeclaration(stmt) || ts.isExportDeclaration(stmt)) && stmt.moduleSpecifier) {
      const clause = ts.isImportDeclaration(stmt) ? stmt.importClause : undefined;
      if (!(clause?.isTypeOnly || (ts.isExportDeclaration(stmt) && stmt.isTypeOnly))) specifiers.push(stmt.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(stmt) && !stmt.isTypeOnly && ts.isExternalModuleReference(stmt.moduleReference)) {
      specifiers.push(stmt.moduleReference.expression);
    }
  }
  return specifiers.flatMap((s) => {
    const target = checker.getSymbolAtLocation(s)?.declarations?.find(ts.isSourceFile);
    return target && isProjectFile(program, target) && !target.isDeclarationFile ? [target] : [];
  });
}

/** The project files `roots` load at run time, roots included. */
export function runtimeClosure(ts: typeof TS, program: TS.Program, roots: readonly TS.SourceFile[]): TS.SourceFile[] {
  const seen = new Set<TS.SourceFile>(roots);
  const queue = [...roots];
  while (queue.length > 0) {
    for (const target of moduleTargets(ts, program, queue.pop()!)) {
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return [...seen];
}

function commonDir(files: readonly string[]): string {
  let dir = path.dirname(files[0]!);
  for (const f of files) while (path.relative(dir, f).startsWith('..')) dir = path.dirname(dir);
  return dir;
}

const JS_EXTENSION: Record<string, string> = { '.ts': '.js', '.tsx': '.js', '.mts': '.mjs', '.cts': '.cjs', '.js': '.js', '.jsx': '.js', '.mjs': '.mjs', '.cjs': '.cjs' };

/** A second copy of a file, with other text, written beside it as `<name>.<suffix>.js` (a mutant). */
export interface ModuleVariant {
  sourceFile: TS.SourceFile;
  suffix: string;
  text: string;
}

/**
 * Transpiles `files` (with `textOf` giving what ships of each: the plan's rendering for spec files) into
 * the run folder's layout; each variant lands beside its file, so its relative imports resolve alike.
 */
export function runnableModules(
  ts: typeof TS, program: TS.Program, files: readonly TS.SourceFile[], textOf: (sf: TS.SourceFile) => string,
  variants: readonly ModuleVariant[] = [],
): RunnableModules & { variantPath: Map<string, string> } {
  const root = commonDir(files.map((f) => f.fileName));
  const base = program.getCompilerOptions();
  const out: RunnableFile[] = [];
  const pathOf = new Map<string, string>();
  const variantPath = new Map<string, string>();
  let esmJs = 0;
  let cjsJs = 0;
  const transpile = (sf: TS.SourceFile, text: string, suffix?: string): string => {
    const rel = path.relative(root, sf.fileName).split(path.sep).join('/');
    const ext = path.extname(sf.fileName);
    const target = `${rel.slice(0, rel.length - ext.length)}${suffix === undefined ? '' : `.${suffix}`}${JS_EXTENSION[ext] ?? '.js'}`;
    const commonJs = emitsCommonJs(ts, program, sf);
    if (suffix === undefined && target.endsWith('.js')) commonJs ? cjsJs++ : esmJs++;
    const { outputText } = ts.transpileModule(text, {
      fileName: sf.fileName,
      compilerOptions: {
        ...base,
        module: commonJs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext,
        noEmit: false, declaration: false, declarationMap: false, sourceMap: false, inlineSourceMap: false,
        emitDeclarationOnly: false, verbatimModuleSyntax: false, isolatedModules: false,
        // `./x.ts` specifiers (allowImportingTsExtensions) name the `.js` written here.
        rewriteRelativeImportExtensions: true,
      } as TS.CompilerOptions,
    });
    out.push({ path: target, text: outputText });
    return target;
  };
  for (const sf of files) {
    if (sf.fileName.endsWith('.json')) {
      out.push({ path: path.relative(root, sf.fileName).split(path.sep).join('/'), text: sf.text });
      continue;
    }
    pathOf.set(sf.fileName, transpile(sf, textOf(sf)));
  }
  for (const v of variants) variantPath.set(v.suffix, transpile(v.sourceFile, v.text, v.suffix));
  return { files: out, pathOf, variantPath, packageType: esmJs > cjsJs ? 'module' : 'commonjs' };
}

/**
 * The file's top-level names that exist at run time (its values and value imports, its specs): what an
 * example of a spec in that file can use, as code in the file could.
 */
export function runtimeScope(ts: typeof TS, program: TS.Program, sf: TS.SourceFile, specNames: readonly string[]): string[] {
  const checker = program.getTypeChecker();
  const names = new Set<string>(specNames);
  const isDeclare = (s: TS.Statement) => ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
  const bindings = (n: TS.BindingName): string[] => (ts.isIdentifier(n) ? [n.text] : n.elements.flatMap((e) => (ts.isBindingElement(e) ? bindings(e.name) : [])));
  const isValueImport = (id: TS.Identifier): boolean => {
    const symbol = checker.getSymbolAtLocation(id);
    if (!symbol) return false;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return (target.flags & ts.SymbolFlags.Value) !== 0;
  };
  for (const s of sf.statements) {
    if (isDeclare(s)) continue;
    if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) names.add(s.name.text);
    else if (ts.isEnumDeclaration(s) && !(ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ConstKeyword)) names.add(s.name.text);
    else if (ts.isVariableStatement(s)) s.declarationList.declarations.forEach((d) => bindings(d.name).forEach((n) => names.add(n)));
    else if (ts.isImportDeclaration(s) && s.importClause && !s.importClause.isTypeOnly) {
      const c = s.importClause;
      const ids = [
        ...(c.name ? [c.name] : []),
        ...(c.namedBindings && ts.isNamespaceImport(c.namedBindings) ? [c.namedBindings.name] : []),
        ...(c.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements.filter((e) => !e.isTypeOnly).map((e) => e.name) : []),
      ];
      ids.filter(isValueImport).forEach((id) => names.add(id.text));
    } else if (ts.isImportEqualsDeclaration(s) && !s.isTypeOnly && isValueImport(s.name)) names.add(s.name.text);
  }
  return [...names].sort();
}
