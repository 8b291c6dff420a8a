/** `jaunt test --mutants`: the scores as lines for people and as the documented JSON shape. */
import * as path from 'node:path';
import type { SpecScore } from '../behaviour/mutation-score';
import type { MutantsJson } from './json-shapes';
import { marks, plural, type Output } from './output';

const ratio = (killed: number, total: number) => (total === 0 ? null : killed / total);
const percent = (killed: number, total: number) => (total === 0 ? 'no mutants' : `${Math.round((killed / total) * 100)}%`);
const rel = (projectDir: string, file: string) => path.relative(projectDir, file).split(path.sep).join('/');

export function mutantsJson(scores: readonly SpecScore[], projectDir: string): MutantsJson {
  const scoredOnes = scores.filter((s) => s.baselineFailures.length === 0);
  const killed = scoredOnes.reduce((n, s) => n + s.killed, 0);
  const total = scoredOnes.reduce((n, s) => n + s.total, 0);
  return {
    specs: scores.map((s) => ({
      id: s.id, name: s.name, entry: rel(projectDir, s.entry), examples: s.examples, batteryTests: s.batteryTests,
      killed: s.killed, total: s.total, score: s.baselineFailures.length ? null : ratio(s.killed, s.total), baselineFailures: s.baselineFailures,
      mutants: s.mutants.map((m) => ({ line: m.line, column: m.column, kind: m.kind, change: m.change, killed: m.killed, killedBy: m.killedBy ?? null })),
    })),
    killed, total, score: ratio(killed, total),
  };
}

export function printMutants(out: Output, scores: readonly SpecScore[], projectDir: string, displayPath: (abs: string) => string): void {
  const mark = marks(out.style);
  const json = mutantsJson(scores, projectDir);
  out.out();
  out.out('Mutation score (each mutant: one change to the cached implementation; killed when an example or battery test fails):');
  if (scores.length === 0) {
    out.out(`${mark.warn} no spec with a usable entry has examples or a battery to run against mutants`);
    return;
  }
  for (const s of scores) {
    const tests = `${plural(s.examples, 'example')}${s.batteryTests ? `, ${plural(s.batteryTests, 'battery test')}` : ''}`;
    if (s.baselineFailures.length) {
      out.out(`${mark.fail} ${s.name}: not scored: its entry already fails (${s.baselineFailures[0]!})`);
      continue;
    }
    const all = s.killed === s.total;
    out.out(`${all ? mark.ok : mark.warn} ${s.name}: killed ${s.killed}/${s.total} (${percent(s.killed, s.total)}) with ${tests}`);
    for (const m of s.mutants.filter((x) => !x.killed)) out.out(`    survived ${displayPath(s.entry)}:${m.line}:${m.column} ${m.kind}: ${m.change}`);
  }
  out.out(`mutation score: ${json.killed}/${json.total} killed (${percent(json.killed, json.total)}) in ${plural(scores.length, 'spec')}`);
}
