import * as path from 'node:path';
import { writeFileAtomic } from '../../cache/cache-store';
import { ejectSpecs } from '../../core/eject-specs';
import { Codes, JauntError } from '../../core/errors';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { ExitCode } from '../exit-codes';
import { displayPath } from '../output';
import { openProject, projectStatuses } from '../project';
import { selectSpecs } from '../select-specs';

/** `jaunt eject --json`: the files rewritten and the specs each now holds as plain functions. */
export interface EjectJson {
  files: { file: string; specs: { name: string; entry: string }[] }[];
}

export const ejectCommand: Command = {
  name: 'eject',
  summary: 'write specs\' implementations into their source files, as plain functions you own',
  args: '<spec...>',
  description: [
    'Replaces each named spec\'s `declare function` with its cached implementation, where the splice plan puts',
    'it (helpers and imports included), keeping the JSDoc without its @jaunt tags. The function is then your',
    'code: Jaunt no longer sees it as a spec. Only specs with an implementation that checks (fresh or edited)',
    'can be ejected, and a spec that other specs depend on only together with them. No network, no API key.',
    'The cache entry stays; `jaunt gc --delete` removes it once nothing uses it.',
  ],
  options: [
    { name: 'dry-run', type: 'boolean', description: 'print the rewritten files instead of writing them' },
  ],
  positionals: { min: 1, max: Infinity },
  examples: ['jaunt eject slugify', 'jaunt eject median summarize', 'jaunt eject src/csv.ts#parseCsvLine --dry-run'],
  async run(ctx) {
    const project = openProject(ctx.cwd, ctx.project, ctx.env, {}, (line) => ctx.out.err(line));
    const { statuses } = projectStatuses(project);
    const chosen = selectSpecs(statuses, ctx.parsed.positionals, { projectDir: project.projectDir, cwd: ctx.cwd });
    let files: ReturnType<typeof ejectSpecs>;
    try {
      files = ejectSpecs(project.ts, project.program, project.analysis, project.options.cacheDir, statuses, chosen);
    } catch (e) {
      // A refusal is about the specs named, not the configuration: exit 1, with the message's fix.
      if (e instanceof JauntError && e.code === Codes.EjectRefused) throw new CliError(ExitCode.Failed, e.message, { code: e.code });
      throw e;
    }
    const dryRun = ctx.parsed.flags.has('dry-run');
    if (!dryRun) for (const f of files) writeFileAtomic(f.fileName, f.text);
    if (ctx.json) {
      const json: EjectJson = { files: files.map((f) => ({ file: path.relative(project.projectDir, f.fileName).split(path.sep).join('/'), specs: f.specs })) };
      ctx.out.json(json);
      return ExitCode.Ok;
    }
    const { out } = ctx;
    for (const f of files) {
      if (dryRun) {
        out.out(out.style.dim(`// ${displayPath(ctx.cwd, f.fileName)} (not written: --dry-run)`));
        out.out(f.text);
        continue;
      }
      for (const s of f.specs) out.out(`${out.style.green('✓')} ejected ${s.name} into ${displayPath(ctx.cwd, f.fileName)} (from ${s.entry})`);
    }
    if (!dryRun) out.out(out.style.dim('  These specs are plain code now. `jaunt gc --delete` removes their unused cache entries.'));
    return ExitCode.Ok;
  },
};
