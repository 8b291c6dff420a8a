import type { Command } from '../command';
import { diagnosticJson, formatDiagnostic } from '../diagnostics';
import { ExitCode } from '../exit-codes';
import { specJson, type StatusJson } from '../json-shapes';
import { openProject } from '../project';
import { selectedStatuses } from '../select-specs';
import { countsLine, specRows } from '../spec-table';
import { countStates, type SpecStatus } from '../../core/classify-specs';
import { checkReverifiable } from '../../core/reverify';
import { displayPath } from '../output';
import type { ProjectContext } from '../project';
import * as path from 'node:path';

/** Ids of the stale specs whose earlier entry passes every check against their new contract. */
function reverifiableIds(project: ProjectContext, statuses: readonly SpecStatus[]): string[] {
  const stale = statuses.filter((s) => s.status === 'stale' && s.staleBy === 'contract' && s.previousEntry);
  if (stale.length === 0) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createValidator, validatorOptionsOf } = require('../../validate/validate-candidate') as typeof import('../../validate/validate-candidate');
  const validator = createValidator(project.ts, project.program, project.analysis, validatorOptionsOf(project.options));
  return stale.filter((s) => checkReverifiable(s, project.options.cacheDir, validator).ok).map((s) => s.id);
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'show every spec: fresh, stale (and why), missing, edited, corrupt',
  args: '[spec...]',
  description: [
    'Looks each @jaunt spec up in the cache. A stale spec has entries for an earlier contract only; the',
    'reason says what changed since the newest of them (JSDoc, signature, a referenced type, a dependency).',
    'A stale spec whose earlier entry still passes every check against the new contract is listed as',
    're-verifiable: `jaunt build --reverify` re-stamps it without a request (after you review the change).',
    'Makes no network calls and always exits 0 unless the project cannot be read: use `jaunt check` to gate.',
  ],
  options: [],
  positionals: { min: 0, max: Infinity },
  examples: ['jaunt status', 'jaunt status -p packages/api', "jaunt status --json | jq '.specs[] | select(.status != \"fresh\")'"],
  async run(ctx) {
    const project = openProject(ctx.cwd, ctx.project, ctx.env, {}, (line) => ctx.out.err(line));
    const { statuses, diagnostics } = selectedStatuses(project, ctx.parsed.positionals, ctx.cwd);
    const reverifiable = reverifiableIds(project, statuses);
    if (ctx.json) {
      const json: StatusJson = {
        project: project.configPath,
        specs: statuses.map((s) => specJson(s, project.projectDir)),
        counts: countStates(statuses),
        diagnostics: diagnostics.map((d) => diagnosticJson(d, project.projectDir)),
        reverifiable,
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
    if (reverifiable.length > 0) {
      out.out();
      out.out(`Re-verifiable: their entry for the earlier contract passes every check against the new one. Review the change (a wording edit can change meaning), then \`jaunt build --reverify\` re-stamps them without a request:`);
      for (const s of statuses.filter((x) => reverifiable.includes(x.id))) {
        out.out(`  ${out.style.cyan(`${displayPath(ctx.cwd, path.join(project.projectDir, s.file))}:${s.line}`)}  ${s.name}`);
      }
    }
    if (diagnostics.length > 0) {
      out.out();
      for (const d of diagnostics) out.out(formatDiagnostic(d, ctx.cwd, out.style));
    }
    return ExitCode.Ok;
  },
};
