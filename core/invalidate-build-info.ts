import * as fs from 'node:fs';
import type * as TS from 'typescript';

/**
 * Deletes the project's .tsbuildinfo after cache entries were written outside tsc. tsc's incremental
 * state knows the sources, not the cache: without this, `tsc -b` / `incremental` would not re-emit a
 * spec file whose entry changed while its text did not. Returns the file removed, if any.
 */
export function invalidateBuildInfo(ts: typeof TS, options: TS.CompilerOptions): string | undefined {
  // `tscBuild`: tsc -b writes build info even for projects that are not incremental.
  const file = ts.getTsBuildInfoEmitOutputFilePath({ ...options, tscBuild: true } as TS.CompilerOptions);
  if (!file || !fs.existsSync(file)) return undefined;
  fs.rmSync(file, { force: true });
  return file;
}
