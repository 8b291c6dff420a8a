import * as path from 'node:path';
import type * as TS from 'typescript';
import { Codes, JauntError } from './errors';
import { createProgramHost } from './program-host';

export interface LoadedProject {
  program: TS.Program;
  configPath: string;
  /** The raw options of the jaunt-ts entry in `compilerOptions.plugins`, if any. */
  pluginConfig: Record<string, unknown> | undefined;
}

/** Plugin `transform` values that mean this package (by name, or a path to its dist entry). */
export const PLUGIN_NAMES = /(^|[\\/])jaunt-ts([\\/]transformer)?$|dist[\\/]transformer[\\/]plugin(\.js)?$/;

/** Creates the program of a tsconfig, as tsc would, for the CLI and the offline tools. */
export function loadProject(ts: typeof TS, configPath: string, oldProgram?: TS.Program, rootFilter?: (fileName: string) => boolean): LoadedProject {
  const absolute = path.resolve(configPath);
  const errors: string[] = [];
  const host: TS.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => errors.push(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(absolute, undefined, host);
  for (const d of parsed?.errors ?? []) {
    if (d.category === ts.DiagnosticCategory.Error) errors.push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  if (!parsed || errors.length) {
    throw new JauntError(Codes.BadConfig, `cannot read ${configPath}: ${errors.join('; ') || 'unknown error'}`, { file: absolute });
  }
  const plugins = (parsed.options.plugins ?? []) as unknown as Record<string, unknown>[];
  const entry = plugins.find((p) => typeof p.transform === 'string' && PLUGIN_NAMES.test(p.transform));
  // `rootFilter`: a bundler needs only the files that can declare specs; what they import comes along.
  const rootNames = rootFilter ? parsed.fileNames.filter(rootFilter) : parsed.fileNames;
  const program = ts.createProgram({
    rootNames, options: parsed.options, projectReferences: parsed.projectReferences, oldProgram, host: createProgramHost(ts, parsed.options),
  });
  return { program, configPath: absolute, pluginConfig: entry };
}
