import Anthropic, { APIConnectionError, APIConnectionTimeoutError, AuthenticationError, InternalServerError, RateLimitError } from '@anthropic-ai/sdk';
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

let server: FakeAnthropic;
let client: Anthropic;

beforeEach(async () => {
  server = await startFakeAnthropic();
  client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
});

afterEach(async () => {
  await server.close();
});

function ask(spec: string, extra = 'Write it.') {
  return client.messages.create({
    model: 'claude-test',
    max_tokens: 256,
    system: 'You write TypeScript.',
    messages: [{ role: 'user', content: `Implement this.\nSpec: ${spec}\n${extra}` }],
  });
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the request to fail');
}

describe('fake Anthropic server', () => {
  test('the real SDK receives a scripted code reply as a valid Message with a fenced text block', async () => {
    server.script('add', code('export function add(a: number, b: number): number { return a + b; }'));
    const msg = await ask('add');
    expect(msg.type).toBe('message');
    expect(msg.role).toBe('assistant');
    expect(msg.model).toBe('claude-test');
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.content).toHaveLength(1);
    const block = msg.content[0];
    expect(block?.type).toBe('text');
    expect(block?.type === 'text' ? block.text : '').toBe(
      '```ts\nexport function add(a: number, b: number): number { return a + b; }\n```',
    );
  });

  test('usage estimates input tokens as a quarter of the characters of system and message text', async () => {
    server.script('add', text('x', { outputTokens: 7 }));
    const msg = await ask('add');
    const chars = 'You write TypeScript.'.length + 'Implement this.\nSpec: add\nWrite it.'.length;
    expect(msg.usage.input_tokens).toBe(Math.ceil(chars / 4));
    expect(msg.usage.output_tokens).toBe(7);
  });

  test('replies queued for a spec are consumed in order and only by requests naming that spec', async () => {
    server.script('a', text('first'), text('second'));
    server.script('b', text('other'));
    const texts: string[] = [];
    for (const spec of ['a', 'b', 'a']) {
      const block = (await ask(spec)).content[0];
      texts.push(block?.type === 'text' ? block.text : '');
    }
    expect(texts).toEqual(['first', 'other', 'second']);
    expect(server.pending().size).toBe(0);
  });

  test('a spec whose name extends another spec name is not confused with it', async () => {
    server.script('parse', text('short'));
    server.script('parseAll', text('long'));
    const block = (await ask('parseAll')).content[0];
    expect(block?.type === 'text' ? block.text : '').toContain('long');
    expect(server.pending()).toEqual(new Map([['parse', 1]]));
  });

  test('every request is recorded with its body, api key, spec name and time', async () => {
    server.script('add', text('x'));
    const before = Date.now();
    await ask('add');
    expect(server.requests).toHaveLength(1);
    const rec = server.requests[0];
    expect(rec?.method).toBe('POST');
    expect(rec?.path).toBe('/v1/messages');
    expect(rec?.apiKey).toBe('test-key');
    // SDK 1.x sends apiKey as a bearer token, not as x-api-key.
    expect(rec?.headers.authorization).toBe('Bearer test-key');
    expect(rec?.spec).toBe('add');
    expect(rec?.body?.model).toBe('claude-test');
    expect(rec?.body?.max_tokens).toBe(256);
    expect(rec?.userText).toContain('Spec: add');
    expect(rec?.time).toBeGreaterThanOrEqual(before);
  });

  test('429 surfaces as RateLimitError carrying the retry-after header and the error body', async () => {
    server.script('add', status(429, { retryAfterSeconds: 3 }));
    const err = await rejection(ask('add'));
    expect(err).toBeInstanceOf(RateLimitError);
    const e = err as RateLimitError;
    expect(e.status).toBe(429);
    expect(e.headers.get('retry-after')).toBe('3');
    expect(e.type).toBe('rate_limit_error');
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  test('529 surfaces as an InternalServerError with type overloaded_error', async () => {
    server.script('add', status(529));
    const err = await rejection(ask('add'));
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as InternalServerError).status).toBe(529);
    expect((err as InternalServerError).type).toBe('overloaded_error');
  });

  test('401 surfaces as AuthenticationError with a message that can echo request details', async () => {
    server.script('add', status(401, { message: (req) => `bad key ${req.apiKey ?? ''}` }));
    const err = await rejection(ask('add'));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).apiMessage).toBe('bad key test-key');
  });

  test('a reset connection surfaces as APIConnectionError', async () => {
    server.script('add', reset());
    const err = await rejection(ask('add'));
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).not.toBeInstanceOf(APIConnectionTimeoutError);
  });

  test('a delay longer than the client timeout surfaces as APIConnectionTimeoutError', async () => {
    server.script('add', delay(1000, text('late')));
    const err = await rejection(client.messages.create(
      { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'Spec: add' }] },
      { timeout: 50 },
    ));
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
  });

  test('a slow body is not cut off by the SDK timeout, which only covers the wait for headers', async () => {
    // Generous margins: headers must beat the timeout even on a loaded machine.
    server.script('add', slowBody(700, text('slow')));
    const start = Date.now();
    const msg = await client.messages.create(
      { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'Spec: add' }] },
      { timeout: 250 },
    );
    expect(Date.now() - start).toBeGreaterThanOrEqual(650);
    expect(msg.content[0]?.type).toBe('text');
  });

  test('a malformed body makes the SDK reject with a JSON SyntaxError', async () => {
    server.script('add', malformed());
    const err = await rejection(ask('add'));
    // Jest's realm differs from undici's, so compare by name rather than instanceof.
    expect((err as Error).name).toBe('SyntaxError');
  });

  test('a text reply is sent verbatim, so an already fenced answer is not fenced twice', async () => {
    server.script('add', text('```ts\nconst x = 1;\n```'));
    const block = (await ask('add')).content[0];
    expect(block?.type === 'text' ? block.text : '').toBe('```ts\nconst x = 1;\n```');
  });

  test('a noCodeBlock reply is prose without any fence', async () => {
    server.script('add', noCodeBlock('Sure, here is how I would do it.'));
    const block = (await ask('add')).content[0];
    expect(block?.type === 'text' ? block.text : '').toBe('Sure, here is how I would do it.');
  });

  test('an unscripted spec gets a 500 naming the spec', async () => {
    const err = await rejection(ask('missing'));
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as InternalServerError).apiMessage).toBe('fake-anthropic: no scripted reply for spec "missing"');
  });

  test('the fallback answers requests that have no queued reply', async () => {
    server.script('a', text('queued'));
    server.fallback((req) => (req.spec === 'b' ? text(`fallback for ${req.spec}`) : undefined));
    const a = (await ask('a')).content[0];
    const b = (await ask('b')).content[0];
    expect(a?.type === 'text' ? a.text : '').toContain('queued');
    expect(b?.type === 'text' ? b.text : '').toContain('fallback for b');
    await expect(ask('c')).rejects.toBeInstanceOf(InternalServerError);
  });

  test('latencyMs delays every response', async () => {
    const slow = await startFakeAnthropic({ latencyMs: 80 });
    try {
      slow.script('add', text('x'));
      const c = new Anthropic({ apiKey: 'k', baseURL: slow.url, maxRetries: 0 });
      const start = Date.now();
      await c.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'Spec: add' }] });
      expect(Date.now() - start).toBeGreaterThanOrEqual(70);
    } finally {
      await slow.close();
    }
  });

  test('close resolves even while a delayed reply is still pending', async () => {
    server.script('add', delay(10_000, text('never')));
    const pending = ask('add').catch((err: unknown) => err);
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await server.close();
    expect(await pending).toBeInstanceOf(APIConnectionError);
    server = await startFakeAnthropic(); // afterEach closes this one
  });
});
