/**
 * The tsc plugin's generation worker: runs the engine's requests on its own event loop while the plugin's
 * thread waits or checks candidates. It holds no program: the plugin sends prompts as plain data and checks
 * each candidate in its own program when asked, so a build loads its program once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runAsWorker } from 'synckit';
import { resolveOptions } from '../config/options';
import { PROVIDERS } from '../config/providers';
import type { ValidationResult } from '../validate/validate-candidate';
import { runGeneration } from './engine';
// The default provider's SDK loads while the worker boots (the plugin's thread is writing the prompts
// meanwhile), not when the first requests are due.
import './providers/anthropic';
import { formatEvent } from './progress-lines';
import type { CheckRequest, WorkerRequest, WorkerResponse } from './worker-protocol';

interface Run {
  queue: CheckRequest[];
  answers: Map<number, (r: ValidationResult) => void>;
  finished: WorkerResponse | undefined;
  /** Set while a call waits for the next thing to tell the plugin. */
  wake: (() => void) | undefined;
}

// Module level: one run at a time, driven by the plugin's calls; kept across calls of that run.
let current: Run | undefined;
let nextTicket = 0;

/**
 * Resolves with the next message for the plugin: the candidates queued so far, or the end of the run; when
 * not `wait`ing and there is neither, with no candidates at once.
 */
function nextMessage(run: Run, wait = true): Promise<WorkerResponse> {
  return new Promise((resolve) => {
    const poll = (): boolean => {
      if (run.queue.length > 0) {
        resolve({ type: 'check', requests: run.queue.splice(0) });
        return true;
      }
      if (run.finished) {
        if (current === run) current = undefined;
        resolve(run.finished);
        return true;
      }
      return false;
    };
    if (poll()) return;
    if (!wait) resolve({ type: 'check', requests: [] });
    else run.wake = () => void (poll() && (run.wake = undefined));
  });
}

function start(req: Extract<WorkerRequest, { type: 'start' }>): Run {
  const run: Run = { queue: [], answers: new Map(), finished: undefined, wake: undefined };
  const wake = (): void => run.wake?.();
  const projectDir = path.dirname(req.configPath);
  const finish = (r: WorkerResponse): void => {
    run.finished = r;
    wake();
  };
  try {
    const options = resolveOptions(req.pluginConfig, projectDir, process.env, req.configPath);
    runGeneration({
      jobs: req.jobs, options, force: req.force,
      apiKey: process.env[PROVIDERS[options.provider].keyEnv] ?? '',
      validator: {
        validate: (job, candidate) => new Promise<ValidationResult>((resolve) => {
          const ticket = nextTicket++;
          run.answers.set(ticket, resolve);
          run.queue.push({ ticket, job: job.id, candidate });
          wake();
        }),
      },
      // Straight to fd 2: the main thread may be blocked in Atomics.wait, and piped output would wait for it.
      onEvent: (e) => fs.writeSync(2, `${formatEvent(e)}\n`),
    }).then(
      (report) => finish({ type: 'done', report }),
      (e: unknown) => finish({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
    );
  } catch (e) {
    finish({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
  return run;
}

async function handle(req: WorkerRequest): Promise<WorkerResponse> {
  // Never throw or exit: a dead worker fails every later call.
  try {
    if (req.type === 'start') {
      // A run whose caller gave up (its thread threw between calls) is left waiting for checks that never
      // come: it sends nothing more, and this run starts clean.
      current = start(req);
      return await nextMessage(current);
    }
    const run = current;
    if (!run) return { type: 'failed', message: 'no generation run to continue' };
    for (const { ticket, result } of req.results) {
      run.answers.get(ticket)?.(result);
      run.answers.delete(ticket);
    }
    return await nextMessage(run, req.wait);
  } catch (e) {
    return { type: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}

runAsWorker(handle);
