import * as path from 'node:path';
import { cacheUsage, deleteOrphans, type OrphanEntry } from '../../core/cache-usage';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { ExitCode } from '../exit-codes';
import type { GcJson } from '../json-shapes';
import { displayPath, marks, plural } from '../output';
import { openProject } from '../project';

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

export const gcCommand: Command = {
  name: 'gc',
  summary: 'list cache entries no current spec uses; remove them with --delete',
  args: '',
  description: [
    'An entry is unused when no spec has its name, or its spec now has another hash (an earlier contract).',
    'Without --delete nothing is removed. Hand-edited entries are kept unless --force is given too.',
    'Entries of specs that are malformed or on a dependency cycle right now are never removed.',
    'gc knows only the specs of the tsconfig it is given: if several tsconfigs share one cache folder,',
    'an entry used by another project looks unused here.',
  ],
  options: [
    { name: 'delete', type: 'boolean', description: 'remove the unused entries' },
    { name: 'force', type: 'boolean', description: 'with --delete, remove hand-edited entries too' },
  ],
  positionals: { min: 0, max: 0 },
  examples: ['jaunt gc', 'jaunt gc --delete', 'jaunt gc --delete --force'],
  async run(ctx) {
    const project = openProject(ctx.cwd, ctx.project);
    const cacheDir = project.options.cacheDir;
    const usage = cacheUsage(project.analysis, cacheDir);
    const doDelete = ctx.parsed.flags.has('delete');
    const force = ctx.parsed.flags.has('force');
    let deleted = new Set<OrphanEntry>();
    if (doDelete) {
      const result = deleteOrphans(project.analysis, usage, force);
      if ('refused' in result) {
        throw new CliError(ExitCode.Failed, `${project.configPath} has no @jaunt specs, yet ${displayPath(ctx.cwd, cacheDir)} holds ${plural(usage.orphans.length, 'entry', 'entries')}`, {
          hint: 'is -p the right tsconfig? Pass --force to delete them all anyway',
        });
      }
      deleted = result.deleted;
    }
    const rel = (p: string) => path.relative(project.projectDir, p).split(path.sep).join('/');
    if (ctx.json) {
      const json: GcJson = {
        project: project.configPath, cacheDir: rel(cacheDir) || '.', entries: usage.entries, used: usage.used,
        orphans: usage.orphans.map((o) => ({
          path: rel(o.path), spec: o.name, hash: o.hash, reason: o.reason, detail: o.detail, edited: o.edited, corrupt: o.corrupt, deleted: deleted.has(o),
        })),
        deleted: deleted.size,
        protected: usage.protected.map((p) => ({ path: rel(p.path), spec: p.name, hash: p.hash, detail: p.detail })),
      };
      ctx.out.json(json);
      return ExitCode.Ok;
    }
    const { out } = ctx;
    const mark = marks(out.style);
    if (usage.orphans.length === 0) {
      const where = displayPath(ctx.cwd, cacheDir);
      out.out(usage.entries === 0 ? `${mark.ok} no cache entries in ${where}` : `${mark.ok} ${where}: all ${plural(usage.entries, 'entry', 'entries')} in use`);
    } else {
      const shown = usage.orphans.map((o) => displayPath(ctx.cwd, o.path));
      const width = Math.max(...shown.map((s) => s.length));
      usage.orphans.forEach((o, i) => {
        const state = deleted.has(o) ? out.style.red('deleted') : o.edited ? out.style.yellow(`kept: edited by hand${doDelete ? ' (--force deletes it)' : ''}`) : '';
        const corrupt = o.corrupt ? ', corrupt' : '';
        out.out(`  ${out.style.cyan(shown[i]!.padEnd(width))}  ${o.detail}${corrupt}${state ? `  ${state}` : ''}`);
      });
      out.out();
      const total = usage.orphans.reduce((n, o) => n + o.bytes, 0);
      if (doDelete) {
        const kept = usage.orphans.length - deleted.size;
        out.out(`Deleted ${plural(deleted.size, 'unused entry', 'unused entries')}${kept > 0 ? `; kept ${kept} edited by hand (add --force to delete)` : ''}.`);
      } else {
        out.out(`${plural(usage.orphans.length, 'unused entry', 'unused entries')} (${size(total)}) of ${usage.entries}. Run \`jaunt gc --delete\` to remove them${usage.orphans.some((o) => o.edited) ? ' (hand-edited ones need --force too)' : ''}.`);
      }
    }
    for (const p of usage.protected) out.out(out.style.dim(`  kept ${displayPath(ctx.cwd, p.path)}: ${p.detail}`));
    return ExitCode.Ok;
  },
};
