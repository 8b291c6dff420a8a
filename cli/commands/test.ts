import type { Command } from '../command';
import { ExitCode } from '../exit-codes';
import { specJson, type TestJson } from '../json-shapes';
import { displayPath, marks, plural } from '../output';
import { mutantsJson, printMutants } from '../mutants-output';
import { loadBattery } from '../../behaviour/battery-judge';
import { mutationScores, type SpecScore } from '../../behaviour/mutation-score';
import { shippedTexts } from '../../splice/render-text';
import { CLI_MISSING_HINT, openProject } from '../project';
import { selectSpecs } from '../select-specs';
import { examplesOf } from '../../behaviour/parse-examples';
import { classifySpecs, type SpecStatus } from '../../core/classify-specs';
import { fileVerdictStore, verdictDir, type VerdictStore } from '../../validate/verdict-cache';
import { exampleLimitsOf, projectLabel } from '../../behaviour/run-examples';
import { runTestSpecs } from '../../spec-kinds/test-spec/run-test-specs';
import { testVerdicts, type TestVerdict } from '../../spec-kinds/test-spec/test-verdicts';

/**
 * Every check runs anew: a test run that trusted remembered verdicts would prove nothing. What passes is
 * remembered, so the next build does not run the same checks again.
 */
const checkAnew = (store: VerdictStore): VerdictStore => ({ has: () => false, remember: (key) => store.remember(key) });

export const testCommand: Command = {
  name: 'test',
  summary: 'run the executable @examples of every cached implementation, and the generated tests of @jauntTest specs (offline, no key)',
  args: '[spec...]',
  description: [
    'Runs each spec\'s @example assertions (`expr // => expected`, `expr // throws TypeError`) against its',
    'cached implementation as it ships, in a sandboxed child process, and exits 1 if any fails or cannot run.',
    'Then runs the cached tests of @jauntTest specs the same way (jest\'s `expect` from the project), and',
    'reports a failing test whose specs under test pass their examples as a suspect test (JAUNT2020), naming both sides.',
    'Needs no network and no API key.',
    'With --mutants it also scores each spec\'s tests: its examples, and its battery when it has one, run against',
    'mutants of its cached implementation (flipped comparisons and booleans, changed constants, removed throws,',
    'replaced return values); it reports killed/total per spec and lists the mutants that survived.',
  ],
  options: [
    { name: 'mutants', type: 'boolean', description: 'also run the examples and battery against mutants of each entry and report the mutation score' },
  ],
  positionals: { min: 0, max: Infinity },
  examples: ['jaunt test', 'jaunt test sortedUnique', 'jaunt test --mutants', 'jaunt test --json > jaunt-test.json'],
  async run(ctx) {
    const project = openProject(ctx.cwd, ctx.project, ctx.env, {}, (line) => ctx.out.err(line));
    const { ts, program, analysis, projectDir } = project;
    const classification = classifySpecs({
      ts, program, analysis, cacheDir: project.options.cacheDir, missingHint: CLI_MISSING_HINT, verdicts: checkAnew(fileVerdictStore(verdictDir(projectDir))), exampleLimits: exampleLimitsOf(project.options),
    });
    const withMutants = ctx.parsed.flags.has('mutants');
    const cacheDir = project.options.cacheDir;
    const hasExamples = (s: SpecStatus) => s.spec !== undefined && s.spec.found.kind === undefined && examplesOf(ts, s.spec.found).examples.length > 0;
    // With --mutants a spec with a battery but no examples has tests to score too.
    const testable = classification.statuses.filter((s) => hasExamples(s) || (withMutants && s.spec && s.spec.found.kind === undefined && loadBattery(ts, cacheDir, s.name, s.hash) !== undefined));
    const testSpecs = classification.statuses.filter((s) => s.spec?.found.kind === 'test');
    const named = ctx.parsed.positionals.length > 0 ? selectSpecs([...testable, ...testSpecs], ctx.parsed.positionals, { projectDir, cwd: ctx.cwd }) : undefined;
    const picked = named ? testable.filter((s) => named.includes(s)) : testable;
    const chosen = picked.filter(hasExamples);
    // Test specs run after the examples, against the same shipped code; their verdict weighs both.
    const chosenTests = named ? testSpecs.filter((s) => named.includes(s)) : testSpecs;
    const runnable = chosenTests.filter((s) => s.status === 'fresh' || s.status === 'edited').map((s) => s.spec!);
    const testRuns = await runTestSpecs({ ts, program, projectDir, plans: classification.plans, tests: runnable, label: projectLabel(projectDir) });
    const tests = testVerdicts(ts, chosenTests, classification.statuses, classification.exampleRuns, testRuns);
    const testsFailed = tests.filter((t) => t.state !== 'passed');
    let scores: SpecScore[] = [];
    if (withMutants) {
      const shipped = shippedTexts(classification.plans);
      const usable = picked.filter((s) => s.status === 'fresh' || s.status === 'edited').flatMap((s) => (s.spec ? [s.spec] : []));
      scores = await mutationScores({ ts, program, analysis, cacheDir, specs: usable, textOf: shipped, limits: exampleLimitsOf(project.options) });
    }
    const rows = chosen.map((s) => ({ status: s, run: classification.exampleRuns.get(s.id) }));
    const notRun = rows.filter((r) => !r.run);
    const assertions = rows.flatMap((r) => r.run?.results ?? []);
    const failures = rows.flatMap((r) => r.run?.failures ?? []);
    const ok = failures.length === 0 && notRun.length === 0 && testsFailed.length === 0;
    if (ctx.json) {
      const json: TestJson = {
        ok, project: project.configPath, ranWith: { node: process.versions.node, typescript: ts.version },
        specs: rows.map(({ status, run }) => ({
          ...specJson(status, projectDir),
          ran: run !== undefined,
          assertions: (run?.results ?? []).map((a) => ({ line: a.line, source: a.source, ok: a.ok, expected: a.expected ?? null, actual: a.actual ?? null })),
          failures: run?.failures ?? [notRunReason(status)],
        })),
        counts: { specs: rows.length, assertions: assertions.length, passed: assertions.filter((a) => a.ok).length, failures: failures.length, notRun: notRun.length,
          // Present only in projects with test specs, so the examples' shape stays as it was.
          ...(tests.length ? { tests: tests.length, testsPassed: tests.length - testsFailed.length, suspectTests: tests.filter((t) => t.state === 'suspect').length } : {}) },
        ...(tests.length ? { tests: testsJson(tests) } : {}),
        ...(withMutants ? { mutants: mutantsJson(scores, projectDir) } : {}),
      };
      ctx.out.json(json);
      return ok ? ExitCode.Ok : ExitCode.Failed;
    }
    const { out } = ctx;
    const mark = marks(out.style);
    if (rows.length === 0 && tests.length === 0) {
      out.out(`${mark.ok} no spec has executable examples (write \`expr // => expected\` in an @example), and there is no @jauntTest spec`);
      if (withMutants) printMutants(out, scores, projectDir, (abs) => displayPath(ctx.cwd, abs));
      return ExitCode.Ok;
    }
    for (const { status, run } of rows) {
      if (!run) {
        out.out(`${mark.fail} ${status.file}:${status.line} ${status.name}: not run: ${notRunReason(status)}`);
        continue;
      }
      for (const a of run.results.filter((x) => !x.ok)) {
        out.out(`${mark.fail} ${status.file}:${a.line} ${status.name} \`${a.source}\` expected ${a.expected ?? '?'} actual ${a.actual ?? '?'}`);
      }
      const other = run.failures.filter((f) => !run.results.some((a) => !a.ok && f.includes(`:${a.line}: \``)));
      for (const f of other) out.out(`${mark.fail} ${status.name}: ${f}`);
    }
    for (const t of testsFailed) out.out(`${mark.fail} ${t.file}:${t.line} ${t.name}: JAUNT${t.code}: ${t.message}`);
    const passed = assertions.filter((a) => a.ok).length;
    const summary = `${passed} of ${plural(assertions.length, 'assertion')} passed in ${plural(rows.length, 'spec')}`
      + (tests.length ? `; ${tests.length - testsFailed.length} of ${plural(tests.length, 'generated test')} passed` : '');
    if (ok) out.out(`${mark.ok} ${summary}`);
    else {
      out.out();
      out.out(`${mark.fail} ${summary}${notRun.length ? `; ${plural(notRun.length, 'spec')} not run` : ''}`);
    }
    if (withMutants) printMutants(out, scores, projectDir, (abs) => displayPath(ctx.cwd, abs));
    return ok ? ExitCode.Ok : ExitCode.Failed;
  },
};

function notRunReason(s: SpecStatus): string {
  if (s.status === 'missing') return 'no cached implementation (run `jaunt build`)';
  if (s.status === 'stale' && s.staleBy === 'contract') return `its entry is for an earlier contract (${s.reasons.join(', ')} changed; run \`jaunt build\`)`;
  return `its entry is ${s.status}: ${s.reasons.slice(0, 2).join('; ')}`;
}

function testsJson(tests: readonly TestVerdict[]): NonNullable<TestJson['tests']> {
  return tests.map((t) => ({
    id: t.id, name: t.name, file: t.file, line: t.line, state: t.state, code: t.code !== undefined ? `JAUNT${t.code}` : null,
    failure: t.failure ?? null, message: t.message ?? null,
    linked: t.linked.map((l) => ({ name: l.name, file: l.file, line: l.line, status: l.status, passedExamples: l.passedExamples, failedExamples: l.failedExamples })),
  }));
}
