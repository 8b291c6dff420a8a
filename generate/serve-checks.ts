/**
 * tsc's thread's side of a generation run: it checks the candidates the worker sends, a round at a time
 * (one candidate per file, the spec with the longest chain of dependents first), and hands each round's
 * verdicts back at once, so a dependent's request need not wait for a whole batch. Candidates that arrive
 * meanwhile join the queue. With no candidate waiting, it verifies finished files ahead (verify-ahead.ts)
 * and only then blocks for the next message.
 */
import type { ValidationResult } from '../validate/validate-candidate';
import type { GenerationJob } from './generation-job';
import type { VerifyAhead } from './verify-ahead';
import type { CheckRequest, WorkerRequest, WorkerResponse } from './worker-protocol';

/** Most candidates in one round: a round costs about one program plus one file check per candidate. */
const ROUND_MAX = 8;
/** Files verified ahead in one go: short, so a candidate arriving meanwhile waits little. */
const AHEAD_MAX = 3;

export interface ServeChecksInput {
  jobs: ReadonlyMap<string, GenerationJob>;
  /** Checks candidates of distinct files together. */
  check(requests: readonly CheckRequest[]): { ticket: number; result: ValidationResult }[];
  ahead?: Pick<VerifyAhead, 'touched' | 'pending' | 'step'>;
}

/** For each job, the most jobs on a chain of dependents from it, itself included (what the scheduler runs first). */
export function chainLengths(jobs: ReadonlyMap<string, GenerationJob>): Map<string, number> {
  const dependents = new Map<string, string[]>();
  for (const job of jobs.values()) for (const d of job.deps) if (jobs.has(d)) dependents.set(d, [...(dependents.get(d) ?? []), job.id]);
  const memo = new Map<string, number>();
  const lengthOf = (id: string, seen: Set<string>): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    // A cycle never reaches generation; the guard only keeps this finite.
    if (seen.has(id)) return 1;
    seen.add(id);
    const n = 1 + Math.max(0, ...(dependents.get(id) ?? []).map((d) => lengthOf(d, seen)));
    seen.delete(id);
    memo.set(id, n);
    return n;
  };
  for (const id of jobs.keys()) lengthOf(id, new Set());
  return memo;
}

/** Drives the run from the worker's first answer to its last; returns that last answer (done or failed). */
export function serveChecks(
  call: (req: WorkerRequest) => WorkerResponse, first: WorkerResponse, o: ServeChecksInput,
): Exclude<WorkerResponse, { type: 'check' }> {
  const priority = chainLengths(o.jobs);
  const queue: CheckRequest[] = [];
  /** Jobs with a passing verdict: once all have one, no candidate comes, and classification checks the rest in one go. */
  const passed = new Set<string>();
  let response = first;
  while (response.type === 'check') {
    queue.push(...response.requests);
    if (queue.length === 0) {
      if (o.ahead?.pending() && passed.size < o.jobs.size) {
        aheadStep(o.ahead);
        response = call({ type: 'checked', results: [], wait: false });
      } else {
        response = call({ type: 'checked', results: [], wait: true });
      }
      continue;
    }
    const round = takeRound(queue, priority, o.jobs);
    const results = o.check(round);
    for (const { ticket, result } of results) {
      const id = round.find((r) => r.ticket === ticket)?.job;
      if (!result.ok || id === undefined) continue;
      passed.add(id);
      o.ahead?.touched(id);
    }
    // Answered at once; if nothing new arrived, the reply comes back at once too and the queue goes on.
    response = call({ type: 'checked', results, wait: false });
  }
  return response;
}

/** A failure here costs only the head start: classification checks the file as always. */
function aheadStep(ahead: Pick<VerifyAhead, 'step'>): void {
  try {
    ahead.step(AHEAD_MAX);
  } catch {
    // nothing to report: the check it would have saved still happens
  }
}

/** Takes the next round out of `queue`: most urgent first, one candidate per file. */
function takeRound(queue: CheckRequest[], priority: ReadonlyMap<string, number>, jobs: ReadonlyMap<string, GenerationJob>): CheckRequest[] {
  const order = queue.map((r, i) => ({ r, i })).sort((a, b) => (priority.get(b.r.job) ?? 0) - (priority.get(a.r.job) ?? 0) || a.i - b.i);
  const files = new Set<string>();
  const round: CheckRequest[] = [];
  for (const { r } of order) {
    if (round.length >= ROUND_MAX) break;
    const file = jobs.get(r.job)?.file ?? r.job;
    if (files.has(file)) continue;
    files.add(file);
    round.push(r);
  }
  for (const r of round) queue.splice(queue.indexOf(r), 1);
  return round;
}
