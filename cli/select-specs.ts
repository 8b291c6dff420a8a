import * as path from 'node:path';
import { Codes } from '../core/errors';
import { CliError } from './cli-error';
import { ExitCode } from './exit-codes';
import { closest } from './suggest';
import type { JauntDiagnostic } from '../core/errors';
import type { ProjectContext } from './project';
import type { SpecStatus } from '../core/classify-specs';
import { projectStatuses } from './project';

export interface Selectable {
  /** `file#name`, the file relative to the tsconfig's folder. */
  id: string;
  name: string;
}

function unknownSpec(query: string, items: readonly Selectable[]): CliError {
  const name = query.includes('#') ? query.slice(query.lastIndexOf('#') + 1) : query;
  const near = closest(name, items.map((s) => s.name));
  const hint = near.length > 0
    ? `did you mean ${near.join(', ')}?`
    : items.length === 0 ? 'this project has no @jaunt specs' : 'run `jaunt status` to list the specs';
  return new CliError(ExitCode.Usage, `unknown spec '${query}'`, { code: Codes.UnknownSpec, hint });
}

/**
 * Picks the specs named on the command line: `name`, or `file#name` when two files share a name.
 * The file may be relative to the tsconfig's folder or to the working folder.
 */
export function selectSpecs<T extends Selectable>(items: readonly T[], queries: readonly string[], o: { projectDir: string; cwd: string }): T[] {
  const picked = new Set<T>();
  for (const query of queries) {
    const hash = query.lastIndexOf('#');
    let matches: T[];
    if (hash >= 0) {
      const file = query.slice(0, hash);
      const name = query.slice(hash + 1);
      const fromCwd = path.relative(o.projectDir, path.resolve(o.cwd, file)).split(path.sep).join('/');
      const asGiven = file.replace(/^\.\//, '');
      matches = items.filter((s) => s.name === name && (s.id === `${asGiven}#${name}` || s.id === `${fromCwd}#${name}`));
    } else {
      matches = items.filter((s) => s.name === query);
    }
    if (matches.length === 0) throw unknownSpec(query, items);
    if (matches.length > 1) {
      throw new CliError(ExitCode.Usage, `spec name '${query}' is ambiguous: ${matches.map((m) => m.id).join(', ')}`, {
        code: Codes.UnknownSpec, hint: `name one as file#name, e.g. ${matches[0]!.id}`,
      });
    }
    picked.add(matches[0]!);
  }
  return items.filter((s) => picked.has(s));
}

/**
 * The spec statuses a command reports: those named on the command line (all when none are named), and
 * the analysis diagnostics about them.
 */
export function selectedStatuses(project: ProjectContext, positionals: readonly string[], cwd: string): { statuses: SpecStatus[]; diagnostics: JauntDiagnostic[] } {
  const all = projectStatuses(project).statuses;
  const named = positionals.length > 0;
  const statuses = named ? selectSpecs(all, positionals, { projectDir: project.projectDir, cwd }) : all;
  const names = new Set(statuses.map((s) => s.name));
  const diagnostics = project.analysis.diagnostics.filter((d) => !named || (d.spec !== undefined && names.has(d.spec)));
  return { statuses, diagnostics };
}
