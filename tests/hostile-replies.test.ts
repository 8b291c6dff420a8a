/**
 * Replies a model or a gateway can send that are cut off, oversized or odd: each ends in a cached entry or
 * in a coded failure, never in a huge entry, a partial answer, or a misleading syntax error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { resolveOptions, type ResolvedOptions } from '../config/options';
import { analyzeProgram, type ProgramAnalysis } from '../core/analyze-program';
import { Codes, JauntError } from '../core/errors';
import { loadProject } from '../core/load-program';
import { generateImplementations } from '../generate/engine';
import type { GenerationEvent, GenerationReport } from '../generate/generation-events';
import { createAnthropicProvider, type AnthropicProviderOptions, type RetryInfo } from '../generate/provider';
import {
  code, cutOff, cutStream, hang, slowBody, startFakeAnthropic, status, streamError, text, type FakeAnthropic,
} from './support/fake-anthropic';
import { cachedEntries, createManySpecs, type ManySpecsProject } from './support/many-specs';
import { removeProject } from './support/temp-project';

const KEY = 'sk-ant-test-HOSTILE-REPLIES-4c1d';
const MiB = 1024 * 1024;

let p: ManySpecsProject;
let program: ts.Program;
let analysis: ProgramAnalysis;
let server: FakeAnthropic;
let events: GenerationEvent[];

beforeAll(() => {
  p = createManySpecs({ count: 2, files: 1, depth: 0, label: 'hostile-replies' });
  program = loadProject(ts, path.join(p.dir, 'tsconfig.json')).program;
  analysis = analyzeProgram(ts, program, p.dir);
});
afterAll(() => removeProject(p.dir));

beforeEach(async () => {
  server = await startFakeAnthropic();
  events = [];
  fs.rmSync(path.join(p.dir, '.jaunt'), { recursive: true, force: true });
});
afterEach(() => server.close());

/** Generates spec0 in this process against the fake, with the real SDK and the default limits. */
function generate(over: Partial<ResolvedOptions> = {}): Promise<GenerationReport> {
  const options = { ...resolveOptions({}, p.dir), baseURL: server.url, ...over };
  return generateImplementations({
    ts, program, analysis, options, apiKey: KEY, onEvent: (e) => events.push(e),
    specs: analysis.specs.filter((s) => s.ir.name === 'spec0'),
  });
}

const good = () => code(p.implementation('spec0'));
const asked = () => server.requests.filter((r) => r.spec === 'spec0');
const entryBody = () => cachedEntries(p.dir).find((e) => e.name === 'spec0')?.lookup;
const rejections = () => events.flatMap((e) => (e.type === 'rejected' ? e.errors : []));

describe('answers cut off at max_tokens', () => {
  test('a cut-off answer is asked again once with twice the room, not counted as an attempt, and later attempts keep the room', async () => {
    const typeError = code(p.implementation('spec0').replace(/return (.*);/, "return 'n' + ($1);"));
    server.script('spec0', cutOff('```ts\nexport function spec0(x: number): number {\n  return x'), typeError, good());
    const report = await generate();
    expect(report.outcomes[0]).toMatchObject({ status: 'generated', attempts: 2 });
    expect(asked().map((r) => r.body?.max_tokens)).toEqual([4096, 8192, 8192]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry', reason: expect.stringContaining('cut off at max_tokens 4096; asking again with max_tokens 8192') }));
    // The cut-off text was never judged: no syntax error reported for it.
    expect(rejections().join('\n')).not.toMatch(/TS1005|expected/);
    expect(entryBody()?.status).toBe('hit');
  });

  test('an answer cut off again with the extra room fails with JAUNT3009, naming maxTokens and both values', async () => {
    server.script('spec0', cutOff('```ts\nexport function'), cutOff('```ts\nexport function spec0('));
    const [outcome] = (await generate()).outcomes;
    expect(outcome).toMatchObject({ status: 'failed', code: Codes.ReplyTruncated });
    expect(outcome!.detail).toMatch(/cut off at max_tokens again \(the maxTokens option is 4096; the retry allowed 8192\): raise "maxTokens"/);
    expect(asked()).toHaveLength(2);
    expect(entryBody()).toBeUndefined();
  });

  test('with maxTokens already at the ceiling a cut-off answer fails at once with JAUNT3009 and one request', async () => {
    server.script('spec0', cutOff('```ts\nexport'));
    const [outcome] = (await generate({ maxTokens: 32_768 })).outcomes;
    expect(outcome).toMatchObject({ status: 'failed', code: Codes.ReplyTruncated });
    expect(outcome!.detail).toContain('max_tokens 32768 (the maxTokens option)');
    expect(asked()).toHaveLength(1);
  });
});

describe('oversized replies', () => {
  test('a 10 MB reply is a failed attempt (JAUNT3010 text), is never cached or fed back, and the next answer is cached', async () => {
    server.script('spec0', code(`export function spec0(x: number): number {\n  return x + 0;\n}\n// ${'x'.repeat(10 * MiB)}`), good());
    const report = await generate();
    expect(report.outcomes[0]).toMatchObject({ status: 'generated', attempts: 2 });
    expect(rejections()[0]).toMatch(/^reply rejected: the reply's text is over the 1 MiB limit/);
    expect(asked()[1]!.turnsText.length).toBeLessThan(64 * 1024);
    expect(fs.statSync(entryBody()!.path).size).toBeLessThan(4096);
  });

  test('every attempt oversized fails the spec with JAUNT3010 and no entry', async () => {
    const huge = text('x'.repeat(3 * MiB));
    server.script('spec0', huge, huge, huge);
    const [outcome] = (await generate()).outcomes;
    expect(outcome).toMatchObject({ status: 'failed', code: Codes.ReplyTooLarge, attempts: 3 });
    expect(outcome!.detail).toMatch(/no valid implementation after 3 attempts; last errors: reply rejected: .*over the 1 MiB limit/);
    expect(fs.existsSync(path.join(p.dir, '.jaunt')) ? fs.readdirSync(path.join(p.dir, '.jaunt')) : []).toEqual([]);
  });

  test('an implementation over the 256 KiB code limit is rejected though the reply is within its own limit', async () => {
    const padded = p.implementation('spec0').replace('{\n', `{\n${'\n'.repeat(300 * 1024)}`);
    server.script('spec0', code(padded), good());
    const report = await generate();
    expect(report.outcomes[0]).toMatchObject({ status: 'generated', attempts: 2 });
    expect(rejections()[0]).toMatch(/^the implementation is 300\.\d KiB, over the 256 KiB limit for one spec/);
    // What went back to the model was a short note, not 300 KiB of blank lines.
    expect(asked()[1]!.turnsText.length).toBeLessThan(64 * 1024);
  });

  test('most of a megabyte of whitespace around one code block is trimmed away and the entry stays small', async () => {
    const pad = ' \n\t'.repeat(150 * 1024);
    server.script('spec0', text(`${pad}\n\`\`\`ts\n${p.implementation('spec0')}\`\`\`${pad}`));
    const report = await generate();
    expect(report.outcomes[0]).toMatchObject({ status: 'generated', attempts: 1 });
    expect(fs.statSync(entryBody()!.path).size).toBeLessThan(4096);
  });
});

describe('odd but complete answers', () => {
  test('two code blocks that both define the function are rejected as ambiguous, and the retry asks for one block', async () => {
    server.script('spec0', text(['```ts', p.implementation('spec0'), '```', 'Or:', '```ts', p.implementation('spec0').replace('x + 0', '0 + x'), '```'].join('\n')), good());
    const report = await generate();
    expect(report.outcomes[0]).toMatchObject({ status: 'generated', attempts: 2 });
    expect(rejections()[0]).toMatch(/2 ```ts code blocks, 2 of them that define `spec0`; answer with exactly one block/);
    expect(asked()[1]!.turnsText).toContain('answer with exactly one block');
  });

  test('a refusal is a rejected attempt with its own message, and the next answer is cached', async () => {
    server.script('spec0', text('I cannot help with that.', { stopReason: 'refusal' }), good());
    const report = await generate();
    expect(report.outcomes[0]).toMatchObject({ status: 'generated', attempts: 2 });
    expect(rejections()[0]).toMatch(/the model declined to answer \(stop_reason "refusal"\)/);
  });

  test('a gateway that answers in plain JSON instead of a stream is read all the same', async () => {
    server.script('spec0', text('```ts\n' + p.implementation('spec0') + '```', { json: true }));
    const report = await generate();
    expect(asked()[0]!.stream).toBe(true);
    expect(report.outcomes[0]).toMatchObject({ status: 'generated', attempts: 1 });
  });

  test('an overload error inside a 200 stream is retried by the provider and does not use up an attempt', async () => {
    server.script('spec0', streamError('overloaded_error', 'Overloaded'), good());
    const report = await generate();
    expect(report.outcomes[0]).toMatchObject({ status: 'generated', attempts: 1 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry', reason: 'overloaded_error: Overloaded (during the reply)' }));
  });

  test('a stream that ends before message_stop is never used as a whole answer: it is retried as malformed', async () => {
    const wrong = p.implementation('spec0').replace('x + 0', 'x + 999');
    server.script('spec0', cutStream('```ts\n' + wrong + '```'), good());
    const report = await generate();
    expect(report.outcomes[0]).toMatchObject({ status: 'generated', attempts: 1 });
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry', reason: 'malformed response: the event stream ended before message_stop' }));
    const entry = entryBody();
    expect(entry?.status === 'hit' ? entry.body : '').toContain('x + 0');
  });
});

describe('the provider against endpoints that stall or flood', () => {
  let retries: RetryInfo[];
  const provider = (over: Partial<AnthropicProviderOptions> = {}) => createAnthropicProvider({
    apiKey: KEY, baseURL: server.url, model: 'claude-test', maxTokens: 512, temperature: 0, timeoutMs: 20_000, retries: 2,
    onRetry: (r) => retries.push(r), sleep: async () => undefined, ...over,
  });
  const request = { spec: 'spec0', system: 's', user: 'Spec: spec0\n' };
  beforeEach(() => (retries = []));

  test('an endpoint that never sends headers is given up on after the headers deadline, not the whole timeout', async () => {
    server.script('spec0', hang(), text('ok'));
    const c = await provider({ headersTimeoutMs: 300 }).complete(request);
    expect(c.text).toBe('ok');
    expect(retries[0]?.reason).toBe('no response within 300 ms');
  });

  test('a stream that stalls after its headers hits the idle deadline and is retried', async () => {
    server.script('spec0', slowBody(5000, text('late')), text('ok'));
    const c = await provider({ idleTimeoutMs: 300 }).complete(request);
    expect(c.text).toBe('ok');
    expect(retries[0]?.reason).toBe('the response stalled: no data for 300 ms');
  });

  test('a 10 MB error page is read only up to the body limit, and what is reported of it stays short', async () => {
    server.script('spec0', status(502, { rawBody: '<html>' + 'x'.repeat(10 * MiB) }), text('ok'));
    const c = await provider().complete(request);
    expect(c.text).toBe('ok');
    expect(retries[0]!.reason.length).toBeLessThan(300);
    expect(retries[0]!.reason).toContain('502');
  });

  test('a reply body over the byte limit fails the attempt with JAUNT3010 instead of being retried', async () => {
    server.script('spec0', text('y'.repeat(64 * 1024)), text('never'));
    const err = await provider({ maxReplyBytes: 16 * 1024 }).complete(request).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(JauntError);
    expect(err).toMatchObject({ code: Codes.ReplyTooLarge, message: 'reply rejected: the response body is over the 16 KiB limit' });
    expect(server.requests).toHaveLength(1);
  });
});
