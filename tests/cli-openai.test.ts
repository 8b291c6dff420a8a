/**
 * `--provider openai`: the build talks to an OpenAI-compatible Chat Completions server (here a fake on
 * 127.0.0.1) with OPENAI_API_KEY at OPENAI_BASE_URL, and the entry names the provider and the model that
 * answered, never the key.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildJson } from '../cli/json-shapes';
import { parseEntry } from '../cache/entry-format';
import { chatCode, chatStatus, startFakeOpenAI, type FakeOpenAI } from './support/fake-openai';
import { writePluginEntry } from './support/entry-project';
import { cacheFiles, cleanEnv, copyProject, jaunt, parseJson, removeProject, requireBuiltCli, runNode, tspc } from './support/cli-project';

beforeAll(() => requireBuiltCli());

const KEY = 'sk-proj-test-OPENAI-CLI-9b8a7c6d5e';
let server: FakeOpenAI;
let dir: string;
const env = () => cleanEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });
const impl = (name: string) => fs.readFileSync(path.join(dir, 'impl', `${name}.ts`), 'utf8');

beforeAll(async () => {
  server = await startFakeOpenAI();
  dir = copyProject('basic-cjs');
  for (const f of cacheFiles(dir).filter((n) => n.startsWith('clamp.'))) fs.rmSync(path.join(dir, '.jaunt', f));
});
afterAll(async () => {
  await server.close();
  removeProject(dir);
});

test('jaunt build --provider openai generates through the Chat Completions server, retrying its 503, and records provider and model', async () => {
  server.script('clamp', chatStatus(503, { message: 'model is loading' }), chatCode(impl('clamp'), { model: 'qwen3-coder-30b-a3b-instruct-q4' }));
  const r = await jaunt(dir, ['build', '--provider', 'openai', '--model', 'qwen3-coder', '--json'], env());
  expect(r.status).toBe(0);
  expect(r.stderr).toContain(`Generating 1 spec with qwen3-coder (openai) at ${server.url} (from OPENAI_BASE_URL in the environment)`);
  expect(r.stderr).toMatch(/jaunt: clamp: 503 server_error: model is loading; retrying in/);
  const json = parseJson<BuildJson>(r.stdout);
  expect(json.provider).toBe('openai');
  expect(json.specs.find((s) => s.name === 'clamp')).toMatchObject({ status: 'generated', answeredBy: 'qwen3-coder-30b-a3b-instruct-q4' });
  expect(server.requests.map((q) => [q.spec, q.apiKey, q.body?.model])).toEqual([['clamp', KEY, 'qwen3-coder'], ['clamp', KEY, 'qwen3-coder']]);

  const file = cacheFiles(dir).find((f) => f.startsWith('clamp.'))!;
  const text = fs.readFileSync(path.join(dir, '.jaunt', file), 'utf8');
  const parsed = parseEntry(text);
  expect(parsed.ok && parsed.meta).toMatchObject({ provider: 'openai', model: 'qwen3-coder-30b-a3b-instruct-q4' });
  expect(text + r.stdout + r.stderr).not.toContain(KEY);

  // The entry ships and runs like any other.
  const built = await tspc(['-p', '.'], { cwd: dir, env: cleanEnv() });
  expect(built.status).toBe(0);
  const run = await runNode([path.join(dir, 'out', 'main.js')], { cwd: dir });
  expect(JSON.parse(run.stdout)).toMatchObject({ early: 10, c: 0 });
});

test('the OpenAI provider needs OPENAI_API_KEY, not the Anthropic one, and a model', async () => {
  fs.rmSync(path.join(dir, '.jaunt', cacheFiles(dir).find((f) => f.startsWith('clamp.'))!));
  const noKey = await jaunt(dir, ['build', '--provider', 'openai', '--model', 'qwen3-coder'], cleanEnv({ ANTHROPIC_API_KEY: 'sk-ant-unused', OPENAI_BASE_URL: server.url }));
  expect(noKey.status).toBe(4);
  expect(noKey.stderr).toContain('OPENAI_API_KEY is not set; jaunt build needs it to generate 1 spec (clamp)');
  const noModel = await jaunt(dir, ['build', '--provider', 'openai'], env());
  expect(noModel.status).toBe(3);
  expect(noModel.stderr).toMatch(/JAUNT4008.*provider "openai" has no default model/);
  const typo = await jaunt(dir, ['build', '--provider', 'opneai'], env());
  expect(typo.status).toBe(2);
  expect(typo.stderr).toContain("Did you mean 'openai'?");
  expect(server.requests).toHaveLength(2);
});

test('jaunt doctor checks the key of the provider the plugin entry names', async () => {
  const restore = writePluginEntry(dir, { provider: 'openai', model: 'qwen3-coder' });
  try {
    expect(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')).toContain('"provider": "openai"');
    const without = await jaunt(dir, ['doctor'], cleanEnv({ ANTHROPIC_API_KEY: 'sk-ant-unused' }));
    expect(without.stdout).toContain('OPENAI_API_KEY is not set (the plugin entry\'s provider is "openai"): builds can use the cache but not generate');
    const withKey = await jaunt(dir, ['doctor'], env());
    expect(withKey.stdout).toContain('OPENAI_API_KEY is set (the plugin entry\'s provider is "openai")');
    expect(withKey.stdout).not.toContain(KEY);
  } finally {
    restore();
  }
});
