/**
 * The compiler host Jaunt's own programs use (the CLI, the bundler plugin, offline tools): tsc's, with two
 * differences that only save time.
 *
 * - JSDoc is parsed only where it affects type errors, as tsc itself does since 5.3: Jaunt reads its specs'
 *   comments from the text, and parsing every JSDoc comment of @types/node took half of loading a project.
 * - Declaration files under node_modules are parsed once per process, compiler and parse settings, then shared by
 *   every later program, as an editor's document registry shares them: a process that loads many programs
 *   (a dev server's session, a jest worker, a test suite's in-process CLI runs) parsed the same few megabytes
 *   of `.d.ts` each time. A file whose size or mtime changed is parsed again.
 */
import type * as TS from 'typescript';
import { fileStamp } from './file-stamp';

interface Parsed {
  sf: TS.SourceFile;
  stamp: string;
}

// Parse settings groups, most recently used last; each holds its files' parses. A process rarely needs more.
const MAX_GROUPS = 3;
// Kept on the compiler's module object: a SourceFile parsed and bound by one TypeScript is not a SourceFile
// of another (a process may load several versions), and every copy of this module that uses the same
// compiler (a test runner's per-file module registries) shares its parses.
const PARSES = Symbol.for('jaunt-ts/program-host/declaration-parses@1');
type Groups = Map<string, Map<string, Parsed>>;

function groupsOf(ts: typeof TS): Groups {
  const holder = ts as unknown as { [PARSES]?: Groups };
  if (!holder[PARSES]) Object.defineProperty(holder, PARSES, { value: new Map(), enumerable: false });
  return holder[PARSES]!;
}

const NODE_MODULES = /[\\/]node_modules[\\/]/;

/** What a parse, and the binding stored on its SourceFile, depends on: every option but where files go. */
export function parseSettingsKey(options: TS.CompilerOptions, parse: TS.ScriptTarget | TS.CreateSourceFileOptions): string {
  // `configFile` (a host may pass the tsconfig's own SourceFile along) is an AST, not a setting.
  const { outDir, rootDir, declarationDir, configFilePath, configFile, plugins, tsBuildInfoFile, sourceRoot, mapRoot, baseUrl, pathsBasePath, paths, ...rest } = options;
  void outDir, rootDir, declarationDir, configFilePath, configFile, plugins, tsBuildInfoFile, sourceRoot, mapRoot, baseUrl, pathsBasePath, paths;
  const how = typeof parse === 'object' ? [parse.languageVersion, parse.impliedNodeFormat, parse.jsDocParsingMode] : [parse];
  return JSON.stringify([how, rest], (_, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v));
}

function groupFor(ts: typeof TS, key: string): Map<string, Parsed> {
  const groups = groupsOf(ts);
  let group = groups.get(key);
  if (group) groups.delete(key);
  else group = new Map();
  groups.set(key, group);
  while (groups.size > MAX_GROUPS) groups.delete(groups.keys().next().value!);
  return group;
}

export function createProgramHost(ts: typeof TS, options: TS.CompilerOptions): TS.CompilerHost {
  const host = ts.createCompilerHost(options);
  // TypeScript < 5.3 has no such mode and ignores the property.
  const modes = (ts as { JSDocParsingMode?: { ParseForTypeErrors: number } }).JSDocParsingMode;
  if (modes) (host as { jsDocParsingMode?: number }).jsDocParsingMode = modes.ParseForTypeErrors;
  const parse = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    if (shouldCreateNewSourceFile || !fileName.endsWith('.d.ts') || !NODE_MODULES.test(fileName)) {
      return parse(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    }
    const stamp = fileStamp(fileName);
    if (stamp === undefined) return parse(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    const group = groupFor(ts, parseSettingsKey(options, languageVersionOrOptions));
    const known = group.get(fileName);
    if (known?.stamp === stamp) return known.sf;
    const sf = parse(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    if (sf) group.set(fileName, { sf, stamp });
    return sf;
  };
  return host;
}
