import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DoctorJson } from '../cli/json-shapes';
import { cleanEnv, copyProject, edit, jaunt, parseJson, removeProject, requireBuiltCli, runNode } from './support/cli-project';
import { tspc as tspcBuild } from './support/fixture-project';

beforeAll(() => requireBuiltCli());

describe('a CI pipeline: CI=true and no ANTHROPIC_API_KEY', () => {
  let dir: string;
  const ci = () => cleanEnv({ CI: 'true' });
  const tspc = () => tspcBuild(['-p', '.'], { cwd: dir, env: ci() });
  const original = ' * Clamp `value` into the inclusive range [min, max].';

  beforeAll(() => {
    dir = copyProject('basic-cjs');
  });
  afterAll(() => removeProject(dir));

  test('with a stale spec, jaunt check fails with a clear message and tspc fails with JAUNT2001 naming CI', async () => {
    edit(dir, 'src/math.ts', original, ' * Clamp `value` into the closed range [min, max].');
    const check = await jaunt(dir, ['check'], ci());
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/src\/math\.ts:11\s+clamp\s+stale \((contract|JSDoc) changed\)/);
    expect(check.stdout).toContain('Run `jaunt build` locally and commit .jaunt/');
    const build = await tspc();
    expect(build.status).not.toBe(0);
    expect(build.stdout + build.stderr).toMatch(/JAUNT2001: spec 'clamp'[^\n]*CI is set/);
  });

  test('with the cache fresh again, jaunt check and tspc both pass', async () => {
    edit(dir, 'src/math.ts', ' * Clamp `value` into the closed range [min, max].', original);
    const check = await jaunt(dir, ['check'], ci());
    expect(check.status).toBe(0);
    const build = await tspc();
    expect(build.stdout + build.stderr).toBe('');
    expect(build.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out', 'math.js'))).toBe(true);
  });

  test('jaunt check never reads ANTHROPIC_API_KEY', async () => {
    // A preload that replaces process.env with a proxy reporting any read of the key.
    const probe = path.join(dir, 'probe-key-reads.cjs');
    fs.writeFileSync(probe, [
      "const real = process.env;",
      "process.env = new Proxy(real, { get(t, k) { if (k === 'ANTHROPIC_API_KEY') process.stderr.write('KEY READ\\n'); return t[k]; } });",
    ].join('\n'));
    const r = await runNode(['-r', probe, path.join(__dirname, '..', 'dist', 'cli', 'main.js'), 'check'], { cwd: dir, env: cleanEnv({ CI: 'true', ANTHROPIC_API_KEY: 'sk-ant-never-read' }) });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('KEY READ');
  });
});

describe('a project on TypeScript 7', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyProject('basic-cjs');
    // Its own node_modules: the repo's packages, but a typescript that is the native compiler.
    fs.unlinkSync(path.join(dir, 'node_modules'));
    const modules = path.join(dir, 'node_modules');
    fs.mkdirSync(path.join(modules, 'typescript'), { recursive: true });
    fs.writeFileSync(path.join(modules, 'typescript', 'package.json'), JSON.stringify({ name: 'typescript', version: '7.0.0', main: 'index.js' }));
    fs.writeFileSync(path.join(modules, 'typescript', 'index.js'), "throw new Error('the JS API must not be loaded');\n");
    for (const pkg of ['ts-patch', 'jaunt-ts', '@types']) fs.symlinkSync(path.join(__dirname, '..', 'node_modules', pkg), path.join(modules, pkg), 'dir');
  });
  afterAll(() => removeProject(dir));

  test('status exits 3 explaining that TS 7 ignores plugins and what to pin', async () => {
    const r = await jaunt(dir, ['status']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('JAUNT4002');
    expect(r.stderr).toContain('TypeScript 7.0.0 is the native compiler');
    expect(r.stderr).toContain('silently ignores compilerOptions.plugins');
    expect(r.stderr).toContain('typescript@5.9 ts-patch@3.3');
  });

  test('doctor fails the TypeScript check with the fix', async () => {
    const r = await jaunt(dir, ['doctor', '--json']);
    expect(r.status).toBe(1);
    const json = parseJson<DoctorJson>(r.stdout);
    expect(json.ok).toBe(false);
    expect(json.checks.find((c) => c.id === 'typescript')).toMatchObject({ status: 'fail', fix: expect.stringContaining('typescript@5.9') });
  });
});
