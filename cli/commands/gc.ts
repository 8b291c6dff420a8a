import * as path from 'node:path';
import type { TempFile } from '../../cache/temp-files';
import { cacheUsage, deleteLeftoverTemps, deleteOrphans, type OrphanEntry } from '../../core/cache-usage';
import { Codes, formatCode } from '../../core/errors';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { ExitCode } from '../exit-codes';
import type { GcJson } from '../json-shapes';
import { displayPath, marks, plural } from '../output';
import { openProject } from '../project';

/** gc's document: GcJson plus what is named like an entry but is not one, and temp files. */
export interface GcFilesJson extends GcJson {
  /** Files named like entries without a Jaunt header, or not regular files: never deleted. */
  notEntries: { path: string; code: string; detail: string }[];
  /** Temp files of entry writes; `leftover` ones are removed by --delete. */
  tempFiles: { path: string; pid: number; leftover: boolean; detail: string; deleted: boolean }[];
}

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
    'Only files with a Jaunt header are entries: anything else named like one (no header, a FIFO, a folder,',
    'a file over 256 KiB, a symlink out of the cache folder) is listed with JAUNT2011 and never removed.',
    'Temp files of interrupted writes (their writer is gone, or older than a minute) are removed by --delete.',
    'gc knows only the specs of the tsconfig it is given: if several tsconfigs share one cache folder,',
    'an entry used by another project looks unused here.',
  ],
  options: [
    { name: 'delete', type: 'boolean', description: 'remove the unused entries and leftover temp files' },
    { name: 'force', type: 'boolean', description: 'with --delete, remove hand-edited entries too' },
  ],
  positionals: { min: 0, max: 0 },
  examples: ['jaunt gc', 'jaunt gc --delete', 'jaunt gc --delete --force'],
  async run(ctx) {
    const project = openProject(ctx.cwd, ctx.project, ctx.env, {}, (line) => ctx.out.err(line));
    const cacheDir = project.options.cacheDir;
    const usage = cacheUsage(project.analysis, cacheDir);
    const doDelete = ctx.parsed.flags.has('delete');
    const force = ctx.parsed.flags.has('force');
    let deleted = new Set<OrphanEntry>();
    let tempsDeleted = new Set<TempFile>();
    if (doDelete) {
      // Temp files are never anyone's work, so they go even when the entries are refused below.
      tempsDeleted = deleteLeftoverTemps(usage);
      const result = deleteOrphans(project.analysis, usage, force);
      if ('refused' in result) {
        throw new CliError(ExitCode.Failed, `${project.configPath} has no @jaunt specs, yet ${displayPath(ctx.cwd, cacheDir)} holds ${plural(usage.orphans.length, 'entry', 'entries')}`, {
          hint: 'is -p the right tsconfig? Pass --force to delete them all anyway',
        });
      }
      deleted = result.deleted;
    }
    const rel = (p: string) => path.relative(project.projectDir, p).split(path.sep).join('/');
    const notEntryCode = formatCode(Codes.NotAnEntry);
    if (ctx.json) {
      const json: GcFilesJson = {
        project: project.configPath, cacheDir: rel(cacheDir) || '.', entries: usage.entries, used: usage.used,
        orphans: usage.orphans.map((o) => ({
          path: rel(o.path), spec: o.name, hash: o.hash, reason: o.reason, detail: o.detail, edited: o.edited, corrupt: o.corrupt, deleted: deleted.has(o),
        })),
        deleted: deleted.size,
        protected: usage.protected.map((p) => ({ path: rel(p.path), spec: p.name, hash: p.hash, detail: p.detail })),
        notEntries: usage.notEntries.map((n) => ({ path: rel(n.path), code: notEntryCode, detail: n.detail })),
        tempFiles: usage.temps.map((t) => ({ path: rel(t.path), pid: t.pid, leftover: t.leftover, detail: t.detail, deleted: tempsDeleted.has(t) })),
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
    for (const n of usage.notEntries) {
      out.out(`  ${out.style.yellow(notEntryCode)} ${displayPath(ctx.cwd, n.path)} is named like a cache entry but is not one (${n.detail}): kept. `
        + 'Remove or rename it yourself: gc deletes only Jaunt entries.');
    }
    for (const t of usage.temps) {
      const state = tempsDeleted.has(t) ? out.style.red('deleted') : t.leftover ? '`jaunt gc --delete` removes it' : '';
      out.out(`  ${displayPath(ctx.cwd, t.path)}  ${t.detail}${state ? `  ${state}` : ''}`);
    }
    return ExitCode.Ok;
  },
};
