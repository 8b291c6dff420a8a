/**
 * Runs tspc builds (tspc-in-process.ts) on a worker thread, one per test process, shared by its test files.
 *
 * Why a thread: a build that generates blocks its thread (the plugin's synckit worker waits with
 * Atomics.wait) while the model answers, and the fake model server lives in the test's thread, so it must
 * stay free. The thread keeps the compiler and the parsed library files across builds and test files, and
 * is unreferenced while idle so it never holds the test process open.
 */
import * as path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { RunResult } from './spawn-async';
import type { BuildReply, BuildRequest } from './tspc-thread-entry';

const ENTRY = path.join(__dirname, 'tspc-thread-entry.ts');

/**
 * Loads the entry with .ts files transpiled by the installed TypeScript, as ts-jest would (without the type
 * check). The file path, not `typescript`: jest.config.js maps the bare name to the worker's shared instance.
 */
const BOOT = `
const fs = require('node:fs');
const ts = require(${JSON.stringify(require.resolve('typescript/lib/typescript.js'))});
const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true };
require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), { fileName: file, compilerOptions }).outputText, file);
require(${JSON.stringify(ENTRY)});
`;

interface Shared {
  worker: Worker;
  busy: number;
}

// Kept on the Worker class, which every test file of this process shares (their module registries do not).
const KEY = Symbol.for('jaunt-ts.tests.tspc-thread');
const holder = Worker as unknown as Record<symbol, Shared | undefined>;

function thread(): Shared {
  const existing = holder[KEY];
  if (existing) return existing;
  const shared: Shared = { worker: new Worker(BOOT, { eval: true }), busy: 0 };
  shared.worker.unref();
  shared.worker.on('error', () => undefined);
  shared.worker.on('exit', () => {
    if (holder[KEY] === shared) holder[KEY] = undefined;
  });
  holder[KEY] = shared;
  return shared;
}

const KILLED: RunResult = { status: null, signal: 'SIGKILL', stdout: '', stderr: '', output: '' };

/**
 * `tspc <args>` in `cwd` with `env` on the build thread; undefined when the build must be spawned. Past
 * `timeoutMs` the thread is ended (and with it any build queued behind this one) and the build reads as killed.
 */
export function tspcOnThread(args: readonly string[], o: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult | undefined> {
  const shared = thread();
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      clearTimeout(timer);
      port1.close();
      shared.worker.off('exit', onExit);
      if (--shared.busy === 0) shared.worker.unref();
    };
    const onExit = (code: number): void => {
      settle();
      reject(new Error(`the build thread stopped (exit code ${code}) during tspc ${args.join(' ')}`));
    };
    const timer = setTimeout(() => {
      settle();
      if (holder[KEY] === shared) holder[KEY] = undefined;
      void shared.worker.terminate();
      resolve(KILLED);
    }, o.timeoutMs ?? 150_000);
    port1.once('message', (reply: BuildReply) => {
      settle();
      if (reply.ok) resolve(reply.result);
      else reject(new Error(`tspc ${args.join(' ')} threw on the build thread: ${reply.error}`));
    });
    shared.worker.on('exit', onExit);
    shared.busy++;
    shared.worker.ref();
    const request: BuildRequest = { args: [...args], cwd: o.cwd, env: { ...o.env }, reply: port2 };
    shared.worker.postMessage(request, [port2]);
  });
}
