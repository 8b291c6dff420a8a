import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { capabilityRule, grantsOf } from '../validate/capabilities';
import { relativePath, type AnalyzedSpec, type ProgramAnalysis } from '../core/analyze-program';
import { emitsCommonJs } from '../splice/module-format';
import { kindPrompt } from '../spec-kinds/kind-prompts';
import { shapeOf } from '../spec-kinds/shapes';

export interface PromptOptions {
  /** Package names the project's package.json declares. */
  packageDeps: readonly string[];
}

/** A chat turn after the first user message (the same shape as provider.ts's ChatTurn). */
export interface RepairTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface Prompt {
  system: string;
  user: string;
}

/** How a dependency spec is reached from the spec's file. */
export type DependencyAccess =
  | { dep: AnalyzedSpec; kind: 'same-file' }
  | { dep: AnalyzedSpec; kind: 'imported'; specifier: string; local: string }
  | { dep: AnalyzedSpec; kind: 'import'; specifier: string };

/** Names of dependencies, devDependencies and peerDependencies of the package.json nearest `projectDir`. */
export function readPackageDeps(projectDir: string): string[] {
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      let json: unknown;
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        return []; // a broken package.json allows no packages; the compiler reports the file elsewhere
      }
      const names = new Set<string>();
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
        const deps = isRecord(json) ? json[field] : undefined;
        if (isRecord(deps)) Object.keys(deps).forEach((n) => names.add(n));
      }
      return [...names].sort();
    }
    if (path.dirname(dir) === dir) return [];
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function usesNodeResolution(ts: typeof TS, o: TS.CompilerOptions): boolean {
  const r = o.moduleResolution;
  if (r !== undefined) return r === ts.ModuleResolutionKind.Node16 || r === ts.ModuleResolutionKind.NodeNext;
  return o.module !== undefined && o.module >= ts.ModuleKind.Node16 && o.module <= ts.ModuleKind.NodeNext;
}

/** The specifier the spec's file would write for `to`: Node16/NodeNext resolution wants the emitted extension. */
export function relativeSpecifier(ts: typeof TS, o: TS.CompilerOptions, from: string, to: string): string {
  let rel = path.relative(path.dirname(from), to).split(path.sep).join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  const explicit = usesNodeResolution(ts, o);
  return rel.replace(/\.(d\.)?([cm]?)tsx?$/, (_all, _d, kind: string) => (kind ? `.${kind}js` : explicit ? '.js' : ''));
}

/** The file an import declaration of `sf` resolves to, if it resolves into the program. */
function importTarget(ts: typeof TS, checker: TS.TypeChecker, stmt: TS.ImportDeclaration): string | undefined {
  return checker.getSymbolAtLocation(stmt.moduleSpecifier)?.declarations?.find(ts.isSourceFile)?.fileName;
}

export const importDeclarations = (ts: typeof TS, sf: TS.SourceFile): TS.ImportDeclaration[] =>
  sf.statements.filter((s): s is TS.ImportDeclaration => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier));

/** For each dependency of `spec`: same file, already imported (under which name), or to be imported from where. */
export function dependencyAccess(ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, spec: AnalyzedSpec): DependencyAccess[] {
  const sf = spec.found.sourceFile;
  const checker = program.getTypeChecker();
  const imports = importDeclarations(ts, sf).map((stmt) => ({ stmt, target: importTarget(ts, checker, stmt) }));
  return spec.ir.deps.flatMap((id): DependencyAccess[] => {
    const dep = analysis.byId.get(id);
    if (!dep) return [];
    const depFile = dep.found.sourceFile.fileName;
    if (depFile === sf.fileName) return [{ dep, kind: 'same-file' }];
    const fromFile = imports.filter((i) => i.target === depFile);
    for (const { stmt } of fromFile) {
      const b = stmt.importClause?.namedBindings;
      const el = b && ts.isNamedImports(b) ? b.elements.find((e) => (e.propertyName ?? e.name).text === dep.ir.name && !e.isTypeOnly) : undefined;
      if (el && !stmt.importClause?.isTypeOnly) {
        return [{ dep, kind: 'imported', specifier: (stmt.moduleSpecifier as TS.StringLiteral).text, local: el.name.text }];
      }
    }
    const specifier = fromFile[0] ? (fromFile[0].stmt.moduleSpecifier as TS.StringLiteral).text
      : relativeSpecifier(ts, program.getCompilerOptions(), sf.fileName, depFile);
    return [{ dep, kind: 'import', specifier }];
  });
}

/** A spec as its author wrote it: the JSDoc and the declarations (with anything between overloads). */
export function specText(spec: AnalyzedSpec): string {
  const { sourceFile: sf, declarations, jsdoc } = spec.found;
  return `${jsdoc.raw}\n${sf.text.slice(declarations[0]!.getStart(sf), declarations[declarations.length - 1]!.end)}`;
}

function enumName(e: Record<number, string>, value: number | undefined): string | undefined {
  const name = value === undefined ? undefined : e[value];
  return name === 'Latest' ? 'ESNext' : name;
}

/** The settings that change what code is valid: target, module format, lib, types and strictness. */
export function describeCompiler(ts: typeof TS, program: TS.Program, sf: TS.SourceFile): string {
  const o = program.getCompilerOptions();
  const target = enumName(ts.ScriptTarget, o.target ?? ts.ScriptTarget.ES5)!;
  const module = enumName(ts.ModuleKind, o.module) ?? `default for ${target}`;
  const format = emitsCommonJs(ts, program, sf) ? 'CommonJS' : 'an ES module';
  const lib = o.lib ? o.lib.map((l) => l.replace(/^lib\./, '').replace(/\.d\.ts$/, '')).join(', ') : `default for ${target}`;
  const flags = ['strict', 'noUncheckedIndexedAccess', 'exactOptionalPropertyTypes', 'noImplicitReturns', 'noUnusedLocals', 'noUnusedParameters']
    .filter((k) => o[k] === true);
  return [`target ${target}`, `module ${module} (this file is emitted as ${format})`, `lib ${lib}`,
    ...(o.types ? [`types ${o.types.join(', ') || '(none)'}`] : []), ...flags].join('; ');
}

function typesSection(ts: typeof TS, analysis: ProgramAnalysis, spec: AnalyzedSpec, program: TS.Program): string {
  if (spec.typeSources.length === 0) return '';
  const sf = spec.found.sourceFile;
  const bound = new Set(importDeclarations(ts, sf).flatMap((s) => {
    const c = s.importClause;
    const b = c?.namedBindings;
    return [...(c?.name ? [c.name.text] : []), ...(b && ts.isNamedImports(b) ? b.elements.map((e) => e.name.text) : [])];
  }));
  const blocks = spec.typeSources.map((t) => {
    const where = t.fileName === sf.fileName ? `declared in ${spec.ir.file}: in scope`
      : t.name.split(', ').every((n) => bound.has(n)) ? `from ${relativePath(analysis.projectDir, t.fileName)}: imported by ${spec.ir.file}, in scope`
        : `from ${relativePath(analysis.projectDir, t.fileName)}: import type { ${t.name} } from '${relativeSpecifier(ts, program.getCompilerOptions(), sf.fileName, t.fileName)}'`;
    // For a value too, `import type` is the import always allowed: it lets the code write `typeof X`.
    return `// ${t.kind === 'value' ? 'value ' : ''}${t.name} (${where})\n${t.raw}`;
  });
  const heading = spec.typeSources.some((t) => t.kind === 'value')
    ? 'Types the signature uses, and the values whose type they take with `typeof`:' : 'Types the signature uses:';
  return `${heading}\n${fence(blocks.join('\n\n'))}`;
}

function depsSection(access: DependencyAccess[], specFile: string): string {
  if (access.length === 0) return '';
  const lines = ['Other specs it may call. Each is implemented separately: call it, do not re-implement it.'];
  for (const a of access) {
    const how = a.kind === 'same-file' ? `declared in ${specFile}: call it directly`
      : a.kind === 'imported' ? `already imported by ${specFile}${a.local === a.dep.ir.name ? '' : ` as \`${a.local}\``}: call it directly`
        : `import { ${a.dep.ir.name} } from '${a.specifier}'`;
    lines.push(`- ${a.dep.ir.name}: ${how}`, fence(specText(a.dep)));
  }
  return lines.join('\n');
}

/** A ```ts block; longer fences when the code holds backtick runs (a rejected reply shown verbatim may). */
export function fence(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(Math.max(3, longest + 1));
  return `${marks}ts\n${code.trimEnd()}\n${marks}`;
}

function systemPrompt(spec: AnalyzedSpec, packageDeps: readonly string[]): string {
  const name = spec.ir.name;
  const packages = packageDeps.filter((p) => !p.startsWith('@types/'));
  const shape = shapeOf(spec.found);
  return [
    shape.promptIntro,
    'Answer with exactly one ```ts code block containing the whole implementation.',
    'Rules for the code:',
    ...shape.promptRules(spec.found),
    `- Helper functions, constants and types are allowed at top level. The code replaces the spec inside ${spec.ir.file}, so what that file ` +
      'declares or imports is in scope; helper names may repeat names of that file (they are renamed on conflict).',
    '- Import only from: Node built-ins (with the `node:` prefix)' +
      (packages.length ? `; these packages of the project: ${packages.join(', ')}` : '; no npm packages (the project declares none)') +
      '; modules the spec\'s file imports, with the same specifiers; and the imports named below for the specs it may call. ' +
      `\`import type\` from project files is fine. Never import ${spec.ir.file} itself.`,
    '- No `any` (use `unknown` and narrow it), no `@ts-ignore`, `@ts-expect-error` or `@ts-nocheck`, no `declare`.',
    `- ${capabilityRule(grantsOf(spec.ir.tags).granted)} No console output unless the contract asks for it; no try/catch around \`require\` or \`import()\`.`,
    '- Throw the errors the contract names (same class, under the stated conditions); otherwise handle every input the types allow.',
    '- It must type-check with the compiler settings given.',
  ].join('\n');
}

/** The prompt for one spec: the rules, and only what the model needs to see of the project. */
export function buildPrompt(
  ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, spec: AnalyzedSpec, options: PromptOptions,
): Prompt {
  // A spec kind with a prompt of its own (a test spec) is asked for with it.
  const ofKind = kindPrompt(spec.found)?.(ts, program, analysis, spec, options);
  if (ofKind) return ofKind;
  const sf = spec.found.sourceFile;
  const imports = importDeclarations(ts, sf).map((s) => s.getText(sf));
  const sections = [
    `Spec: ${spec.ir.name}`,
    `Implement this spec from ${spec.ir.file}:\n${fence(specText(spec))}`,
    typesSection(ts, analysis, spec, program),
    depsSection(dependencyAccess(ts, program, analysis, spec), spec.ir.file),
    imports.length ? `Imports of ${spec.ir.file} (in scope; their modules may be imported again):\n${fence(imports.join('\n'))}`
      : `${spec.ir.file} has no imports.`,
    `Compiler: ${describeCompiler(ts, program, sf)}.`,
  ];
  return { system: systemPrompt(spec, options.packageDeps), user: sections.filter((s) => s !== '').join('\n\n') };
}

/**
 * The turns that repair a rejected answer: the answer as the model's own turn, then what was wrong with it.
 * The prompt before them never changes, so a provider's prompt cache serves it on every attempt.
 */
export function repairTurns(candidate: string, errors: readonly string[]): RepairTurn[] {
  return [
    { role: 'assistant', content: fence(candidate.trim() === '' ? '// (no code)' : candidate) },
    { role: 'user', content: ['That answer was rejected. Problems found:', ...errors.slice(0, 20).map((e) => `- ${e}`), '',
      'Answer again with the corrected, complete implementation in one ```ts block.'].join('\n') },
  ];
}
