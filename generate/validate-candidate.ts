import type * as TS from 'typescript';
import type { AnalyzedSpec, ProgramAnalysis } from '../core/analyze-program';
import { topLevelNames } from '../splice/entry-names';
import { applyEdits, renameEntry, type Edit } from '../splice/rewrite-entry';
import { dependencyAccess, readPackageDeps } from './build-prompt';
import { checkRules, namesSpecFile } from './check-rules';

export type ValidationResult = { ok: true; body: string } | { ok: false; errors: string[] };

export interface Validator {
  validate(spec: AnalyzedSpec, candidate: string): ValidationResult;
}

export interface ValidatorOptions {
  /** Defaults to the dependencies of the package.json nearest the project. */
  packageDeps?: readonly string[];
}

// Names the module wrapper owns: a helper must not take them even if the file never spells them.
const RESERVED = ['require', 'exports', 'module', '__filename', '__dirname'];

function memo<T>(fn: (key: string) => T): (key: string) => T {
  const seen = new Map<string, T>();
  return (key) => {
    if (!seen.has(key)) seen.set(key, fn(key));
    return seen.get(key)!;
  };
}

/**
 * A compiler host for a run of validations: the disk is taken as unchanging for the run, so lookups and
 * module resolutions (mostly failed probes for `node:` specifiers) are done once, not per candidate.
 */
export function createCachedHost(ts: typeof TS, options: TS.CompilerOptions): TS.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), host.getCanonicalFileName, options);
  const cached: TS.CompilerHost = {
    ...host,
    fileExists: memo((f) => host.fileExists(f)),
    readFile: memo((f) => host.readFile(f)),
    ...(host.directoryExists ? { directoryExists: memo(host.directoryExists.bind(host)) } : {}),
    ...(host.realpath ? { realpath: memo(host.realpath.bind(host)) } : {}),
    resolveModuleNameLiterals: (literals, containingFile, redirected, opts, containing) => literals.map((lit) =>
      ts.resolveModuleName(lit.text, containingFile, opts, cached, cache, redirected, ts.getModeForUsageLocation(containing, lit, opts))),
  };
  return cached;
}

/**
 * A program equal to `program` except that `fileName` has `text`. Every other file is served as the
 * existing SourceFile object, so with `oldProgram` the compiler reuses parsing, binding and module
 * resolution, and the new checker only has to check what is asked of it.
 */
export function createOverlayProgram(ts: typeof TS, program: TS.Program, fileName: string, text: string, base?: TS.CompilerHost): TS.Program {
  const options = program.getCompilerOptions();
  const host = base ?? createCachedHost(ts, options);
  let overlay: TS.SourceFile | undefined;
  const overlayHost: TS.CompilerHost = {
    ...host,
    getSourceFile: (name, languageVersion, onError, shouldCreate) => {
      if (name === fileName) return (overlay ??= ts.createSourceFile(name, text, languageVersion, true));
      return program.getSourceFile(name) ?? host.getSourceFile(name, languageVersion, onError, shouldCreate);
    },
    readFile: (name) => (name === fileName ? text : host.readFile(name)),
    fileExists: (name) => name === fileName || host.fileExists(name),
  };
  return ts.createProgram({
    rootNames: program.getRootFileNames(), options, host: overlayHost, oldProgram: program,
    projectReferences: program.getProjectReferences(),
  });
}

/** `import type { A, B } from '<the spec's file>'`: erased at emit, and its names are in scope already. */
function isTypeImportOfSelf(ts: typeof TS, stmt: TS.Statement, specFile: string): boolean {
  if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier) || !namesSpecFile(stmt.moduleSpecifier.text, specFile)) return false;
  const c = stmt.importClause;
  const b = c?.namedBindings;
  if (!c || c.name || !b || !ts.isNamedImports(b)) return false;
  return b.elements.every((e) => (c.isTypeOnly || e.isTypeOnly) && !e.propertyName);
}

/**
 * Fits the candidate into the spec's file as the splice will: the spec's function keeps the spec's
 * export, helpers lose theirs, and type imports of the file itself (which would clash with the very
 * declarations they name) go. Edits never add or remove line breaks, so candidate line numbers stay valid.
 */
function fitToFile(ts: typeof TS, text: string, spec: AnalyzedSpec): string {
  const { name: specName, sourceFile } = spec.found;
  const exported = spec.ir.exported;
  const sf = ts.createSourceFile('candidate.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: Edit[] = [];
  for (const stmt of sf.statements) {
    if (ts.isExportDeclaration(stmt) || ts.isExportAssignment(stmt) || isTypeImportOfSelf(ts, stmt, sourceFile.fileName)) {
      edits.push({ pos: stmt.getStart(sf), end: stmt.end, text: stmt.getText(sf).replace(/[^\n]/g, '') });
      continue;
    }
    const mods = ts.canHaveModifiers(stmt) ? ts.getModifiers(stmt) ?? [] : [];
    const isMain = ts.isFunctionDeclaration(stmt) && stmt.name?.text === specName;
    const keepExport = isMain && exported;
    for (const m of mods) {
      if (m.kind === ts.SyntaxKind.DefaultKeyword || (m.kind === ts.SyntaxKind.ExportKeyword && !keepExport)) {
        edits.push({ pos: m.getStart(sf), end: m.end, text: '' });
      }
    }
    if (keepExport && !mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) edits.push({ pos: stmt.getStart(sf), end: stmt.getStart(sf), text: 'export ' });
  }
  return applyEdits(text, edits);
}

function message(ts: typeof TS, d: TS.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(d.messageText, '\n').replace(/\n\s*/g, ' ');
}

interface Overlay {
  text: string;
  /** Offsets of the candidate and of the conformance check in `text`. */
  candidateStart: number;
  candidateEnd: number;
  checkStart: number;
  /** Fresh name → the candidate's own name, to undo renames in messages. */
  renamed: Map<string, string>;
}

/** The spec's file with the candidate in place of the declarations, and a check that it fits them. */
function buildOverlay(ts: typeof TS, spec: AnalyzedSpec, candidate: string): Overlay {
  const { sourceFile: sf, declarations, name } = spec.found;
  const taken = new Set([...(sf.text.match(/[A-Za-z_$][\w$]*/g) ?? []), ...RESERVED]);
  const parsed = ts.createSourceFile('candidate.ts', candidate, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const ownNames = [...new Set(parsed.statements.flatMap((s) => topLevelNames(ts, s)))].filter((n) => n !== name);
  const rewritten = renameEntry(ts, { body: candidate, specName: name, taken, userImports: new Map(), commonJs: false });
  const renamed = new Map<string, string>();
  if (rewritten.declared.length === ownNames.length) {
    rewritten.declared.forEach((fresh, i) => fresh !== ownNames[i] && renamed.set(fresh, ownNames[i]!));
  }
  const body = fitToFile(ts, rewritten.text, spec);

  const start = declarations[0]!.getStart(sf);
  const end = declarations[declarations.length - 1]!.end;
  const head = `${sf.text.slice(0, start)}\n`;
  const middle = `${head}${body}\n${sf.text.slice(end)}\n`;
  const signatures = declarations.map((d) => {
    const rest = sf.text.slice(d.name!.end, d.end).trimEnd();
    return `declare function __jaunt_spec_${name}${rest}${rest.endsWith(';') ? '' : ';'}`;
  });
  const check = `${signatures.join('\n')}\nconst __jaunt_conforms_${name}: typeof __jaunt_spec_${name} = ${name};\n`;
  return {
    text: middle + check, candidateStart: head.length, candidateEnd: head.length + body.length,
    checkStart: middle.length, renamed,
  };
}

const diagnosticKey = (ts: typeof TS, d: TS.Diagnostic) => `${d.code}:${message(ts, d)}`;

/**
 * Each diagnostic of the overlay file as a sentence about the candidate: candidate lines for errors in
 * its code, the declared signature for the conformance check, the offending line for the rest of the
 * file (unless the file had that problem before).
 */
function explain(ts: typeof TS, spec: AnalyzedSpec, file: TS.SourceFile, overlay: Overlay, diagnostics: readonly TS.Diagnostic[], before: ReadonlyMap<string, number>): string[] {
  const name = spec.ir.name;
  const firstLine = file.getLineAndCharacterOfPosition(overlay.candidateStart).line;
  const unrename = (s: string) => s.replace(/[A-Za-z_$][\w$]*/g, (w) => overlay.renamed.get(w) ?? (w === `__jaunt_spec_${name}` ? name : w));
  const sigs = spec.ir.signatures.map((sig) => `\`${sig.replace(/;$/, '')}\``);
  const declared = sigs.length === 1 ? `signature ${sigs[0]!}` : `overloads ${sigs.join(', ')}`;
  const known = new Map(before);
  const out: string[] = [];
  for (const d of diagnostics) {
    const text = `TS${d.code}: ${unrename(message(ts, d))}`;
    const at = d.start;
    if (at === undefined) out.push(text);
    else if (at >= overlay.candidateStart && at <= overlay.candidateEnd) {
      out.push(`line ${file.getLineAndCharacterOfPosition(at).line - firstLine + 1}: ${text}`);
    } else if (at >= overlay.checkStart) {
      if (!d.reportsUnnecessary) out.push(`the implementation does not match the declared ${declared}: ${text}`); // unused: noUnusedLocals on the check itself
    } else {
      const key = diagnosticKey(ts, d);
      const seen = known.get(key) ?? 0;
      if (seen > 0) {
        known.set(key, seen - 1);
        continue;
      }
      const row = file.getLineAndCharacterOfPosition(at).line;
      const line = file.text.slice(file.getLineStarts()[row], file.getLineEndOfPosition(at)).trim().slice(0, 120);
      out.push(`with this implementation, code elsewhere in ${spec.ir.file} no longer type-checks, at \`${line}\`: ${text}`);
    }
  }
  return out;
}

/** Validates model candidates against their spec: the rules, then the compiler, in the spec's own file. */
export function createValidator(ts: typeof TS, program: TS.Program, analysis: ProgramAnalysis, options: ValidatorOptions = {}): Validator {
  const packageDeps = options.packageDeps ?? readPackageDeps(analysis.projectDir);
  const host = createCachedHost(ts, program.getCompilerOptions());
  // Problems the file had before any candidate: not the candidate's fault.
  const baselines = new Map<string, Map<string, number>>();
  const baseline = (sf: TS.SourceFile): Map<string, number> => {
    let counts = baselines.get(sf.fileName);
    if (!counts) {
      counts = new Map();
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        const key = diagnosticKey(ts, d);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      baselines.set(sf.fileName, counts);
    }
    return counts;
  };
  const allowedModules = (spec: AnalyzedSpec): Set<string> => new Set([
    ...spec.found.sourceFile.statements.flatMap((s) => (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) ? [s.moduleSpecifier.text] : [])),
    ...dependencyAccess(ts, program, analysis, spec).flatMap((a) => (a.kind === 'same-file' ? [] : [a.specifier])),
  ]);

  const validate = (spec: AnalyzedSpec, candidate: string): ValidationResult => {
    const sf = spec.found.sourceFile;
    const name = spec.ir.name;
    const ruleErrors = checkRules(ts, candidate, {
      specName: name, specFile: sf.fileName, allowedModules: allowedModules(spec), packageDeps, contract: spec.found.jsdoc.raw,
    });
    const parsed = ts.createSourceFile('candidate.ts', candidate, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    // Without the function there is nothing to place: the compiler would only repeat the rule.
    if (!parsed.statements.some((s) => ts.isFunctionDeclaration(s) && s.name?.text === name && s.body)) {
      return { ok: false, errors: ruleErrors };
    }
    const overlay = buildOverlay(ts, spec, candidate);
    const next = createOverlayProgram(ts, program, sf.fileName, overlay.text, host);
    const file = next.getSourceFile(sf.fileName)!;
    const syntactic = next.getSyntacticDiagnostics(file);
    const diagnostics = syntactic.length ? syntactic : next.getSemanticDiagnostics(file);
    const errors = [...ruleErrors, ...explain(ts, spec, file, overlay, diagnostics, baseline(sf))];
    return errors.length ? { ok: false, errors } : { ok: true, body: candidate };
  };
  return { validate };
}
