import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { writeEntry } from '../cache/cache-store';
import { OFFLINE } from '../cache/entry-format';
import { resolveOptions } from '../config/options';
import { analyzeProgram } from './analyze-program';
import { invalidateBuildInfo } from './invalidate-build-info';
import { loadProject } from './load-program';
import { formatInputs } from '../spec/spec-hash';

/**
 * Writes cache entries from hand-written implementations (`<implDir>/<spec name>.ts`), labeled as
 * authored offline: for fixtures, examples, and users who write an implementation themselves.
 * Returns the specs written and the specs that have no file in implDir.
 */
export function authorOffline(ts: typeof TS, configPath: string, implDir: string): { written: string[]; missing: string[] } {
  const project = loadProject(ts, configPath);
  const options = resolveOptions(project.pluginConfig, path.dirname(project.configPath));
  const analysis = analyzeProgram(ts, project.program, options.projectDir);
  const written: string[] = [];
  const missing: string[] = [];
  for (const spec of analysis.specs) {
    const file = path.join(implDir, `${spec.ir.name}.ts`);
    if (spec.hash === undefined || !fs.existsSync(file)) {
      missing.push(spec.ir.name);
      continue;
    }
    writeEntry(options.cacheDir, { name: spec.ir.name, hash: spec.hash, file: spec.ir.file, model: OFFLINE, body: fs.readFileSync(file, 'utf8'), inputs: spec.inputs && formatInputs(spec.inputs) }, { force: true });
    written.push(spec.ir.name);
  }
  if (written.length > 0) invalidateBuildInfo(ts, project.program.getCompilerOptions());
  return { written, missing };
}
