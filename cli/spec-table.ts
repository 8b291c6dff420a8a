import { displayPath, type Style } from './output';
import { SPEC_STATES, statusDetail, type SpecState, type SpecStatus } from '../core/classify-specs';

const COLOR: Record<SpecState, keyof Omit<Style, 'enabled'>> = {
  fresh: 'green', stale: 'yellow', missing: 'yellow', edited: 'cyan', broken: 'red', corrupt: 'red', invalid: 'red', cycle: 'red',
};

/**
 * One aligned line per spec, `file:line  name  status`, with the detail after a colon (`status`) or in
 * parentheses (`check`).
 */
export function specRows(statuses: readonly SpecStatus[], cwd: string, style: Style, form: 'colon' | 'paren'): string[] {
  const where = statuses.map((s) => `${displayPath(cwd, s.fileName)}:${s.line}`);
  const whereWidth = Math.max(0, ...where.map((w) => w.length));
  const nameWidth = Math.max(0, ...statuses.map((s) => s.name.length));
  return statuses.map((s, i) => {
    const detail = statusDetail(s);
    const label = detail === '' ? s.status : form === 'colon' ? `${s.status}: ${detail}` : `${s.status} (${detail})`;
    return `${style.cyan(where[i]!.padEnd(whereWidth))}  ${s.name.padEnd(nameWidth)}  ${style[COLOR[s.status]](label)}`;
  });
}

/** `5 specs: 3 fresh, 2 stale`. */
export function countsLine(statuses: readonly SpecStatus[]): string {
  const order: readonly SpecState[] = SPEC_STATES;
  const parts = order.flatMap((state) => {
    const n = statuses.filter((s) => s.status === state).length;
    return n > 0 ? [`${n} ${state}`] : [];
  });
  const total = `${statuses.length} spec${statuses.length === 1 ? '' : 's'}`;
  return parts.length > 0 ? `${total}: ${parts.join(', ')}` : total;
}
