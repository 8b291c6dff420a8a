import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { authorOffline } from '../../core/author-offline';

export const REPO = path.resolve(__dirname, '..', '..');
export const JAUNT = path.join(REPO, 'dist', 'cli', 'main.js');
export const TSPC = path.join(REPO, 'node_modules', 'ts-patch', 'bin', 'tspc.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Asserts the compiled CLI exists: the tests run the binary as a user does, so `npm run build` comes first. */
export function requireBuiltCli(): void {
  if (!fs.existsSync(JAUNT)) throw new Error(`${JAUNT} is missing: run \`npm run build\` before these tests`);
}

/**
 * Copies a fixture into a fresh folder under the OS temp dir, with node_modules linked to the repo's,
 * so `typescript`, `ts-patch` and `jaunt-ts/transformer` resolve from it as from a user's project.
 */
export function copyProject(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jaunt-cli-${fixture}-`));
  fs.cpSync(path.join(REPO, 'fixtures', fixture), dir, { recursive: true, filter: (src) => !/[\\/](out|node_modules)$/.test(src) });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A developer shell without CI, keys or color settings; tests add what they need. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['CI', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'JAUNT_PRICE', 'NO_COLOR', 'FORCE_COLOR']) delete env[name];
  return { ...env, ...extra };
}

/** Runs a node script without blocking the event loop (a fake server in this process must answer it). */
export function runNode(args: string[], o: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: o.cwd, env: o.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 100_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** `jaunt <args>` in `dir`. */
export function jaunt(dir: string, args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
  return runNode([JAUNT, ...args], { cwd: dir, env });
}

/** Rewrites part of a project file. Throws when `from` is absent, so a fixture change cannot pass silently. */
export function edit(dir: string, file: string, from: string, to: string): void {
  const full = path.join(dir, file);
  const text = fs.readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  fs.writeFileSync(full, text.replace(from, to));
}

export function cacheFiles(dir: string): string[] {
  const cache = path.join(dir, '.jaunt');
  return fs.existsSync(cache) ? fs.readdirSync(cache).filter((f) => f.endsWith('.ts')).sort() : [];
}

export function parseJson<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`not JSON:\n${text}`);
  }
}

/**
 * Rewrites every entry of the project from its impl/ folder, so each records the inputs of its hash
 * (older fixture entries predate that header, and `status` needs it to say what changed).
 */
export function recordInputs(dir: string): void {
  const { missing } = authorOffline(ts, path.join(dir, 'tsconfig.json'), path.join(dir, 'impl'));
  if (missing.length > 0) throw new Error(`no implementation in impl/ for ${missing.join(', ')}`);
}
