import { CircuitBreaker } from '../generate/circuit-breaker';
import { Codes, JauntError } from '../core/errors';
import type { CompletionRequest, Provider, ProviderOptions, RetryInfo } from '../generate/provider';
import { createOpenAIProvider } from '../generate/providers/openai';
import {
  chatCode, chatCutStream, chatHang, chatMalformed, chatReset, chatStatus, chatStreamError, chatText, startFakeOpenAI, type FakeOpenAI,
} from './support/fake-openai';

const KEY = 'sk-proj-test-fedcba9876543210';

let server: FakeOpenAI;
let sleeps: number[];
let retries: RetryInfo[];

beforeEach(async () => {
  server = await startFakeOpenAI();
  sleeps = [];
  retries = [];
});

afterEach(async () => {
  await server.close();
});

function provider(over: Partial<ProviderOptions> = {}): Provider {
  return createOpenAIProvider({
    apiKey: KEY, baseURL: server.url, model: 'qwen3-coder', maxTokens: 512, temperature: 0, timeoutMs: 2000, retries: 3,
    onRetry: (info) => retries.push(info),
    // Records waits instead of taking them, so retry tests run in milliseconds.
    sleep: async (ms) => void sleeps.push(ms),
    ...over,
  });
}

const request = (spec = 'slugify', over: Partial<CompletionRequest> = {}): CompletionRequest =>
  ({ spec, system: 'You implement one TypeScript function.', user: `Spec: ${spec}\nImplement it.`, ...over });

async function failure(p: Promise<unknown>): Promise<JauntError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof JauntError) return err;
    throw err;
  }
  throw new Error('expected the completion to fail');
}

const SLUGIFY = [
  "const SEPARATORS = /[^a-z0-9]+/g;",
  '',
  'export function slugify(title: string): string {',
  "  return title.toLowerCase().replace(SEPARATORS, '-').replace(/^-+|-+$/g, '');",
  '}',
].join('\n');

describe('the OpenAI-compatible provider', () => {
  test('a streamed reply gives its text, token counts and the model the server says answered', async () => {
    server.script('slugify', chatCode(SLUGIFY, { model: 'qwen3-coder-30b-a3b-2026-02', completionTokens: 77 }));
    const c = await provider().complete(request());
    expect(c.text).toContain('export function slugify(title: string): string {');
    expect(c.model).toBe('qwen3-coder-30b-a3b-2026-02');
    expect(c.outputTokens).toBe(77);
    expect(c.inputTokens).toBeGreaterThan(0);
    expect(c.stopReason).toBe('end_turn');
    expect(server.requests[0]?.stream).toBe(true);
  });

  test('a server that answers with one JSON completion instead of a stream still works', async () => {
    server.script('slugify', chatCode(SLUGIFY, { json: true, model: 'local-model' }));
    const c = await provider().complete(request());
    expect(c.text).toContain('SEPARATORS');
    expect(c.model).toBe('local-model');
  });

  test('the request carries the model, the room, the system prompt, the key and the repair turns in order', async () => {
    server.script('slugify', chatCode(SLUGIFY));
    const turns = [{ role: 'assistant' as const, content: '```ts\nexport function slugify(t: string) { return t; }\n```' },
      { role: 'user' as const, content: 'That answer was rejected. Problems found:\n- it does not lowercase' }];
    await provider().complete(request('slugify', { messages: turns, maxTokens: 900 }));
    const rec = server.requests[0]!;
    expect(rec.path).toBe('/v1/chat/completions');
    expect(rec.apiKey).toBe(KEY);
    expect(rec.body?.model).toBe('qwen3-coder');
    // Not api.openai.com: the field every compatible server knows.
    expect(rec.body?.max_tokens).toBe(900);
    expect(rec.body?.messages?.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(rec.body?.messages?.[0]?.content).toBe('You implement one TypeScript function.');
    expect(rec.body?.messages?.[3]?.content).toContain('it does not lowercase');
  });

  test('an answer cut off at the token limit reports max_tokens, as the engine reads it', async () => {
    server.script('slugify', chatText('```ts\nexport function slugify(title: string): string {\n  return', { finishReason: 'length' }));
    expect((await provider().complete(request())).stopReason).toBe('max_tokens');
  });

  test('a 429 is retried after the wait its retry-after asks for, then succeeds', async () => {
    server.script('slugify', chatStatus(429, { retryAfterSeconds: 2 }), chatCode(SLUGIFY));
    const c = await provider().complete(request());
    expect(c.text).toContain('slugify');
    expect(sleeps).toEqual([2000]);
    expect(retries[0]?.reason).toMatch(/^429 rate_limit_exceeded/);
  });

  test('500s, a reset connection, a garbled body, a cut stream and an error inside the stream are retried', async () => {
    server.script('slugify', chatStatus(500), chatReset(), chatMalformed(), chatCutStream('```ts\nexport function sl'), chatStreamError(), chatCode(SLUGIFY));
    const c = await provider({ retries: 5 }).complete(request());
    expect(c.text).toContain('SEPARATORS');
    expect(server.requests).toHaveLength(6);
    expect(retries.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^500 server_error/), expect.stringMatching(/^connection failed/), expect.stringMatching(/^malformed response/),
      expect.stringMatching(/ended before \[DONE\]/), expect.stringMatching(/server_error: The server had an error \(during the reply\)/),
    ]);
  });

  test('retries that run out end in JAUNT3005 naming the OpenAI-compatible endpoint', async () => {
    server.script('slugify', chatStatus(503), chatStatus(503), chatStatus(503));
    const err = await failure(provider({ retries: 2 }).complete(request()));
    expect(err.code).toBe(Codes.ProviderUnavailable);
    expect(err.message).toMatch(/^OpenAI-compatible API unavailable after 2 retries: 503/);
    expect(err.message).toContain(`endpoint ${server.url}`);
  });

  test('a 401 fails at once with JAUNT3003, points to OPENAI_API_KEY and never shows the key the server echoed', async () => {
    server.script('slugify', chatStatus(401, { message: (req) => `Incorrect API key provided: ${req.apiKey}` }));
    const err = await failure(provider().complete(request()));
    expect(err.code).toBe(Codes.ProviderAuth);
    expect(err.message).toMatch(/OpenAI-compatible API refused the credentials .*check OPENAI_API_KEY/);
    expect(err.message).not.toContain(KEY);
    expect(err.message).not.toContain(KEY.slice(-12));
    expect(server.requests).toHaveLength(1);
  });

  test('a 400 is a rejected request, not retried', async () => {
    server.script('slugify', chatStatus(400, { message: 'max_tokens is too large' }));
    const err = await failure(provider().complete(request()));
    expect(err.code).toBe(Codes.ProviderRequest);
    expect(err.message).toContain('max_tokens is too large');
    expect(server.requests).toHaveLength(1);
  });

  test('a server that never answers trips the shared circuit breaker with JAUNT3011', async () => {
    const breaker = new CircuitBreaker({ endpoint: server.url, label: 'OpenAI-compatible API', baseUrlEnv: 'OPENAI_BASE_URL', threshold: 3 });
    server.script('slugify', chatHang(), chatHang(), chatHang(), chatHang());
    const err = await failure(provider({ breaker, timeoutMs: 150, headersTimeoutMs: 150, retries: 5 }).complete(request()));
    expect(err.code).toBe(Codes.EndpointDown);
    expect(err.message).toMatch(/the OpenAI-compatible API at http:\/\/127\.0\.0\.1:\d+\/v1 is not answering: 3 requests in a row failed/);
    expect(err.message).toContain('OPENAI_BASE_URL');
    expect(server.requests).toHaveLength(3);
  });
});
