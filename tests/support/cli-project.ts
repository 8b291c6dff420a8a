import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { authorOffline } from '../../core/author-offline';
import { jauntInProcess } from './jaunt-in-process';
import { cleanEnv, runAsync, type RunResult } from './spawn-async';
import { REPO, TSPC } from './temp-project';

export { REPO, TSPC, cleanEnv };
export { tspc } from './fixture-project';
export const JAUNT = path.join(REPO, 'dist', 'cli', 'main.js');
export type CliResult = RunResult;

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

/** Runs a node script without blocking the event loop (a fake server in this process must answer it). */
export function runNode(args: string[], o: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  return runAsync(process.execPath, args, { cwd: o.cwd, env: o.env ?? cleanEnv(), timeoutMs: o.timeoutMs ?? 100_000 });
}

/**
 * `jaunt <args>` in `dir`: the CLI's main() in this process (see jaunt-in-process.ts); JAUNT_TEST_SPAWN=1
 * runs the binary instead, to compare the two. Use `runNode([JAUNT, ...])` where the process is under test.
 */
export function jaunt(dir: string, args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
  if (process.env.JAUNT_TEST_SPAWN === '1') return runNode([JAUNT, ...args], { cwd: dir, env });
  return jauntInProcess(args, { cwd: dir, env: env ?? cleanEnv() });
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
