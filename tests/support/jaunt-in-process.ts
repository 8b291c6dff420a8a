/**
 * `jaunt <args>` inside the test process: the built CLI's main() with captured stdout and stderr, run with
 * the given cwd and environment as the process's own (the CLI reads a few settings from process.env and
 * prints paths relative to process.cwd(), as a child would). Runs are serialized, since cwd and env are
 * process-wide. A spawned `jaunt` spends most of its time starting Node and loading the compiler; here both
 * are loaded once per test file. Tests of the process itself (signals, exit codes of a killed run,
 * concurrent CLI processes, the binary's startup) spawn the binary instead (cli-project.ts runNode).
 */
import * as path from 'node:path';
import type { RunResult } from './spawn-async';
import { REPO } from './temp-project';

interface CaptureStream {
  write(s: string): boolean;
  isTTY: false;
}

type Main = (argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string,
  io: { stdout: CaptureStream; stderr: CaptureStream; ownsProcess: boolean }) => Promise<number>;

let queue: Promise<unknown> = Promise.resolve();

function loadMain(): Main {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(path.join(REPO, 'dist', 'cli', 'main.js')) as { main: Main }).main;
}

async function runOnce(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  let output = '';
  const stream = (to: 'out' | 'err'): CaptureStream => ({
    isTTY: false,
    write: (s: string) => {
      if (to === 'out') stdout += s;
      else stderr += s;
      output += s;
      return true;
    },
  });
  const savedEnv = process.env;
  const savedCwd = process.cwd();
  process.env = { ...env };
  process.chdir(cwd);
  let status: number;
  try {
    status = await loadMain()(args, { ...env }, cwd, { stdout: stream('out'), stderr: stream('err'), ownsProcess: false });
  } catch (e) {
    // What the binary prints when main() itself rejects.
    stream('err').write(`jaunt: internal error: ${e instanceof Error ? e.message : String(e)}; please report it\n`);
    status = 5;
  } finally {
    process.chdir(savedCwd);
    process.env = savedEnv;
  }
  return { status, signal: null, stdout, stderr, output };
}

/** `jaunt <args>` in `cwd` with `env`, in this process; resolves when the command is done. */
export function jauntInProcess(args: readonly string[], o: { cwd: string; env: NodeJS.ProcessEnv }): Promise<RunResult> {
  const result = queue.then(() => runOnce(args, o.cwd, o.env));
  queue = result.catch(() => undefined);
  return result;
}
