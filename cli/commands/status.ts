import type { Command } from '../command';
import { diagnosticJson, formatDiagnostic } from '../diagnostics';
import { ExitCode } from '../exit-codes';
import { specJson, type StatusJson } from '../json-shapes';
import { openProject } from '../project';
import { selectedStatuses } from '../select-specs';
import { countsLine, specRows } from '../spec-table';
import { countStates } from '../../core/classify-specs';

export const statusCommand: Command = {
  name: 'status',
  summary: 'show every spec: fresh, stale (and why), missing, edited, corrupt',
  args: '[spec...]',
  description: [
    'Looks each @jaunt spec up in the cache. A stale spec has entries for an earlier contract only; the',
    'reason says what changed since the newest of them (JSDoc, signature, a referenced type, a dependency).',
    'Makes no network calls and always exits 0 unless the project cannot be read: use `jaunt check` to gate.',
  ],
  options: [],
  positionals: { min: 0, max: Infinity },
  examples: ['jaunt status', 'jaunt status -p packages/api', "jaunt status --json | jq '.specs[] | select(.status != \"fresh\")'"],
  async run(ctx) {
    const project = openProject(ctx.cwd, ctx.project, ctx.env);
    const { statuses, diagnostics } = selectedStatuses(project, ctx.parsed.positionals, ctx.cwd);
    if (ctx.json) {
      const json: StatusJson = {
        project: project.configPath,
        specs: statuses.map((s) => specJson(s, project.projectDir)),
        counts: countStates(statuses),
        diagnostics: diagnostics.map((d) => diagnosticJson(d, project.projectDir)),
      };
      ctx.out.json(json);
      return ExitCode.Ok;
    }
    const { out } = ctx;
    if (statuses.length === 0) {
      out.out('No @jaunt specs in this project.');
    } else {
      for (const row of specRows(statuses, ctx.cwd, out.style, 'colon')) out.out(row);
      out.out();
      out.out(countsLine(statuses));
    }
    if (diagnostics.length > 0) {
      out.out();
      for (const d of diagnostics) out.out(formatDiagnostic(d, ctx.cwd, out.style));
    }
    return ExitCode.Ok;
  },
};
