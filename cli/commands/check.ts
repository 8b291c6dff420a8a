import type { Command } from '../command';
import { diagnosticJson, formatDiagnostic } from '../diagnostics';
import { ExitCode } from '../exit-codes';
import { specJson, type CheckJson } from '../json-shapes';
import { marks, plural } from '../output';
import { openProject } from '../project';
import { selectedStatuses } from '../select-specs';
import { specRows } from '../spec-table';
import { FAILING_STATES, countStates } from '../../core/classify-specs';


export const checkCommand: Command = {
  name: 'check',
  summary: 'CI gate: exit 1 if any spec is stale, missing, corrupt or malformed',
  args: '[spec...]',
  description: [
    'Verifies that the committed cache covers every spec\'s current contract, so an offline build in CI',
    'succeeds. Needs no network and no API key (it never reads ANTHROPIC_API_KEY).',
    'Hand-edited entries pass with a warning.',
  ],
  options: [],
  positionals: { min: 0, max: Infinity },
  examples: ['jaunt check', 'jaunt check -p tsconfig.build.json', 'jaunt check --json > jaunt-check.json'],
  async run(ctx) {
    const project = openProject(ctx.cwd, ctx.project, ctx.env, {}, (line) => ctx.out.err(line));
    const { statuses, diagnostics } = selectedStatuses(project, ctx.parsed.positionals, ctx.cwd);
    const problems = statuses.filter((s) => FAILING_STATES.has(s.status));
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const ok = problems.length === 0 && errors.length === 0;
    if (ctx.json) {
      const json: CheckJson = {
        ok, project: project.configPath,
        problems: problems.map((s) => s.id),
        specs: statuses.map((s) => specJson(s, project.projectDir)),
        counts: countStates(statuses),
        diagnostics: diagnostics.map((d) => diagnosticJson(d, project.projectDir)),
      };
      ctx.out.json(json);
      return ok ? ExitCode.Ok : ExitCode.Failed;
    }
    const { out } = ctx;
    const mark = marks(out.style);
    const edited = statuses.filter((s) => s.status === 'edited');
    if (problems.length > 0) {
      out.out(`jaunt check: ${plural(problems.length, 'spec')} of ${statuses.length} cannot be built from the cache:`);
      out.out();
      for (const row of specRows(problems, ctx.cwd, out.style, 'paren')) out.out(`  ${row}`);
    }
    if (diagnostics.length > 0) {
      out.out();
      for (const d of diagnostics) out.out(formatDiagnostic(d, ctx.cwd, out.style));
    }
    if (edited.length > 0) {
      out.out();
      for (const row of specRows(edited, ctx.cwd, out.style, 'paren')) out.out(`${out.style.yellow('warning')}: ${row}`);
    }
    if (ok) {
      const note = edited.length > 0 ? ` (${edited.length} hand-edited)` : '';
      const what = statuses.length === 0 ? 'no @jaunt specs to check' : `${statuses.length === 1 ? 'the spec has' : `all ${plural(statuses.length, 'spec')} have`} a usable cache entry${note}`;
      out.out(`${mark.ok} ${what}`);
      return ExitCode.Ok;
    }
    out.out();
    const cacheProblem = problems.some((s) => s.status === 'stale' || s.status === 'missing' || s.status === 'corrupt');
    const broken = problems.some((s) => s.status === 'broken');
    const specProblem = errors.length > 0;
    if (specProblem) out.out(`${mark.fail} Fix the malformed specs above (each error names its JAUNT code).`);
    if (broken) out.out(`${mark.fail} Fix the hand-edited entries above so they check against their spec, or replace them with \`jaunt build --force <spec>\`.`);
    if (cacheProblem) out.out(`${mark.fail} Run \`jaunt build\` locally and commit .jaunt/ (or write entries by hand with \`jaunt author\`).`);
    return ExitCode.Failed;
  },
};
