import * as fs from 'node:fs';

/**
 * A benchmark's view into a build: with JAUNT_BENCH_TIMELINE=<file>, each mark appends `<epoch ms> <event>`
 * to the file. bench/run.js times the plugin's own phases with it, which a busy machine's noise in the
 * type check and emit around them would otherwise drown.
 */
export function benchMark(event: string): void {
  const file = process.env.JAUNT_BENCH_TIMELINE;
  if (!file) return;
  try {
    fs.appendFileSync(file, `${Date.now()} ${event}\n`);
  } catch {
    // a benchmark aid only: never a reason to fail a build
  }
}
