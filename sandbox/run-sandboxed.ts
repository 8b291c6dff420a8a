/**
 * Runs a script in a sandboxed child process, synchronously (inside tsc) or asynchronously (in the
 * generation engine, so replies keep streaming meanwhile). Nothing generated ever runs in Jaunt's own
 * process: a loop, an exit or a crash ends the child, never the build.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../core/version';
import { sandboxArgs, sandboxEnv, type SandboxLimits } from './sandbox-command';

export interface SandboxRequest extends SandboxLimits {
  script: string;
  cwd: string;
  /** Wall-clock limit for the run once the child is up: from `readyLine`, else after `startupMs`. */
  timeoutMs: number;
  /** What node may take to start under load, on top of `timeoutMs`. */
  startupMs: number;
  env: Record<string, string>;
  /** Output beyond this ends the child (a print loop must not fill the parent's memory). */
  maxOutputBytes: number;
  /** A line the script prints once it runs: the async timeout counts from there. */
  readyLine?: string;
}

export interface SandboxOutcome {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  tooMuchOutput: boolean;
  ms: number;
}

const SUPERVISOR = path.join(PACKAGE_ROOT, 'dist', 'sandbox', 'supervise-run.js');

/**
 * The same run from a synchronous caller (tsc's thread): a supervisor process runs it with the asynchronous
 * runner (supervise-run.ts), so `timeoutMs` counts from the ready line here too. The supervisor enforces
 * every limit; spawnSync's own timeout is only a backstop for a supervisor that cannot start.
 */
export function runSandboxedSync(req: SandboxRequest): SandboxOutcome {
  const started = Date.now();
  const r = spawnSync(process.execPath, [SUPERVISOR], {
    // The supervisor needs no more of the environment than the child it starts (the key stays here).
    input: JSON.stringify(req), env: sandboxEnv({}), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 2 * req.startupMs + req.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 8 * req.maxOutputBytes + (1 << 20),
  });
  try {
    return JSON.parse(r.stdout) as SandboxOutcome;
  } catch {
    const why = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' ? 'did not answer in time' : `ended with ${r.signal ?? `exit code ${r.status}`}`;
    return { code: null, signal: r.signal, stdout: '', stderr: `the sandbox's supervisor ${why}: ${r.stderr ?? ''}`.trim(), timedOut: false, tooMuchOutput: false, ms: Date.now() - started };
  }
}

export function runSandboxed(req: SandboxRequest): Promise<SandboxOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, sandboxArgs(req.script, req), { cwd: req.cwd, env: sandboxEnv(req.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let bytes = 0;
    let timedOut = false;
    let tooMuchOutput = false;
    let runTimer: NodeJS.Timeout | undefined;
    const kill = () => void child.kill('SIGKILL');
    const startTimer = setTimeout(() => ((timedOut = true), kill()), req.startupMs + req.timeoutMs);
    const take = (chunk: Buffer, into: 'out' | 'err') => {
      bytes += chunk.length;
      if (bytes > req.maxOutputBytes) {
        tooMuchOutput = true;
        kill();
        return;
      }
      if (into === 'err') stderr += chunk.toString('utf8');
      else stdout += chunk.toString('utf8');
      if (into === 'out' && !runTimer && req.readyLine && stdout.includes(req.readyLine)) {
        clearTimeout(startTimer);
        runTimer = setTimeout(() => ((timedOut = true), kill()), req.timeoutMs);
      }
    };
    child.stdout.on('data', (c: Buffer) => take(c, 'out'));
    child.stderr.on('data', (c: Buffer) => take(c, 'err'));
    child.on('close', (code, signal) => {
      clearTimeout(startTimer);
      if (runTimer) clearTimeout(runTimer);
      resolve({ code, signal, stdout, stderr, timedOut, tooMuchOutput, ms: Date.now() - started });
    });
    child.on('error', (e) => {
      clearTimeout(startTimer);
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}${e.message}`, timedOut, tooMuchOutput, ms: Date.now() - started });
    });
  });
}
