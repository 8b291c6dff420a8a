import type { GenerationEvent, GenerationReport } from './generation-events';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One plain line per event: what tsc prints on stderr, and the CLI when stderr is not a TTY. */
export function formatEvent(e: GenerationEvent): string {
  switch (e.type) {
    case 'start':
      return `jaunt: ${e.spec}: generating (attempt ${e.attempt}/${e.attempts})`;
    case 'retry':
      return `jaunt: ${e.spec}: ${e.reason}; retrying ${e.waitMs > 0 ? `in ${seconds(e.waitMs)}` : 'now'}`;
    case 'rejected':
      return `jaunt: ${e.spec}: attempt ${e.attempt} rejected: ${e.errors.slice(0, 3).join('; ')}`;
    case 'done':
      if (e.reused) return `jaunt: ${e.spec}: done by another build; reusing its entry (${seconds(e.ms)})`;
      return `jaunt: ${e.spec}: done (${e.inputTokens} in / ${e.outputTokens} out tokens, ${seconds(e.ms)}, attempt ${e.attempts})`;
    case 'failed':
      return `jaunt: ${e.spec}: FAILED: ${e.reason}`;
    case 'waiting':
      return `jaunt: ${e.spec}: ${e.reason}`;
    case 'halted':
      return `jaunt: STOPPED: ${e.reason}`;
    case 'note':
      return `jaunt: ${e.spec}: ${e.message}`;
  }
}

export function formatSummary(report: GenerationReport, reused: number): string {
  const count = (s: string) => report.outcomes.filter((o) => o.status === s).length;
  const failed = count('failed') + count('skipped');
  return `jaunt: generated ${count('generated')}, reused ${reused}, failed ${failed} · ` +
    `${report.inputTokens} in / ${report.outputTokens} out tokens · ${seconds(report.wallMs)}`;
}
