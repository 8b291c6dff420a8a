/**
 * Runs tasks in dependency order, several at once, longest chain first, so one slow spec chain
 * does not end up alone at the tail of a build. A task may give its slot back while it waits for
 * something the limit is not about (a spec's validation on another thread) and take one again for its
 * next request.
 */
import { Codes, JauntError } from '../core/errors';

export interface DagTask<R> {
  id: string;
  /** Ids this task needs done first; ids not among the tasks count as done (e.g. cached). */
  deps: string[];
  /** Starts holding `slot`; a task that never touches it holds it until it settles. */
  run(slot: TaskSlot): Promise<R>;
}

/** A task's share of the concurrency. */
export interface TaskSlot {
  /** Gives the slot to the next task (idempotent); the task keeps running. */
  release(): void;
  /** Resolves once the task holds a slot again, granted by the same priority as a start (at once if held). */
  acquire(): Promise<void>;
}

export type TaskOutcome<R> =
  | { status: 'done'; value: R }
  | { status: 'failed'; error: unknown }
  | { status: 'skipped'; failedDependency: string };

export interface RunDagOptions<R> {
  /** Most slots held at once (tasks running, less those that released theirs); at least 1. */
  concurrency: number;
  onStart?(id: string): void;
  /** Called as each task settles, skipped ones included, so the caller can persist at once. */
  onFinish?(id: string, outcome: TaskOutcome<R>): void;
}

/**
 * A dependency cycle as a path that returns to its start, e.g. [a, b, c, a] where a depends on b,
 * b on c and c on a; undefined when there is none. Deps on unknown ids are ignored.
 */
export function findCycle(nodes: { id: string; deps: string[] }[]): string[] | undefined {
  const deps = new Map(nodes.map((n) => [n.id, n.deps]));
  // 1: on the current path, 2: fully explored.
  const state = new Map<string, 1 | 2>();
  for (const root of nodes) {
    if (state.has(root.id)) continue;
    // Iterative DFS: deep spec chains must not overflow the stack.
    const path: string[] = [root.id];
    const next: number[] = [0];
    state.set(root.id, 1);
    while (path.length > 0) {
      const top = path.length - 1;
      const id = path[top] as string;
      const i = next[top] as number;
      const children = deps.get(id) ?? [];
      if (i >= children.length) {
        state.set(id, 2);
        path.pop();
        next.pop();
        continue;
      }
      next[top] = i + 1;
      const child = children[i] as string;
      if (!deps.has(child) || state.get(child) === 2) continue;
      if (state.get(child) === 1) return [...path.slice(path.indexOf(child)), child];
      state.set(child, 1);
      path.push(child);
      next.push(0);
    }
  }
  return undefined;
}

/** For each task, the most tasks on any chain from it to a final dependent, itself included. */
function chainLengths<R>(tasks: DagTask<R>[], dependents: Map<string, string[]>): Map<string, number> {
  const memo = new Map<string, number>();
  // Visit in reverse topological order (dependents first) so each lookup is already known.
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (start: string): void => {
    const stack: [string, boolean][] = [[start, false]];
    while (stack.length > 0) {
      const [id, expanded] = stack.pop() as [string, boolean];
      if (expanded) {
        order.push(id);
        continue;
      }
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push([id, true]);
      for (const d of dependents.get(id) ?? []) if (!seen.has(d)) stack.push([d, false]);
    }
  };
  for (const t of tasks) visit(t.id);
  for (const id of order) {
    const below = (dependents.get(id) ?? []).map((d) => memo.get(d) ?? 0);
    memo.set(id, 1 + Math.max(0, ...below));
  }
  return memo;
}

/**
 * Runs every task once its in-list deps are done. A failed task skips all its transitive
 * dependents (naming it); unrelated tasks carry on. Resolves with each task's outcome, in input
 * order. Rejects without running anything on duplicate ids or a cycle, and, if a callback throws,
 * after the tasks in flight settle (starting no more).
 */
export async function runDag<R>(tasks: DagTask<R>[], o: RunDagOptions<R>): Promise<Map<string, TaskOutcome<R>>> {
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1) {
    throw new RangeError(`runDag: concurrency must be a positive integer, got ${o.concurrency}`);
  }
  const byId = new Map<string, DagTask<R>>();
  for (const t of tasks) {
    if (byId.has(t.id)) throw new RangeError(`runDag: duplicate task id "${t.id}"`);
    byId.set(t.id, t);
  }
  const cycle = findCycle(tasks);
  if (cycle) throw new JauntError(Codes.DependencyCycle, `dependency cycle: ${cycle.join(' -> ')}`);

  const dependents = new Map<string, string[]>();
  const waitingOn = new Map<string, number>();
  for (const t of tasks) {
    const inList = [...new Set(t.deps)].filter((d) => byId.has(d));
    waitingOn.set(t.id, inList.length);
    for (const d of inList) dependents.set(d, [...(dependents.get(d) ?? []), t.id]);
  }
  const priority = chainLengths(tasks, dependents);
  const position = new Map(tasks.map((t, i) => [t.id, i]));
  const ready = tasks.filter((t) => waitingOn.get(t.id) === 0).map((t) => t.id);
  const outcomes = new Map<string, TaskOutcome<R>>();

  return new Promise((resolve, reject) => {
    /** Slots held. */
    let running = 0;
    /** Tasks started and not settled, whether they hold a slot or not. */
    let active = 0;
    let callbackError: { error: unknown } | undefined;
    /** Tasks that released their slot and wait for one again, with what grants it. */
    const resuming = new Map<string, () => void>();
    const holding = new Set<string>();

    const call = (fn: () => void): void => {
      try {
        fn();
      } catch (error) {
        callbackError ??= { error };
      }
    };

    const settle = (id: string, outcome: TaskOutcome<R>): void => {
      outcomes.set(id, outcome);
      call(() => o.onFinish?.(id, outcome));
    };

    /** Longest chain first; a task waiting to resume before a start; then the earlier task in the input, for a stable order. */
    const takeBest = (): { id: string; resume?: () => void } => {
      let best: string | undefined;
      let bestResumes = false;
      const better = (a: string, resumes: boolean): boolean => {
        if (best === undefined) return true;
        const pa = priority.get(a) ?? 0;
        const pb = priority.get(best) ?? 0;
        if (pa !== pb) return pa > pb;
        if (resumes !== bestResumes) return resumes;
        return (position.get(a) ?? 0) < (position.get(best) ?? 0);
      };
      for (const id of resuming.keys()) if (better(id, true)) (best = id), (bestResumes = true);
      for (const id of ready) if (better(id, false)) (best = id), (bestResumes = false);
      const id = best as string;
      if (bestResumes) {
        const resume = resuming.get(id)!;
        resuming.delete(id);
        return { id, resume };
      }
      ready.splice(ready.indexOf(id), 1);
      return { id };
    };

    const skipDependents = (failed: string): void => {
      const stack = [...(dependents.get(failed) ?? [])];
      while (stack.length > 0) {
        const id = stack.pop() as string;
        if (outcomes.has(id)) continue;
        settle(id, { status: 'skipped', failedDependency: failed });
        stack.push(...(dependents.get(id) ?? []));
      }
    };

    const release = (id: string): void => {
      if (!holding.delete(id)) return;
      running--;
      pump();
    };

    const finish = (id: string, outcome: TaskOutcome<R>): void => {
      if (holding.delete(id)) running--;
      active--;
      settle(id, outcome);
      if (outcome.status === 'done') {
        for (const d of dependents.get(id) ?? []) {
          const left = (waitingOn.get(d) ?? 0) - 1;
          waitingOn.set(d, left);
          if (left === 0 && !outcomes.has(d)) ready.push(d);
        }
      } else {
        skipDependents(id);
      }
      pump();
    };

    const slotOf = (id: string): TaskSlot => ({
      release: () => release(id),
      acquire: () => new Promise<void>((granted) => {
        if (holding.has(id) || outcomes.has(id) || resuming.has(id)) return granted();
        resuming.set(id, granted);
        pump();
      }),
    });

    const pump = (): void => {
      // After a callback failed nothing new starts, but a task in flight that waits for its slot gets it, so it can settle.
      if (callbackError) for (const [id, resume] of [...resuming]) resuming.delete(id), holding.add(id), running++, resume();
      while (!callbackError && running < o.concurrency && (ready.length > 0 || resuming.size > 0)) {
        const { id, resume } = takeBest();
        running++;
        holding.add(id);
        if (resume) {
          resume();
          continue;
        }
        const task = byId.get(id) as DagTask<R>;
        active++;
        call(() => o.onStart?.(id));
        // Via then() so a run() that throws synchronously becomes a failure, not a crash.
        Promise.resolve()
          .then(() => task.run(slotOf(id)))
          .then(
            (value) => finish(id, { status: 'done', value }),
            (error: unknown) => finish(id, { status: 'failed', error }),
          );
      }
      if (active > 0) return;
      if (callbackError) return reject(callbackError.error);
      const result = new Map<string, TaskOutcome<R>>();
      for (const t of tasks) {
        const outcome = outcomes.get(t.id);
        if (outcome) result.set(t.id, outcome);
      }
      resolve(result);
    };

    pump();
  });
}
