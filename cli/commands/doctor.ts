import type { Command } from '../command';
import { runDoctorChecks } from '../doctor-checks';
import { ExitCode } from '../exit-codes';
import type { DoctorJson } from '../json-shapes';
import { marks, plural } from '../output';
import { TOOL_NAME, TOOL_VERSION } from '../../core/version';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the setup: Node, TypeScript, ts-patch, the tsconfig plugin entry, key, cache',
  args: '',
  description: [
    'Runs every check and prints ✓ (fine), ! (works, but look) or ✗ (broken) with a fix for each.',
    'Exits 1 if any check fails. Reports only whether ANTHROPIC_API_KEY is set, never its value.',
  ],
  options: [],
  positionals: { min: 0, max: 0 },
  examples: ['jaunt doctor', 'jaunt doctor -p packages/api --json'],
  async run(ctx) {
    const checks = runDoctorChecks(ctx.cwd, ctx.project, ctx.env);
    const failed = checks.filter((c) => c.status === 'fail').length;
    const warned = checks.filter((c) => c.status === 'warn').length;
    if (ctx.json) {
      const json: DoctorJson = { ok: failed === 0, checks };
      ctx.out.json(json);
      return failed === 0 ? ExitCode.Ok : ExitCode.Failed;
    }
    const { out } = ctx;
    const mark = marks(out.style);
    out.out(`jaunt doctor (${TOOL_NAME} ${TOOL_VERSION})`);
    out.out();
    for (const c of checks) {
      out.out(`${c.status === 'ok' ? mark.ok : c.status === 'warn' ? mark.warn : mark.fail} ${c.title}`);
      if (c.fix) out.out(out.style.dim(`    fix: ${c.fix}`));
    }
    out.out();
    out.out(failed === 0 && warned === 0 ? 'No problems found.' : `${plural(failed, 'problem')}, ${plural(warned, 'warning')}.`);
    return failed === 0 ? ExitCode.Ok : ExitCode.Failed;
  },
};
