import type * as TS from 'typescript';

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
    // Also the program's package.json cache: without it, each new program looks up every file's module format anew.
    getModuleResolutionCache: () => cache,
  };
  return cached;
}

/**
 * A program equal to `program` except that the given files have the given texts. Every other file is
 * served as the existing SourceFile object, so with `oldProgram` the compiler reuses parsing, binding and
 * module resolution, and the new checker only has to check what is asked of it.
 */
export function createOverlayProgram(ts: typeof TS, program: TS.Program, texts: ReadonlyMap<string, string>, base?: TS.CompilerHost): TS.Program {
  const options = program.getCompilerOptions();
  const host = base ?? createCachedHost(ts, options);
  const overlays = new Map<string, TS.SourceFile>();
  const overlayHost: TS.CompilerHost = {
    ...host,
    getSourceFile: (name, languageVersion, onError, shouldCreate) => {
      const text = texts.get(name);
      if (text !== undefined) {
        if (!overlays.has(name)) overlays.set(name, ts.createSourceFile(name, text, languageVersion, true));
        return overlays.get(name);
      }
      return program.getSourceFile(name) ?? host.getSourceFile(name, languageVersion, onError, shouldCreate);
    },
    readFile: (name) => texts.get(name) ?? host.readFile(name),
    fileExists: (name) => texts.has(name) || host.fileExists(name),
  };
  return ts.createProgram({
    rootNames: program.getRootFileNames(), options, host: overlayHost, oldProgram: program,
    projectReferences: program.getProjectReferences(),
  });
}
