import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildJson, StatusJson } from '../cli/json-shapes';
import { noCodeBlock, startFakeAnthropic, text, type FakeAnthropic } from './support/fake-anthropic';
import { cacheFiles, cleanEnv, copyProject, edit, jaunt, parseJson, removeProject, requireBuiltCli } from './support/cli-project';

beforeAll(() => requireBuiltCli());

describe('jaunt build against a fake Anthropic API', () => {
  let server: FakeAnthropic;
  let dir: string;
  const KEY = 'sk-ant-test-build-KEY42';
  const env = () => cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });
  const impl = (name: string) => fs.readFileSync(path.join(dir, 'impl', `${name}.ts`), 'utf8');
  const answer = (name: string) => text('```ts\n' + impl(name) + '```');
  const entryOf = (name: string) => cacheFiles(dir).find((f) => f.startsWith(`${name}.`));
  const entryText = (name: string) => fs.readFileSync(path.join(dir, '.jaunt', entryOf(name)!), 'utf8');

  beforeAll(async () => {
    server = await startFakeAnthropic();
    dir = copyProject('basic-cjs');
    fs.rmSync(path.join(dir, '.jaunt', entryOf('clamp')!));
  });
  afterAll(async () => {
    await server.close();
    removeProject(dir);
  });

  test('generates the missing entry with the model in its provenance, and the spec is then fresh', async () => {
    server.script('clamp', answer('clamp'));
    const r = await jaunt(dir, ['build'], env());
    expect(r.stderr).toContain('jaunt: clamp: done');
    expect(r.status).toBe(0);
    expect(server.requests.map((q) => q.spec)).toEqual(['clamp']);
    expect(r.stdout).toMatch(/✓ generated 1 · reused 1 · failed 0/);
    expect(r.stdout).toMatch(/tokens \d+ in \/ \d+ out · ≈ \$[\d.]+ estimated \(claude-[\w-]+ at \$3\/\$15 per million tokens in\/out, price table\)/);
    expect(entryText('clamp')).toMatch(/^ \* model: claude-[\w.-]+$/m);
    expect(entryText('clamp')).not.toContain('authored offline');
    const status = parseJson<StatusJson>((await jaunt(dir, ['status', '--json'])).stdout);
    expect(status.specs.map((s) => s.status)).toEqual(['fresh', 'fresh']);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  test('a second build sends no request', async () => {
    const before = server.requests.length;
    const r = await jaunt(dir, ['build'], env());
    expect(r.status).toBe(0);
    expect(server.requests.length).toBe(before);
    expect(r.stdout).toContain('Nothing to generate: 2 specs up to date.');
  });

  test('a hand-edited entry is kept, and replaced only with --force', async () => {
    edit(dir, `.jaunt/${entryOf('clamp')}`, 'export function clamp', '// edited by hand\nexport function clamp');
    const before = server.requests.length;
    const kept = await jaunt(dir, ['build', 'clamp'], env());
    expect(kept.status).toBe(0);
    expect(kept.stdout).toContain('1 hand-edited; --force replaces them');
    expect(server.requests.length).toBe(before);

    server.script('clamp', answer('clamp'));
    const forced = await jaunt(dir, ['build', 'clamp', '--force', '--json', '--price-in', '1', '--price-out', '2'], env());
    expect(forced.status).toBe(0);
    const json = parseJson<BuildJson>(forced.stdout);
    expect(json.counts).toEqual({ generated: 1, reused: 0, reverified: 0, failed: 0, skipped: 0, invalid: 0 });
    expect(json.specs).toEqual([expect.objectContaining({ id: 'src/math.ts#clamp', status: 'generated', entry: `.jaunt/${entryOf('clamp')}`, attempts: 1, reason: null })]);
    expect(json.cost).toEqual({ usd: (json.tokens.input * 1 + json.tokens.output * 2) / 1e6, priceIn: 1, priceOut: 2, source: 'flags' });
    expect(entryText('clamp')).not.toContain('edited by hand');
  });

  test('a spec the model cannot answer fails the build with exit 1 and its place', async () => {
    fs.rmSync(path.join(dir, '.jaunt', entryOf('sha256')!));
    server.script('sha256', noCodeBlock(), noCodeBlock(), noCodeBlock());
    const r = await jaunt(dir, ['build', '--json'], env());
    expect(r.status).toBe(1);
    const json = parseJson<BuildJson>(r.stdout);
    expect(json.counts).toMatchObject({ generated: 0, reused: 1, failed: 1 });
    expect(json.specs.find((s) => s.name === 'sha256')).toMatchObject({ status: 'failed', file: 'src/math.ts', line: 17, entry: null, attempts: 3 });
    expect(json.specs.find((s) => s.name === 'sha256')?.reason).toMatch(/no valid implementation after 3 attempts/);
    expect(r.stderr).toContain('jaunt: sha256: FAILED');
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });
});
