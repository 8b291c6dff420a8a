import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckJson, ErrorJson, ExplainJson, StatusJson } from '../cli/json-shapes';
import { cacheFiles, cleanEnv, copyProject, edit, jaunt, parseJson, recordInputs, removeProject, requireBuiltCli } from './support/cli-project';

beforeAll(() => requireBuiltCli());

describe('jaunt status and check on a project whose cache is fresh', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyProject('esm-nodenext');
    recordInputs(dir);
  });
  afterAll(() => removeProject(dir));

  test('status lists every spec as fresh with file:line and exits 0', async () => {
    const r = await jaunt(dir, ['status']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^src\/slug\.mts:5\s+slugify\s+fresh$/m);
    expect(r.stdout).toMatch(/^src\/text\.ts:10\s+slugWithSuffix\s+fresh$/m);
    expect(r.stdout).toContain('5 specs: 5 fresh');
    expect(r.stderr).toBe('');
  });

  test('status --json has the documented shape', async () => {
    const r = await jaunt(dir, ['status', '--json']);
    expect(r.status).toBe(0);
    const json = parseJson<StatusJson>(r.stdout);
    expect(json.project).toBe(path.join(dir, 'tsconfig.json'));
    expect(json.counts).toEqual({ fresh: 5, stale: 0, missing: 0, edited: 0, broken: 0, corrupt: 0, invalid: 0, cycle: 0, total: 5 });
    expect(json.diagnostics).toEqual([]);
    const slugify = json.specs.find((s) => s.name === 'slugify');
    expect(slugify).toEqual({
      id: 'src/slug.mts#slugify', name: 'slugify', file: 'src/slug.mts', line: 5, hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      status: 'fresh', reasons: [], entry: `.jaunt/slugify.${slugify?.hash}.ts`, previousEntry: null,
    });
  });

  test('check exits 0 and says every spec has a usable entry', async () => {
    const r = await jaunt(dir, ['check']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('✓ all 5 specs have a usable cache entry');
  });
});

describe('jaunt after a contract changes', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyProject('esm-nodenext');
    recordInputs(dir);
    edit(dir, 'src/slug.mts', ' * Lowercase `s`', ' * Lower-case `s`');
  });
  afterAll(() => removeProject(dir));

  test('status says the edited spec is stale because of its JSDoc, and its dependent because of the dependency', async () => {
    const r = await jaunt(dir, ['status']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^src\/slug\.mts:5\s+slugify\s+stale: JSDoc changed$/m);
    expect(r.stdout).toMatch(/^src\/text\.ts:10\s+slugWithSuffix\s+stale: dependency slugify changed$/m);
    expect(r.stdout).toContain('5 specs: 3 fresh, 2 stale');
  });

  test('status --json carries the reasons and the entry written for the earlier contract', async () => {
    const json = parseJson<StatusJson>((await jaunt(dir, ['status', '--json'])).stdout);
    const slugify = json.specs.find((s) => s.name === 'slugify')!;
    expect(slugify.status).toBe('stale');
    expect(slugify.reasons).toEqual(['JSDoc']);
    expect(slugify.entry).toBeNull();
    expect(slugify.previousEntry).toMatch(/^\.jaunt\/slugify\.[0-9a-f]{16}\.ts$/);
    expect(json.specs.find((s) => s.name === 'slugWithSuffix')?.reasons).toEqual(['dependency slugify']);
  });

  test('check exits 1 listing file:line, name and reason of each stale spec, then what to do', async () => {
    const r = await jaunt(dir, ['check']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/src\/slug\.mts:5\s+slugify\s+stale \(JSDoc changed\)/);
    expect(r.stdout).toMatch(/src\/text\.ts:10\s+slugWithSuffix\s+stale \(dependency slugify changed\)/);
    expect(r.stdout).not.toMatch(/toNumber/);
    expect(r.stdout).toContain('Run `jaunt build` locally and commit .jaunt/');
  });

  test('check --json reports ok false and the failing spec ids', async () => {
    const r = await jaunt(dir, ['check', '--json']);
    expect(r.status).toBe(1);
    const json = parseJson<CheckJson>(r.stdout);
    expect(json.ok).toBe(false);
    expect(json.problems.sort()).toEqual(['src/slug.mts#slugify', 'src/text.ts#slugWithSuffix']);
    expect(json.counts.stale).toBe(2);
  });

  test('check limited to a fresh spec by name passes', async () => {
    const r = await jaunt(dir, ['check', 'toNumber']);
    expect(r.status).toBe(0);
  });

  test('build without ANTHROPIC_API_KEY exits 4 and says how to set it, without a stack trace', async () => {
    const r = await jaunt(dir, ['build']);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('ANTHROPIC_API_KEY is not set');
    expect(r.stderr).toContain('slugify, slugWithSuffix');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('author stores a hand-written implementation as authored offline, and the spec turns fresh', async () => {
    const r = await jaunt(dir, ['author', 'slugify', '--from', 'impl/slugify.ts']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/wrote \.jaunt\/slugify\.[0-9a-f]{16}\.ts for slugify/);
    const entry = cacheFiles(dir).filter((f) => f.startsWith('slugify.')).map((f) => fs.readFileSync(path.join(dir, '.jaunt', f), 'utf8'));
    expect(entry.some((t) => t.includes('model: authored offline (no model)') && t.includes('inputs: doc='))).toBe(true);
    const json = parseJson<StatusJson>((await jaunt(dir, ['status', 'slugify', '--json'])).stdout);
    expect(json.specs.map((s) => [s.name, s.status])).toEqual([['slugify', 'fresh']]);
  });

  test('author refuses an implementation that does not match the spec', async () => {
    fs.writeFileSync(path.join(dir, 'wrong.ts'), 'export function slugWithSuffix(title: string, n: number): number {\n  return n;\n}\n');
    const r = await jaunt(dir, ['author', 'slugWithSuffix', '--from', 'wrong.ts']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("wrong.ts does not implement spec 'slugWithSuffix'");
  });
});

describe('jaunt command-line mistakes', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyProject('basic-cjs');
  });
  afterAll(() => removeProject(dir));

  test('an unknown spec exits 2 with JAUNT4003 and the close names', async () => {
    const r = await jaunt(dir, ['explain', 'clam']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error JAUNT4003: unknown spec 'clam'");
    expect(r.stderr).toContain('did you mean clamp?');
  });

  test('with --json an error is printed as JSON on stdout as well', async () => {
    const r = await jaunt(dir, ['status', 'nope', '--json']);
    expect(r.status).toBe(2);
    expect(parseJson<ErrorJson>(r.stdout)).toEqual({ error: { exitCode: 2, code: 'JAUNT4003', message: "unknown spec 'nope'", hint: expect.any(String) } });
  });

  test('an unknown command or option exits 2 and suggests the closest one', async () => {
    const cmd = await jaunt(dir, ['stauts']);
    expect(cmd.status).toBe(2);
    expect(cmd.stderr).toContain("unknown command 'stauts'. Did you mean 'status'?");
    const opt = await jaunt(dir, ['gc', '--delet']);
    expect(opt.status).toBe(2);
    expect(opt.stderr).toContain('unknown option --delet. Did you mean --delete?');
  });

  test('--version prints the package version and each command has its own help', async () => {
    const pkg = parseJson<{ version: string }>(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    expect((await jaunt(dir, ['--version'])).stdout.trim()).toBe(pkg.version);
    const help = await jaunt(dir, ['gc', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: jaunt gc [options]');
    expect(help.stdout).toContain('--delete');
    expect(help.stdout).toContain('-p, --project <tsconfig>');
  });

  test('a missing tsconfig exits 3 with a hint', async () => {
    const r = await jaunt(dir, ['status', '-p', 'nowhere/tsconfig.json']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('cannot find nowhere/tsconfig.json');
  });
});

describe('jaunt explain', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyProject('basic-cjs');
  });
  afterAll(() => removeProject(dir));

  test('prints the prompt with the Spec line and the JSDoc, and none of the unrelated code of the file', async () => {
    const r = await jaunt(dir, ['explain', 'sha256']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Spec: sha256$/m);
    expect(r.stdout).toContain('SHA-256 of `text` as lowercase hex.');
    expect(r.stdout).toMatch(/characters ≈ \d+ input tokens \(estimate: characters \/ 4/);
    expect(r.stdout).toContain('claude-');
    expect(r.stdout).not.toContain('digestOf');
    expect(r.stdout).not.toContain("createHash('md5')");
  });

  test('--json gives the exact prompt text, its size and the hash inputs', async () => {
    const r = await jaunt(dir, ['explain', 'src/math.ts#clamp', '--json']);
    expect(r.status).toBe(0);
    const json = parseJson<ExplainJson>(r.stdout);
    expect(json.spec).toMatchObject({ id: 'src/math.ts#clamp', name: 'clamp', file: 'src/math.ts' });
    expect(json.prompt.user).toMatch(/^Spec: clamp$/m);
    const characters = json.prompt.system.length + json.prompt.user.length;
    expect(json.size).toEqual({ characters, estimatedTokens: Math.ceil(characters / 4), estimate: 'ceil(characters / 4)' });
    expect(json.inputs.name).toBe('clamp');
    expect(json.inputs.signatures).toEqual(['function clamp(value: number, min: number, max: number): number;']);
    expect(json.inputs.doc).toContain('Throws RangeError if min > max.');
    expect(json.inputs.deps).toEqual([]);
  });
});

describe('jaunt doctor', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyProject('basic-cjs');
  });
  afterAll(() => removeProject(dir));

  test('reports the key as not set and passes on a working setup', async () => {
    const r = await jaunt(dir, ['doctor']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/✓ TypeScript 5\.\d+\.\d+/);
    expect(r.stdout).toMatch(/✓ ts-patch \d+\.\d+\.\d+/);
    expect(r.stdout).toContain('✓ plugin "jaunt-ts/transformer" resolves to');
    expect(r.stdout).toContain('ANTHROPIC_API_KEY is not set');
  });

  test('with a key set says "set" and never prints any part of it', async () => {
    const key = 'sk-ant-test-DISTINCTIVE123';
    for (const args of [['doctor'], ['doctor', '--json']]) {
      const r = await jaunt(dir, args, cleanEnv({ ANTHROPIC_API_KEY: key }));
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('ANTHROPIC_API_KEY is set');
      for (const part of [key, 'DISTINCTIVE', 'sk-ant']) expect(r.stdout + r.stderr).not.toContain(part);
    }
  });
});
