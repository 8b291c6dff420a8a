import { spawn } from 'node:child_process';

export interface RunResult {
  /** Exit code; null when the process was killed (signal says by what). */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they came (tsc prints diagnostics on stdout). */
  output: string;
}

/**
 * Runs a command without blocking the event loop: a fake server living in this test process must keep
 * answering while the child (tspc, the CLI) talks to it. Killed after `timeoutMs`.
 */
export function runAsync(cmd: string, args: readonly string[], o: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; output += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 150_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, output });
    });
  });
}

/** A developer's shell without CI, keys or color settings: tests add what they need. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['CI', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'JAUNT_PRICE', 'NO_COLOR', 'FORCE_COLOR']) delete env[name];
  return { ...env, ...extra };
}
