import type { GenerationEvent } from '../generate/generation-events';
import { formatEvent } from '../generate/progress-lines';
import type { Style } from './output';

export interface ProgressDisplay {
  event(e: GenerationEvent): void;
  /** Stops the timers and leaves the terminal as it was (cursor shown, live lines erased). */
  finish(): void;
}

export interface ProgressOptions {
  total: number;
  stream: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  style: Style;
  now?: () => number;
  /** Milliseconds between redraws at most. */
  throttleMs?: number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const MAX_RUNNING_LINES = 6;

export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const grouped = (n: number) => n.toLocaleString('en-US');

/** Plain lines, one per event: for pipes, CI logs and files. */
export function createPlainProgress(stream: ProgressOptions['stream']): ProgressDisplay {
  return { event: (e) => void stream.write(`${formatEvent(e)}\n`), finish: () => undefined };
}

/**
 * A live block redrawn in place (counts, running specs, tokens, elapsed, ETA), with a permanent line per
 * finished or troubled spec above it. Redraws are throttled so a burst of events costs one repaint.
 */
export function createLiveProgress(o: ProgressOptions): ProgressDisplay {
  const now = o.now ?? Date.now;
  const started = now();
  const running = new Map<string, { attempt: number; attempts: number; since: number }>();
  const pending: string[] = [];
  let finished = 0;
  let failed = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  let drawn = 0;
  let frame = 0;
  let lastDraw = 0;
  let scheduled: NodeJS.Timeout | undefined;
  const s = o.style;
  const width = () => Math.max(20, (o.stream.columns || 80) - 1);
  // Lines wider than the terminal wrap, and then the count of lines to erase is wrong: cut them.
  const fit = (line: string) => (line.length > width() ? `${line.slice(0, width() - 1)}…` : line);

  const block = (): string[] => {
    const elapsed = now() - started;
    const remaining = o.total - finished;
    const eta = finished > 0 && remaining > 0 ? ` · ETA ${clock((elapsed / finished) * remaining)}` : '';
    const head = `${SPINNER[frame % SPINNER.length]} ${finished}/${o.total} specs${failed > 0 ? ` (${failed} failed)` : ''} · ${running.size} running · ` +
      `${grouped(tokensIn)} in / ${grouped(tokensOut)} out tokens · ${clock(elapsed)}${eta}`;
    const lines = [fit(head)];
    const names = [...running.entries()];
    for (const [name, r] of names.slice(0, MAX_RUNNING_LINES)) {
      lines.push(fit(`  ${name} (attempt ${r.attempt}/${r.attempts}, ${clock(now() - r.since)})`));
    }
    if (names.length > MAX_RUNNING_LINES) lines.push(`  … and ${names.length - MAX_RUNNING_LINES} more`);
    return lines.map((l, i) => (i === 0 ? l : s.dim(l)));
  };

  const draw = (): void => {
    scheduled = undefined;
    lastDraw = now();
    frame++;
    // Back to the first live line, erase to the end of the screen, then print fresh.
    const up = drawn > 0 ? `\x1b[${drawn}F\x1b[J` : '';
    const lines = block();
    o.stream.write(`${up}${pending.map((l) => `${l}\n`).join('')}${lines.join('\n')}\n`);
    pending.length = 0;
    drawn = lines.length;
  };

  const request = (): void => {
    if (scheduled) return;
    const wait = Math.max(0, (o.throttleMs ?? 80) - (now() - lastDraw));
    scheduled = setTimeout(draw, wait);
  };

  const restoreCursor = () => o.stream.write('\x1b[?25h');
  process.once('exit', restoreCursor);
  o.stream.write('\x1b[?25l');
  const ticker = setInterval(request, 250);
  ticker.unref();
  request();

  return {
    event(e) {
      switch (e.type) {
        case 'start':
          running.set(e.spec, { attempt: e.attempt, attempts: e.attempts, since: running.get(e.spec)?.since ?? now() });
          break;
        case 'retry':
          pending.push(fit(`${s.yellow('!')} ${e.spec}: ${e.reason}; retrying in ${(e.waitMs / 1000).toFixed(1)}s`));
          break;
        case 'rejected':
          pending.push(fit(`${s.yellow('!')} ${e.spec}: attempt ${e.attempt} rejected: ${e.errors[0] ?? ''}`));
          break;
        case 'done':
          running.delete(e.spec);
          finished++;
          tokensIn += e.inputTokens;
          tokensOut += e.outputTokens;
          pending.push(fit(`${s.green('✓')} ${e.spec}  ${s.dim(`${grouped(e.inputTokens)} in / ${grouped(e.outputTokens)} out · ${(e.ms / 1000).toFixed(1)}s${e.attempts > 1 ? ` · attempt ${e.attempts}` : ''}`)}`));
          break;
        case 'note':
          pending.push(fit(`${s.dim('·')} ${e.spec}: ${e.message}`));
          break;
        case 'failed':
          running.delete(e.spec);
          finished++;
          failed++;
          pending.push(fit(`${s.red('✗')} ${e.spec}: ${e.reason}`));
          break;
      }
      request();
    },
    finish() {
      clearInterval(ticker);
      if (scheduled) clearTimeout(scheduled);
      const up = drawn > 0 ? `\x1b[${drawn}F\x1b[J` : '';
      o.stream.write(`${up}${pending.map((l) => `${l}\n`).join('')}`);
      pending.length = 0;
      drawn = 0;
      restoreCursor();
      process.removeListener('exit', restoreCursor);
    },
  };
}
