import { Codes, JauntError } from '../core/errors';
import {
  backoffMs,
  createAnthropicProvider,
  redactSecret,
  retryAfterMs,
  type AnthropicProviderOptions,
  type CompletionRequest,
  type Provider,
  type RetryInfo,
} from '../generate/provider';
import {
  code,
  delay,
  malformed,
  noCodeBlock,
  reset,
  slowBody,
  startFakeAnthropic,
  status,
  text,
  type FakeAnthropic,
} from './support/fake-anthropic';

const KEY = 'sk-ant-test-0123456789abcdef';

let server: FakeAnthropic;
let sleeps: number[];
let retries: RetryInfo[];

beforeEach(async () => {
  server = await startFakeAnthropic();
  sleeps = [];
  retries = [];
});

afterEach(async () => {
  await server.close();
});

function provider(over: Partial<AnthropicProviderOptions> = {}): Provider {
  return createAnthropicProvider({
    apiKey: KEY,
    baseURL: server.url,
    model: 'claude-test',
    maxTokens: 512,
    temperature: 0,
    timeoutMs: 2000,
    retries: 3,
    onRetry: (info) => retries.push(info),
    // Records waits instead of taking them, so retry tests run in milliseconds.
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...over,
  });
}

function request(spec = 'add', over: Partial<CompletionRequest> = {}): CompletionRequest {
  return { spec, system: 'You write TypeScript.', user: `Implement the function.\nSpec: ${spec}\n`, ...over };
}

async function failure(p: Promise<unknown>): Promise<JauntError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof JauntError) return err;
    throw err;
  }
  throw new Error('expected the completion to fail');
}

describe('createAnthropicProvider', () => {
  test('a successful reply returns its text, token counts and model', async () => {
    server.script('add', code('export const add = 1;', { outputTokens: 42 }));
    const c = await provider().complete(request());
    expect(c.text).toBe('```ts\nexport const add = 1;\n```');
    expect(c.outputTokens).toBe(42);
    const chars = 'You write TypeScript.'.length + 'Implement the function.\nSpec: add\n'.length;
    expect(c.inputTokens).toBe(Math.ceil(chars / 4));
    expect(c.model).toBe('claude-test');
    expect(c.stopReason).toBe('end_turn');
  });

  test('the request carries model, max tokens, system, the key and the prior turns in order', async () => {
    server.script('add', text('x'));
    const turns = [
      { role: 'assistant' as const, content: 'first try' },
      { role: 'user' as const, content: 'it failed to compile' },
    ];
    await provider().complete(request('add', { messages: turns }));
    const body = server.requests[0]?.body;
    expect(body?.model).toBe('claude-test');
    expect(body?.max_tokens).toBe(512);
    expect(body?.system).toBe('You write TypeScript.');
    expect(body?.messages?.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(body?.messages?.[2]?.content).toBe('it failed to compile');
    expect(server.requests[0]?.apiKey).toBe(KEY);
  });

  test('prose without a code block is returned as is for the caller to judge', async () => {
    server.script('add', noCodeBlock('I cannot do that.'));
    expect((await provider().complete(request())).text).toBe('I cannot do that.');
  });

  test('a 429 is retried after the wait its retry-after header asks for', async () => {
    server.script('add', status(429, { retryAfterSeconds: 7 }), text('ok'));
    const c = await provider().complete(request());
    expect(c.text).toContain('ok');
    expect(sleeps).toEqual([7000]);
    expect(server.requests).toHaveLength(2);
    expect(retries).toEqual([{ spec: 'add', attempt: 1, waitMs: 7000, reason: expect.stringContaining('429 rate_limit_error') }]);
  });

  test('retry-after-ms takes precedence over retry-after', async () => {
    server.script('add', status(429, { retryAfterSeconds: 7, retryAfterMs: 1234 }), text('ok'));
    await provider().complete(request());
    expect(sleeps).toEqual([1234]);
  });

  test('a very long retry-after is capped at a minute', async () => {
    server.script('add', status(429, { retryAfterSeconds: 3600 }), text('ok'));
    await provider().complete(request());
    expect(sleeps).toEqual([60_000]);
  });

  test('a 529 overloaded reply is retried with backoff and then succeeds', async () => {
    server.script('add', status(529), text('ok'));
    const c = await provider().complete(request());
    expect(c.text).toContain('ok');
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(250);
    expect(sleeps[0]).toBeLessThanOrEqual(500);
    expect(retries[0]?.reason).toContain('529 overloaded_error');
  });

  test('two 500s in a row are retried with growing backoff and then succeed', async () => {
    server.script('add', status(500), status(500), text('ok'));
    const c = await provider().complete(request());
    expect(c.text).toContain('ok');
    expect(server.requests).toHaveLength(3);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(sleeps[0]).toBeLessThanOrEqual(500);
    expect(sleeps[1]).toBeGreaterThanOrEqual(500);
    expect(sleeps[1]).toBeLessThanOrEqual(1000);
  });

  test('a non-JSON error page from a proxy is retried and its text reported', async () => {
    server.script('add', status(502, { rawBody: 'Bad gateway' }), text('ok'));
    await provider().complete(request());
    expect(retries[0]?.reason).toBe('502: Bad gateway');
  });

  test('a reset connection is retried and then succeeds', async () => {
    server.script('add', reset(), text('ok'));
    const c = await provider().complete(request());
    expect(c.text).toContain('ok');
    expect(retries[0]?.reason).toMatch(/^connection failed/);
  });

  test('exhausted retries throw ProviderUnavailable naming the count and the last error', async () => {
    server.script('add', status(529), status(529), status(529), status(529));
    const err = await failure(provider().complete(request()));
    expect(err.code).toBe(Codes.ProviderUnavailable);
    expect(err.spec).toBe('add');
    expect(err.message).toBe(`Anthropic API unavailable after 3 retries: 529 overloaded_error: fake overloaded_error (endpoint ${server.url.replace(/\/+$/, '')}; check that it is up and reachable, or build again later)`);
    expect(server.requests).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
  });

  test('with zero retries a transient failure fails at once', async () => {
    server.script('add', status(500));
    const err = await failure(provider({ retries: 0 }).complete(request()));
    expect(err.code).toBe(Codes.ProviderUnavailable);
    expect(err.message).toContain('after 0 retries');
    expect(server.requests).toHaveLength(1);
  });

  test('a 401 fails fast with ProviderAuth after exactly one request', async () => {
    server.script('add', status(401, { message: 'invalid x-api-key' }), text('never'));
    const err = await failure(provider().complete(request()));
    expect(err.code).toBe(Codes.ProviderAuth);
    expect(err.message).toContain('401 authentication_error: invalid x-api-key');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test('a 403 is an auth failure too', async () => {
    server.script('add', status(403));
    expect((await failure(provider().complete(request()))).code).toBe(Codes.ProviderAuth);
  });

  test.each([400, 404, 413, 422])('a %i fails fast with ProviderRequest', async (code) => {
    server.script('add', status(code, { message: 'bad thing' }), text('never'));
    const err = await failure(provider().complete(request()));
    expect(err.code).toBe(Codes.ProviderRequest);
    expect(err.message).toContain(`${code}`);
    expect(err.message).toContain('bad thing');
    expect(server.requests).toHaveLength(1);
  });

  test('a key echoed back by the server is redacted from the thrown message', async () => {
    server.script('add', status(401, { message: (req) => `key ${req.apiKey ?? ''} is not valid` }));
    const err = await failure(provider().complete(request()));
    expect(err.message).not.toContain(KEY);
    expect(err.message).toContain('key [redacted] is not valid');
  });

  test('a key echoed back in a transient error is redacted from retry reports and the final error', async () => {
    const echo = status(500, { message: (req) => `upstream saw ${req.apiKey ?? ''}` });
    server.script('add', echo, echo);
    const err = await failure(provider({ retries: 1 }).complete(request()));
    expect(retries[0]?.reason).toBe('500 api_error: upstream saw [redacted]');
    expect(err.message).not.toContain(KEY);
  });

  test('a reply slower than timeoutMs is retried as a timeout and then succeeds', async () => {
    // The retry must beat the timeout, so leave room for a loaded machine.
    server.script('add', delay(3000, text('late')), text('ok'));
    const c = await provider({ timeoutMs: 300 }).complete(request());
    expect(c.text).toContain('ok');
    expect(retries[0]?.reason).toBe('request timed out after 300 ms');
  });

  test('a body that stalls after the headers still hits the timeout', async () => {
    server.script('add', slowBody(3000, text('late')), text('ok'));
    const started = Date.now();
    const c = await provider({ timeoutMs: 300 }).complete(request());
    expect(c.text).toContain('ok');
    expect(retries[0]?.reason).toBe('request timed out after 300 ms');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  test('timeouts on every try end in ProviderUnavailable', async () => {
    server.script('add', delay(1000, text('late')), delay(1000, text('late')));
    const err = await failure(provider({ timeoutMs: 60, retries: 1 }).complete(request()));
    expect(err.code).toBe(Codes.ProviderUnavailable);
    expect(err.message).toMatch(/^Anthropic API unavailable after 1 retry: request timed out after 60 ms \(endpoint http:\/\/127\.0\.0\.1:\d+; check that it is up/);
  });

  test('a malformed JSON body is treated as a retryable server fault', async () => {
    server.script('add', malformed(), text('ok'));
    const c = await provider().complete(request());
    expect(c.text).toContain('ok');
    expect(retries[0]?.reason).toMatch(/^malformed response/);
  });

  test('malformed bodies on every try end in ProviderUnavailable, not a crash', async () => {
    server.script('add', malformed(), malformed());
    const err = await failure(provider({ retries: 1 }).complete(request()));
    expect(err.code).toBe(Codes.ProviderUnavailable);
    expect(err.message).toContain('malformed response');
  });

  test('an abort from the caller stops a pending retry wait with the abort reason', async () => {
    server.script('add', status(529), text('never'));
    const ac = new AbortController();
    const p = provider({ sleep: () => new Promise(() => undefined) }).complete(request(), ac.signal);
    while (retries.length === 0) await new Promise((r) => setTimeout(r, 5));
    ac.abort(new Error('user cancelled'));
    await expect(p).rejects.toThrow('user cancelled');
    expect(server.requests).toHaveLength(1);
  });

  test('an abort from the caller cancels the request in flight', async () => {
    server.script('add', delay(5000, text('never')));
    const ac = new AbortController();
    const p = provider().complete(request(), ac.signal);
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(retries).toEqual([]);
  });
});

describe('redactSecret', () => {
  test('every occurrence of the secret is replaced', () => {
    expect(redactSecret('a SECRET b SECRET', 'SECRET')).toBe('a [redacted] b [redacted]');
  });

  test('a URL-encoded occurrence is replaced too', () => {
    expect(redactSecret('url?k=ab%2Bc%2F', 'ab+c/')).toBe('url?k=[redacted]');
  });

  test('an empty secret leaves the text alone', () => {
    expect(redactSecret('nothing to hide', '')).toBe('nothing to hide');
  });
});

describe('retry timing helpers', () => {
  test('backoff doubles from 500 ms, stays within its jitter band and is capped at 30 s', () => {
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
    expect(backoffMs(20, () => 0)).toBe(15_000);
  });

  test('retry-after accepts seconds, milliseconds and HTTP dates, and ignores nonsense', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '2.5' }), now)).toBe(2500);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '40' }), now)).toBe(40);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after': '-3' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('redactSecret with fragments of the key', () => {
  const key = 'sk-ant-api03-JAUNTSECRET-9f8e7d';
  test('a server echoing only the end of the key has that end redacted', () => {
    const out = redactSecret(`invalid key ending in ${key.slice(-12)}.`, key);
    expect(out).toBe('invalid key ending in [redacted].');
  });
  test('short coincidences with the key are left alone', () => {
    expect(redactSecret('model sk-ant is fine; api03 too', key)).toBe('model sk-ant is fine; api03 too');
  });
  test('two separate fragments are each redacted, the text between them kept', () => {
    expect(redactSecret(`${key.slice(0, 10)} and ${key.slice(-9)}`, key)).toBe('[redacted] and [redacted]');
  });
});
