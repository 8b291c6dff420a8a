/**
 * The build thread's side of tspc-thread.ts: one tspc build (tspc-in-process.ts) per message, in order.
 *
 * A build that may generate gets the plugin's modules (and synckit) fresh, as a new tspc process would: the
 * plugin keeps its generation worker across builds, and that worker holds the environment (key, base URL) it
 * started with.
 * The workers a build starts are ended with it. They print progress straight to fd 2, which is the test
 * runner's stderr: here their fd 2 is a capture file, read back in order into the build's output.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from './spawn-async';
import { REPO } from './temp-project';
import { tspcInProcess } from './tspc-in-process';
// The module object itself (not an import-star copy): its `Worker` is replaced below.
import threads = require('node:worker_threads');

export interface BuildRequest {
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  reply: threads.MessagePort;
}

/** `result` undefined: this driver does not reproduce the build, spawn tspc. */
export type BuildReply = { ok: true; result: RunResult | undefined } | { ok: false; error: string };

/** Module state a new tspc process would not have: the plugin's, and synckit's cache of started workers by path. */
const FRESH_PER_BUILD = [path.join(REPO, 'dist') + path.sep, path.join(REPO, 'node_modules', 'synckit') + path.sep];

/** The fd other threads' fd-2 writes go to during the current build; undefined between builds. */
let captureFd: number | undefined;
const startedByBuild: threads.Worker[] = [];

/** Runs first in a worker the plugin starts: its writes to fd 2 go to the capture file instead. */
function redirectStderr(fd: number): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeFs = require('node:fs') as typeof fs;
  const writeSync = nodeFs.writeSync as (...a: unknown[]) => number;
  nodeFs.writeSync = ((target: number, ...rest: unknown[]) => writeSync(target === 2 ? fd : target, ...rest)) as typeof fs.writeSync;
}

function wrapped(filename: string | URL, options: threads.WorkerOptions): [string | URL, threads.WorkerOptions] {
  if (captureFd === undefined || options.eval) return [filename, options];
  const file = filename instanceof URL ? fileURLToPath(filename) : filename;
  return [`(${redirectStderr.toString()})(${captureFd});\nrequire(${JSON.stringify(file)});`, { ...options, eval: true }];
}

// synckit reads `Worker` off the module when it starts one, so the plugin's workers come through here.
class CapturedWorker extends threads.Worker {
  constructor(filename: string | URL, options: threads.WorkerOptions = {}) {
    super(...wrapped(filename, options));
    if (captureFd !== undefined) startedByBuild.push(this);
  }
}
(threads as { Worker: typeof threads.Worker }).Worker = CapturedWorker;

const mayGenerate = (env: NodeJS.ProcessEnv): boolean => Object.keys(env).some((k) => k.endsWith('_API_KEY') && env[k]);

function forgetPlugin(): void {
  for (const id of Object.keys(require.cache)) if (FRESH_PER_BUILD.some((dir) => id.startsWith(dir))) delete require.cache[id];
}

async function build(req: BuildRequest): Promise<BuildReply> {
  const file = path.join(os.tmpdir(), `jaunt-tspc-thread-${process.pid}-${threads.threadId}.log`);
  const fd = fs.openSync(file, 'w+');
  let read = 0;
  const otherThreads = (): string => {
    const size = fs.fstatSync(fd).size;
    if (size <= read) return '';
    const chunk = Buffer.alloc(size - read);
    fs.readSync(fd, chunk, 0, chunk.length, read);
    read = size;
    return chunk.toString('utf8');
  };
  if (mayGenerate(req.env)) forgetPlugin();
  captureFd = fd;
  try {
    return { ok: true, result: tspcInProcess(req.args, { cwd: req.cwd, env: req.env, otherThreads }) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) };
  } finally {
    captureFd = undefined;
    await Promise.all(startedByBuild.splice(0).map((w) => w.terminate()));
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}

let queue: Promise<void> = Promise.resolve();
threads.parentPort?.on('message', (req: BuildRequest) => {
  queue = queue.then(async () => {
    const reply = await build(req);
    req.reply.postMessage(reply);
    req.reply.close();
  });
});
