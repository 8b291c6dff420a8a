import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { entryPath } from '../cache/cache-store';
import { resolveOptions, type JauntOptions, type ResolvedOptions } from '../config/options';
import { analysisTypeScript } from '../core/analysis-typescript';
import { relativePath } from '../core/analyze-program';
import { Codes, JauntError, formatCode, type JauntDiagnostic } from '../core/errors';
import { fileStamp } from '../core/file-stamp';
import { loadProject } from '../core/load-program';
import { prepareProgram, type PreparedProgram } from '../core/prepare-program';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { renderPlanText } from '../splice/render-text';
import { textSourceMap, type SourceMapV3 } from '../splice/source-map';

/** `jaunt({...})` in a bundler config: where the project is, and the plugin options of the tsconfig entry. */
export interface JauntBundlerOptions extends JauntOptions {
  /** The tsconfig whose program declares the specs. Default: the nearest tsconfig.json above the root. */
  tsconfig?: string;
  /** The compiler to analyze with (package name or path). Default: see core/analysis-typescript.ts. */
  typescript?: string;
}

/** What the bundler does with one module. */
export interface TransformOutcome {
  /** The module with its specs replaced, or undefined: nothing to change. */
  result?: { code: string; map: SourceMapV3 };
  errors: BundlerMessage[];
  warnings: BundlerMessage[];
  /** Cache entries the module's code came (or will come) from. */
  watch: string[];
}

export interface BundlerMessage {
  message: string;
  loc?: { file: string; line: number; column: number };
}

/** The bundler never generates: what a spec without an entry tells the user to do. */
export const BUNDLER_MISSING_HINT = 'Run `npx jaunt build` (it needs ANTHROPIC_API_KEY) and commit .jaunt/: the bundler plugin only reads the cache.';

const SPEC_IN_TEXT = /@jaunt\b[\s\S]*?\*\/\s*(?:export\s+)?declare\s+(?:function|class)\b/;

interface Loaded {
  ts: typeof TS;
  configPath: string;
  options: ResolvedOptions;
  program: TS.Program;
  prepared: PreparedProgram;
  /** Real path → program file name, so symlinked folders match what the bundler resolves. */
  files: Map<string, string>;
  /** The entry paths of each spec file's specs, with their stamps as this load saw them. */
  entries: Map<string, [entry: string, stamp: string][]>;
}

const stamp = (file: string): string => fileStamp(file) ?? 'absent';

function realpath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Whether a file can declare specs (or misplaced Jaunt tags): only such files are the program's roots, and
 * what they import comes along, so a bundler does not parse a project's every file. The analysis, the
 * keys and the checks see the same declarations as tsc's whole program would.
 */
function mentionsJaunt(fileName: string): boolean {
  try {
    return /jaunt/i.test(fs.readFileSync(fileName, 'utf8'));
  } catch {
    return true;
  }
}

/** The nearest tsconfig.json from `dir` upwards, as tsc finds it. */
function nearestTsconfig(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, 'tsconfig.json');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * One project as a bundler sees it: the tsconfig's program, analyzed and classified by core (the one
 * verdict), built when the first module that mentions Jaunt arrives and rebuilt (reusing the old program)
 * after the watcher reports a change to a source or a cache entry.
 */
export class ProjectSession {
  private loaded: Loaded | undefined;
  private dirty = false;
  private root: string;
  private reportedGlobal = false;

  constructor(private readonly options: JauntBundlerOptions, root: string) {
    this.root = root;
  }

  /** The bundler's root (vite's `root`), when it learns it before the first module. */
  setRoot(root: string): void {
    if (!this.loaded) this.root = root;
  }

  /** A watched file changed: sources and entries are read again before the next module. */
  changed(file: string): void {
    if (/\.(?:[cm]?tsx?|json)$/.test(file)) this.dirty = true;
  }

  private configPath(): string {
    const given = this.options.tsconfig;
    const found = given !== undefined ? path.resolve(this.root, given) : nearestTsconfig(this.root);
    if (!found || !fs.existsSync(found)) {
      throw new JauntError(Codes.BadConfig, given !== undefined
        ? `the tsconfig ${found} given to the jaunt-ts bundler plugin does not exist`
        : `no tsconfig.json in ${this.root} or any folder above it: pass jaunt({ tsconfig: 'path/to/tsconfig.json' })`, { file: found ?? this.root });
    }
    return found;
  }

  private load(): Loaded {
    const configPath = this.loaded?.configPath ?? this.configPath();
    const projectDir = path.dirname(configPath);
    const { tsconfig: _tsconfig, typescript, ...jauntOptions } = this.options;
    const ts = this.loaded?.ts ?? analysisTypeScript(projectDir, typescript).ts;
    const project = loadProject(ts, configPath, this.loaded?.program, mentionsJaunt);
    const raw = { ...(project.pluginConfig ?? {}), ...jauntOptions };
    const options = resolveOptions(Object.keys(raw).length > 0 ? raw : undefined, projectDir, process.env, configPath);
    const prepared = prepareProgram(ts, project.program, options, undefined, BUNDLER_MISSING_HINT);
    const files = new Map(project.program.getSourceFiles().map((sf) => [realpath(sf.fileName), sf.fileName]));
    const entries = new Map<string, [string, string][]>();
    for (const s of prepared.statuses) {
      if (s.hash === undefined) continue;
      const entry = entryPath(options.cacheDir, s.name, s.hash);
      entries.set(s.fileName, [...(entries.get(s.fileName) ?? []), [entry, stamp(entry)]]);
    }
    return { ts, configPath, options, program: project.program, prepared, files, entries };
  }

  private ensure(): Loaded {
    if (this.loaded && !this.dirty) return this.loaded;
    this.dirty = false;
    this.loaded = this.load();
    return this.loaded;
  }

  /** Replaces the specs of one module as its plan says, or says why it cannot. */
  transform(code: string, file: string): TransformOutcome {
    const none: TransformOutcome = { errors: [], warnings: [], watch: [] };
    if (!this.loaded && !/jaunt/i.test(code)) return none;
    let loaded: Loaded;
    try {
      loaded = this.ensure();
      let fileName = loaded.files.get(realpath(file));
      let sf = fileName !== undefined ? loaded.program.getSourceFile(fileName) : undefined;
      const added = !sf && SPEC_IN_TEXT.test(code);
      // esbuild rebuilds a module when an entry it was given to watch changes, but has no hook to say so: the stamps do.
      const entryChanged = sf !== undefined && (loaded.entries.get(sf.fileName) ?? []).some(([entry, was]) => stamp(entry) !== was);
      if (added || entryChanged || (sf && sf.text !== code && fs.readFileSync(file, 'utf8') === code)) {
        // Added or changed on disk since the program was built, and the watcher has not told us yet.
        this.dirty = true;
        loaded = this.ensure();
        fileName = loaded.files.get(realpath(file));
        sf = fileName !== undefined ? loaded.program.getSourceFile(fileName) : undefined;
      }
      if (!sf) {
        if (!SPEC_IN_TEXT.test(code)) return none;
        throw new JauntError(Codes.SpecFileOutsideProgram,
          `${file} declares @jaunt specs but is not part of the program of ${loaded.configPath}, so they cannot be checked or replaced: add it to the tsconfig's "include" (or pass jaunt({ tsconfig }) naming one that has it)`, { file });
      }
      if (sf.text !== code) {
        throw new JauntError(Codes.BundlerInputChanged,
          `the code of ${file} reached the jaunt-ts plugin changed by an earlier plugin; Jaunt replaces specs in the file as written: list jaunt first among the plugins (it runs with enforce: 'pre')`, { file });
      }
      return this.outcome(loaded, sf, code);
    } catch (e) {
      const err = e instanceof JauntError ? e : new JauntError(Codes.InternalError, `internal error in ${TOOL_NAME} ${TOOL_VERSION}: ${e instanceof Error ? e.message : String(e)}; please report it`);
      return { ...none, errors: [this.message(err.toDiagnostic(), undefined)] };
    }
  }

  private outcome(loaded: Loaded, sf: TS.SourceFile, code: string): TransformOutcome {
    const { prepared, options } = loaded;
    const mine = prepared.diagnostics.filter((d) => d.location?.file === sf.fileName);
    const global = this.reportedGlobal ? [] : prepared.diagnostics.filter((d) => d.location === undefined);
    this.reportedGlobal = true;
    const all = [...global, ...mine];
    const errors = all.filter((d) => d.severity === 'error').map((d) => this.message(d, sf));
    const warnings = all.filter((d) => d.severity !== 'error').map((d) => this.message(d, sf));
    const watch = prepared.statuses.filter((s) => s.fileName === sf.fileName && s.hash !== undefined)
      .map((s) => entryPath(options.cacheDir, s.name, s.hash!));
    const plan = prepared.plans.get(sf.fileName);
    if (!plan || errors.length > 0) return { errors, warnings, watch };
    const rendered = renderPlanText(plan, code);
    return { result: { code: rendered.text, map: textSourceMap(rendered, code, sf.fileName) }, errors, warnings, watch };
  }

  /** `src/a.ts:12: JAUNT2001: …`, with the location the bundler shows under it. */
  private message(d: JauntDiagnostic, sf: TS.SourceFile | undefined): BundlerMessage {
    const file = d.location?.file;
    const projectDir = this.loaded ? path.dirname(this.loaded.configPath) : this.root;
    let line = d.location?.line;
    let column = 0;
    if (file !== undefined && d.location?.start !== undefined) {
      const source = sf?.fileName === file ? sf : this.loaded?.program.getSourceFile(file);
      const at = source?.getLineAndCharacterOfPosition(d.location.start);
      if (at) (line = at.line + 1), (column = at.character);
    }
    const rel = file !== undefined ? relativePath(projectDir, file) : '';
    const where = rel !== '' ? `${rel}${line !== undefined ? `:${line}` : ''}: ` : '';
    const text = `${where}${formatCode(d.code)}: ${d.message}`;
    return file !== undefined && line !== undefined ? { message: text, loc: { file, line, column } } : { message: text };
  }
}
