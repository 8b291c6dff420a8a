import * as path from 'node:path';
import { OFFLINE } from '../../cache/entry-format';
import { authorEntry, readImplementation } from '../../core/author-entry';
import { CliError, usageError } from '../cli-error';
import type { Command } from '../command';
import { ExitCode } from '../exit-codes';
import type { AuthorJson } from '../json-shapes';
import { displayPath } from '../output';
import { openProject, projectStatuses } from '../project';
import { selectSpecs } from '../select-specs';

export const authorCommand: Command = {
  name: 'author',
  summary: 'write a cache entry for a spec from your own implementation file',
  args: '<spec>',
  description: [
    `Stores the file as the spec's implementation for its current contract, labelled "${OFFLINE}".`,
    'The file holds the spec\'s function (and any helpers), as a model\'s answer would. It is checked against',
    'the spec first, as generated code is; --no-verify skips that. A hand-edited entry for the same contract',
    'is only replaced with --force. No network, no API key.',
    'The file must be a regular file of at most 256 KiB: a FIFO or a device is refused (JAUNT2009) and so is',
    'a larger file (JAUNT2010), without reading them.',
  ],
  options: [
    { name: 'from', type: 'string', value: '<file>', description: 'the implementation to store (required)' },
    { name: 'force', type: 'boolean', description: 'replace a hand-edited entry' },
    { name: 'no-verify', type: 'boolean', description: 'store the file without type-checking it against the spec' },
  ],
  positionals: { min: 1, max: 1 },
  examples: ['jaunt author clamp --from impl/clamp.ts', 'jaunt author src/math.ts#clamp --from impl/clamp.ts --force'],
  async run(ctx) {
    const from = ctx.parsed.values.get('from');
    if (from === undefined) throw usageError('jaunt author needs --from <file>', 'e.g. jaunt author clamp --from impl/clamp.ts');
    const source = path.resolve(ctx.cwd, from);
    // Read before the project loads: a FIFO or a device is refused at once, without blocking.
    const read = readImplementation(source, from);
    if (!read.ok) throw new CliError(ExitCode.Usage, read.message, { code: read.code, hint: read.hint });
    const text = read.text;
    const project = openProject(ctx.cwd, ctx.project, ctx.env, {}, (line) => ctx.out.err(line));
    const statuses = projectStatuses(project).statuses;
    const [selected] = selectSpecs(statuses, ctx.parsed.positionals, { projectDir: project.projectDir, cwd: ctx.cwd });
    const spec = selected?.spec;
    if (!selected || !spec || spec.hash === undefined) {
      throw new CliError(ExitCode.Failed, `spec '${selected?.name ?? ''}' cannot take an implementation: ${selected ? `${selected.status}: ${selected.reasons.join('; ')}` : 'unknown'}`, {
        hint: 'fix the spec first (`jaunt status` shows why)',
      });
    }
    const force = ctx.parsed.flags.has('force');
    const verify = !ctx.parsed.flags.has('no-verify');
    const result = await authorEntry(project, { ...spec, hash: spec.hash }, text, { force, verify });
    if (!result.ok && result.reason === 'edited') {
      throw new CliError(ExitCode.Failed, `${displayPath(ctx.cwd, result.entry)} was edited by hand; Jaunt keeps it`, { hint: 'rerun with --force to replace it' });
    }
    if (!result.ok) {
      const errors = result.reason === 'invalid' ? result.errors.map((e) => `  ${e}`).join('\n') : '';
      throw new CliError(ExitCode.Failed, `${from} does not implement spec '${spec.ir.name}' (${spec.ir.file}:${spec.ir.line}):\n${errors}`, {
        hint: 'fix the file, or pass --no-verify to store it anyway',
      });
    }
    const { entry, replaced } = result;
    if (ctx.json) {
      const json: AuthorJson = {
        spec: { id: spec.id, name: spec.ir.name, file: spec.ir.file, line: spec.ir.line, hash: spec.hash },
        entry: path.relative(project.projectDir, entry).split(path.sep).join('/'), replaced, verified: verify,
      };
      ctx.out.json(json);
      return ExitCode.Ok;
    }
    const note = replaced === 'none' ? '' : ` (replaced a${replaced === 'edited' ? ' hand-edited' : replaced === 'corrupt' ? ' corrupt' : 'n existing'} entry)`;
    ctx.out.out(`${ctx.out.style.green('✓')} wrote ${displayPath(ctx.cwd, entry)} for ${spec.ir.name}${note}${verify ? '' : ' without checking it'}`);
    ctx.out.out(ctx.out.style.dim(`  provenance: ${OFFLINE}; commit it with the rest of the cache`));
    return ExitCode.Ok;
  },
};
