/**
 * A project whose `typescript` is 7.x (the native compiler, from npm into fixtures/bundlers-ts7's own
 * node_modules by scripts/install-fixtures.js): its tsc emits specs as nothing; esbuild with the jaunt-ts
 * plugin ships them, analyzed with @typescript/typescript6; without that package, Jaunt says so loudly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../cli/main';
import { FIXTURES_DIR, FixtureProject, lastJsonLine, run, type RunResult } from './support/fixture-project';

const FIXTURE_MODULES = path.join(FIXTURES_DIR, 'bundlers-ts7', 'node_modules');
const EXPECTED = { parsed: [5_400_000, 172_800_000, 45_000, 90_500], formatted: ['1h30m', '2d', '45s', '1m30s500ms'] };

/** A copy of the fixture whose node_modules holds the given packages of the fixture's own install. */
function ts7Project(packages: string[]): FixtureProject {
  const p = FixtureProject.copy('bundlers-ts7');
  for (const name of packages) {
    const link = p.path('node_modules', name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(FIXTURE_MODULES, name), link, 'dir');
  }
  return p;
}

/** `jaunt <args>` in-process, with what it prints through the io it is given (never the process's streams). */
async function jaunt(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const stream = (append: (s: string) => void) => ({ isTTY: false, write: (s: string) => (append(s), true) });
  const code = await main(args, { NO_COLOR: '1', CI: '1' }, dir, {
    stdout: stream((s) => (stdout += s)), stderr: stream((s) => (stderr += s)), ownsProcess: false,
  });
  return { code, stdout, stderr };
}

const ok = (r: RunResult, what: string): void => {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.output}`);
};

beforeAll(() => {
  const version = JSON.parse(fs.readFileSync(path.join(FIXTURE_MODULES, 'typescript', 'package.json'), 'utf8')) as { version: string };
  if (!version.version.startsWith('7.')) throw new Error(`fixtures/bundlers-ts7 should have typescript 7 installed, has ${version.version}: run npm ci`);
});

describe('a TypeScript 7 project with @typescript/typescript6 beside it', () => {
  let p: FixtureProject;
  beforeAll(() => {
    p = ts7Project(['typescript', '@typescript/typescript6', '@typescript/old', '@typescript/typescript-linux-x64']);
  });
  afterAll(() => p.cleanup());

  it('gets an empty module from plain tsc 7: the hazard the other paths must avoid', async () => {
    const r = await run(process.execPath, [p.path('node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: p.dir });
    ok(r, 'tsc 7');
    expect(p.read('out/tsc/duration.js')).not.toContain('parseDuration');
  });

  it('gets a working esbuild bundle from the jaunt-ts plugin', async () => {
    ok(await run(process.execPath, ['esbuild.mjs'], { cwd: p.dir }), 'esbuild');
    expect(lastJsonLine(await p.node('out/esbuild/main.mjs'))).toEqual(EXPECTED);
  });

  it('is checked by jaunt, which warns that tsc 7 emits every spec as nothing', async () => {
    const r = await jaunt(p.dir, ['check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('all 2 specs have a usable cache entry');
    expect(r.stderr).toContain('warning JAUNT4010');
    expect(r.stderr).toContain('its tsc ignores compilerOptions.plugins and emits every spec as nothing');
    expect(r.stderr).toContain('jaunt-ts/esbuild');
  });

  it('gets a doctor warning, not a failure, naming the bundler plugin', async () => {
    const r = await jaunt(p.dir, ['doctor', '--json']);
    const checks = (JSON.parse(r.stdout) as { checks: { id: string; status: string; title: string; fix?: string }[] }).checks;
    const tsCheck = checks.find((c) => c.id === 'typescript')!;
    expect(tsCheck.status).toBe('warn');
    expect(tsCheck.title).toMatch(/TypeScript 7\.\d+\.\d+ .* emits every spec as nothing\. Jaunt analyzes with @typescript\/typescript6 6\./);
    expect(tsCheck.fix).toContain('bundler plugin');
  });
});

describe('a TypeScript 7 project without a JS compiler beside it', () => {
  let p: FixtureProject;
  beforeAll(() => {
    p = ts7Project(['typescript', '@typescript/typescript-linux-x64']);
  });
  afterAll(() => p.cleanup());

  it('fails its esbuild build with JAUNT4010 and what to install', async () => {
    const r = await run(process.execPath, ['esbuild.mjs'], { cwd: p.dir });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('JAUNT4010');
    expect(r.output).toContain('is the native compiler');
    expect(r.output).toContain('npm i -D @typescript/typescript6');
    expect(p.exists('out/esbuild/main.mjs')).toBe(false);
  });

  it('makes jaunt refuse the TypeScript (JAUNT4002) with both fixes', async () => {
    const r = await jaunt(p.dir, ['status']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('JAUNT4002');
    expect(r.stderr).toContain('silently ignores compilerOptions.plugins');
    expect(r.stderr).toContain('npm i -D typescript@5.9 ts-patch@3.3');
    expect(r.stderr).toContain('npm i -D @typescript/typescript6');
  });
});
