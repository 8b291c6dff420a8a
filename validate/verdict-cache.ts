import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { writeFileAtomic } from '../cache/cache-store';
import { TOOL_VERSION } from '../core/version';
import { isProjectFile } from '../spec/collect-types';
import { hashSync } from '../spec/hash';
import type { ShippedText } from './shipped-text';

/** Bumped when what a verification checks changes: every verdict is then taken anew. */
const VERDICT_FORMAT = 1;

/**
 * Passing verdicts of shipped files, remembered on this machine only (never committed: a verdict is
 * about this machine's compiler, options and files). Keyed by everything the check depends on, so a
 * repeat build pays nothing and any change to what the code sees re-checks it.
 */
export interface VerdictStore {
  has(key: string): boolean;
  remember(key: string): void;
}

/** `node_modules/.cache/jaunt` of the nearest node_modules above the project (as other tools' caches). */
export function machineCacheDir(projectDir: string): string {
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'jaunt');
    if (path.dirname(dir) === dir) return path.join(projectDir, 'node_modules', '.cache', 'jaunt');
  }
}

export function verdictDir(projectDir: string): string {
  return path.join(machineCacheDir(projectDir), 'verdicts');
}

/** Verdicts as empty files named by their key; `JAUNT_VERDICT_CACHE=off` keeps none (every build checks). */
export function fileVerdictStore(dir: string, env: NodeJS.ProcessEnv = process.env): VerdictStore {
  const off = env.JAUNT_VERDICT_CACHE === 'off';
  return {
    has: (key) => !off && fs.existsSync(path.join(dir, key)),
    remember: (key) => {
      if (off) return;
      try {
        writeFileAtomic(path.join(dir, key), '');
      } catch {
        // A verdict not remembered is checked again next time: never a reason to fail a build.
      }
    },
  };
}

/** Texts of the project files a file imports, transitively: what its code can see of them. */
function importedProjectFiles(ts: typeof TS, program: TS.Program, sf: TS.SourceFile): string[] {
  const checker = program.getTypeChecker();
  const seen = new Set<TS.SourceFile>([sf]);
  const queue = [sf];
  while (queue.length > 0) {
    const file = queue.pop()!;
    for (const stmt of file.statements) {
      const spec = (ts.isImportDeclaration(stmt) || ts.isExportDeclaration(stmt)) ? stmt.moduleSpecifier : undefined;
      if (!spec) continue;
      const target = checker.getSymbolAtLocation(spec)?.declarations?.find(ts.isSourceFile);
      if (!target || seen.has(target) || !isProjectFile(program, target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  seen.delete(sf);
  return [...seen].map((f) => `${f.fileName}\n${hashSync(f.text)}`).sort();
}

/** The key of a shipped file's verdict: its text, the checks, the format, options, compiler and tool. */
export function verdictKey(ts: typeof TS, program: TS.Program, shipped: ShippedText): string {
  const options = program.getCompilerOptions();
  const sortedOptions = Object.keys(options).sort().map((k) => [k, options[k]]);
  return hashSync(JSON.stringify({
    format: VERDICT_FORMAT, tool: TOOL_VERSION, typescript: ts.version, commonJs: shipped.plan.scope.commonJs,
    options: sortedOptions, file: shipped.plan.scope.sourceFile.fileName, text: shipped.text,
    imports: importedProjectFiles(ts, program, shipped.plan.scope.sourceFile),
  }));
}
