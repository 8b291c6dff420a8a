/**
 * A retry is a conversation: the unchanged prompt (marked for Anthropic's prompt cache), the rejected answer
 * as the model's turn, and what was wrong with it. The entry records the model the reply names.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { parseEntry } from '../cache/entry-format';
import { resolveOptions } from '../config/options';
import { analyzeProgram } from '../core/analyze-program';
import { loadProject } from '../core/load-program';
import { generateImplementations } from '../generate/engine';
import { code, startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic';
import { cacheEntries, copyFixture, removeProject } from './support/temp-project';

const KEY = 'sk-ant-test-REPAIR-7f3e9a';
let dir: string;
let server: FakeAnthropic;

beforeAll(async () => {
  dir = copyFixture('gen-chain');
  server = await startFakeAnthropic();
});
afterAll(async () => {
  await server.close();
  removeProject(dir);
});

const impl = (name: string): string => fs.readFileSync(path.join(dir, 'impl', `${name}.ts`), 'utf8');

test('a rejected answer goes back as the model\'s turn with the compiler\'s errors, after the same cached prompt', async () => {
  // A realistic slip: the padding count is computed as a string, so the declared return type does not hold.
  const wrong = impl('padCenter').replace('return text;', 'return text.length;');
  server.script('padCenter', code(wrong), code(impl('padCenter'), { model: 'claude-sonnet-5-5-20261015' }));
  const { program } = loadProject(ts, path.join(dir, 'tsconfig.json'));
  const analysis = analyzeProgram(ts, program, dir);
  const options = { ...resolveOptions({}, dir, { ANTHROPIC_BASE_URL: server.url }), baseURL: server.url };
  const report = await generateImplementations({
    ts, program, analysis, options, apiKey: KEY, specs: analysis.specs.filter((s) => s.ir.name === 'padCenter'),
  });
  expect(report.outcomes[0]).toMatchObject({ status: 'generated', attempts: 2, model: 'claude-sonnet-5-5-20261015' });

  const [first, second] = server.requests.map((r) => r.body!);
  expect(server.requests).toHaveLength(2);
  expect(second!.system).toBe(first!.system);
  expect(second!.messages!.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  // The stable part is byte for byte the first request's, and marked for the prompt cache.
  expect(second!.messages![0]).toEqual(first!.messages![0]);
  expect(first!.messages![0]!.content).toEqual([{ type: 'text', text: expect.stringContaining('Spec: padCenter'), cache_control: { type: 'ephemeral' } }]);
  expect(second!.messages![1]!.content).toBe('```ts\n' + wrong.trimEnd() + '\n```');
  const feedback = String(second!.messages![2]!.content);
  expect(feedback).toMatch(/^That answer was rejected\. Problems found:\n- line 3: TS2322: Type 'number' is not assignable to type 'string'/);
  expect(feedback).toMatch(/Answer again with the corrected, complete implementation in one ```ts block\.$/);

  const [entry] = cacheEntries(dir);
  const parsed = parseEntry(fs.readFileSync(path.join(dir, '.jaunt', entry!), 'utf8'));
  expect(parsed.ok && parsed.meta).toMatchObject({ model: 'claude-sonnet-5-5-20261015', provider: 'anthropic', attempts: 2 });
  expect(fs.readFileSync(path.join(dir, '.jaunt', entry!), 'utf8')).not.toContain(KEY);
});
