/**
 * A fake Anthropic Messages API over real HTTP, so tests drive the real SDK (never a mock of it).
 * Requests are routed to scripted replies by the `Spec: <name>` line the prompt builder puts in the
 * first user message. A request with `"stream": true` gets its reply as an event stream, as the real
 * API sends it; others get one JSON message.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sse, streamed } from './fake-events';

/** One scripted reply. Build these with the helpers below rather than by hand. */
export type FakeReply =
  /** `json`: one JSON message even when a stream was asked for, as a gateway that cannot stream answers. */
  /** `model`: what the reply says answered (an alias resolves to a dated id); the requested model by default. */
  | { kind: 'text'; text: string; outputTokens?: number; stopReason: string; json?: boolean; model?: string }
  | {
      kind: 'status';
      status: number;
      errorType: string;
      message: string | ((req: RecordedRequest) => string);
      headers: Record<string, string>;
      /** Sent verbatim as text/html instead of the JSON error, like a proxy's error page. */
      rawBody?: string;
    }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number; reply: FakeReply }
  | { kind: 'slowBody'; ms: number; reply: FakeReply }
  | { kind: 'malformed' }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** A 200 stream that starts a message, then sends an `error` event, as an overload mid-reply does. */
  | { kind: 'streamError'; errorType: string; message: string }
  /** A 200 stream that sends `text` and then ends without message_stop, as a dropped proxy connection does. */
  | { kind: 'cutStream'; text: string };

/** The subset of a Messages request body the fake reads; everything else is kept as sent. */
export interface FakeRequestBody {
  model?: string;
  max_tokens?: number;
  temperature?: number;
  system?: unknown;
  messages?: { role: string; content: unknown }[];
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: http.IncomingHttpHeaders;
  /** The key sent as `x-api-key` or as `Authorization: Bearer <key>` (what SDK 1.x does for apiKey). */
  apiKey: string | undefined;
  /** Parsed JSON body; undefined when the body was not JSON. */
  body: FakeRequestBody | undefined;
  /** Text of the first user message (where the `Spec:` marker lives). */
  userText: string;
  /** Text of the turns after it (a repair: the rejected answer and what was wrong), joined by blank lines. */
  turnsText: string;
  /** The spec named by the first `Spec: <name>` line, if any. */
  spec: string | undefined;
  /** Date.now() when the request body had been read. */
  time: number;
  /** The request asked for an event stream. */
  stream: boolean;
}

export interface FakeAnthropic {
  /** Base URL for the SDK (`new Anthropic({ baseURL: url })`); it appends /v1/messages. */
  url: string;
  requests: RecordedRequest[];
  /** Queues replies for requests naming this spec, consumed one per request in order. */
  script(specName: string, ...replies: FakeReply[]): void;
  /** Consulted when a spec has no queued reply; returning undefined means "unscripted". */
  fallback(fn: (req: RecordedRequest) => FakeReply | undefined): void;
  /** Replies still queued per spec, so a test can assert its script was used up. */
  pending(): Map<string, number>;
  close(): Promise<void>;
}

// ---- reply helpers ----

/** A 200 reply whose one text block is `body`, verbatim (fence code yourself, or use `code`). */
export function text(body: string, o: { outputTokens?: number; stopReason?: string; json?: boolean; model?: string } = {}): FakeReply {
  return { kind: 'text', text: body, outputTokens: o.outputTokens, stopReason: o.stopReason ?? 'end_turn', json: o.json, model: o.model };
}

/** A reply the model stopped writing because it ran out of max_tokens. */
export function cutOff(partial: string): FakeReply {
  return text(partial, { stopReason: 'max_tokens' });
}

/** A 200 reply with `source` in a ```ts fence, as a well-behaved model answers. */
export function code(source: string, o: { outputTokens?: number; stopReason?: string; model?: string } = {}): FakeReply {
  return text('```ts\n' + source + (source.endsWith('\n') ? '' : '\n') + '```', o);
}

/** A 200 reply of prose with no code block, as a confused model might send. */
export function noCodeBlock(prose = 'I would implement this function by iterating over the input.'): FakeReply {
  return text(prose);
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** An Anthropic-style error reply: `{"type":"error","error":{"type":...,"message":...}}`. */
export function status(
  httpStatus: number,
  o: {
    retryAfterSeconds?: number;
    retryAfterMs?: number;
    /** A function lets a test echo request details (e.g. the key) back, as a careless server might. */
    message?: string | ((req: RecordedRequest) => string);
    errorType?: string;
    headers?: Record<string, string>;
    rawBody?: string;
  } = {},
): FakeReply {
  const headers: Record<string, string> = { ...o.headers };
  if (o.retryAfterSeconds !== undefined) headers['retry-after'] = String(o.retryAfterSeconds);
  if (o.retryAfterMs !== undefined) headers['retry-after-ms'] = String(o.retryAfterMs);
  const errorType = o.errorType ?? ERROR_TYPES[httpStatus] ?? (httpStatus >= 500 ? 'api_error' : 'invalid_request_error');
  return { kind: 'status', status: httpStatus, errorType, message: o.message ?? `fake ${errorType}`, headers, rawBody: o.rawBody };
}

/** Destroys the socket without any response, like a dropped connection. */
export function reset(): FakeReply {
  return { kind: 'reset' };
}

/** Waits before sending `reply` (before any header, so it counts against the client's timeout). */
export function delay(ms: number, reply: FakeReply): FakeReply {
  return { kind: 'delay', ms, reply };
}

/**
 * Sends the headers and first byte of `reply` at once and the rest after `ms`. The SDK's own
 * timeout stops at the headers, so this exercises a caller's whole-request deadline.
 */
export function slowBody(ms: number, reply: FakeReply): FakeReply {
  return { kind: 'slowBody', ms, reply };
}

/** A 200 whose JSON body (or event stream) is cut short. */
export function malformed(): FakeReply {
  return { kind: 'malformed' };
}

export function hang(): FakeReply {
  return { kind: 'hang' };
}

export function streamError(errorType = 'overloaded_error', message = 'Overloaded'): FakeReply {
  return { kind: 'streamError', errorType, message };
}

export function cutStream(partial: string): FakeReply {
  return { kind: 'cutStream', text: partial };
}

// ---- server ----

function blockText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b: unknown) => (b && typeof b === 'object' && 'text' in b && typeof b.text === 'string' ? b.text : ''))
    .join('');
}

function parseBody(raw: string): FakeRequestBody | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as FakeRequestBody) : undefined;
  } catch {
    return undefined;
  }
}

function record(req: http.IncomingMessage, raw: string): RecordedRequest {
  const body = parseBody(raw);
  const firstUser = body?.messages?.find((m) => m.role === 'user');
  const userText = firstUser ? blockText(firstUser.content) : '';
  const turnsText = (body?.messages ?? []).slice(firstUser ? body!.messages!.indexOf(firstUser) + 1 : 0).map((m) => blockText(m.content)).join('\n\n');
  const marker = /^Spec: (.+?)\s*$/m.exec(userText);
  const key = req.headers['x-api-key'];
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  return {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers: req.headers,
    apiKey: typeof key === 'string' ? key : bearer,
    body,
    userText,
    turnsText,
    spec: marker?.[1],
    time: Date.now(),
    stream: body?.stream === true,
  };
}

/** Rough token estimate of ~4 characters per token; real counts come from the tokenizer, tests only need plausible numbers. */
function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

function inputChars(body: FakeRequestBody | undefined): number {
  const system = typeof body?.system === 'string' ? body.system.length : blockText(body?.system).length;
  return (body?.messages ?? []).reduce((n, m) => n + blockText(m.content).length, system);
}

let messageSeq = 0;

interface Rendered {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The HTTP response for a reply that has one; undefined for resets, delays and hangs. */
function render(rec: RecordedRequest, reply: FakeReply): Rendered | undefined {
  const requestId = `req_fake_${++messageSeq}`;
  const json = { 'content-type': 'application/json', 'request-id': requestId };
  const events = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': requestId };
  const base = { id: `msg_fake_${messageSeq}`, model: rec.body?.model ?? 'fake-model', inputTokens: estimateTokens(inputChars(rec.body)) };
  switch (reply.kind) {
    case 'malformed':
      if (rec.stream) return { status: 200, headers: events, body: 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_fake","content":[{"type":"te' };
      return { status: 200, headers: json, body: '{"id":"msg_fake","type":"message","content":[{"type":"te' };
    case 'streamError': {
      const { head } = streamed({ ...base, text: '', stopReason: 'end_turn', outputTokens: 0 });
      return { status: 200, headers: events, body: head + sse('error', { type: 'error', error: { type: reply.errorType, message: reply.message } }) };
    }
    case 'cutStream': {
      const { head } = streamed({ ...base, text: reply.text, stopReason: 'end_turn', outputTokens: 0 });
      return { status: 200, headers: events, body: head };
    }
    case 'status': {
      if (reply.rawBody !== undefined) {
        return { status: reply.status, headers: { 'content-type': 'text/html', ...reply.headers }, body: reply.rawBody };
      }
      const message = typeof reply.message === 'function' ? reply.message(rec) : reply.message;
      const payload = { type: 'error', error: { type: reply.errorType, message }, request_id: requestId };
      return { status: reply.status, headers: { ...json, ...reply.headers }, body: JSON.stringify(payload) };
    }
    case 'text': {
      const outputTokens = reply.outputTokens ?? estimateTokens(reply.text.length);
      if (rec.stream && !reply.json) {
        const { head, tail } = streamed({ ...base, model: reply.model ?? base.model, text: reply.text, stopReason: reply.stopReason, outputTokens });
        return { status: 200, headers: events, body: head + tail };
      }
      const message = {
        id: `msg_fake_${messageSeq}`,
        type: 'message',
        role: 'assistant',
        model: reply.model ?? rec.body?.model ?? 'fake-model',
        content: [{ type: 'text', text: reply.text, citations: null }],
        stop_reason: reply.stopReason,
        stop_sequence: null,
        usage: {
          input_tokens: estimateTokens(inputChars(rec.body)),
          output_tokens: outputTokens,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      };
      return { status: 200, headers: json, body: JSON.stringify(message) };
    }
    default:
      return undefined;
  }
}

export async function startFakeAnthropic(opts: { latencyMs?: number } = {}): Promise<FakeAnthropic> {
  const queues = new Map<string, FakeReply[]>();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let fallbackFn: ((req: RecordedRequest) => FakeReply | undefined) | undefined;

  const later = (ms: number, fn: () => void): void => {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const choose = (rec: RecordedRequest): FakeReply => {
    const queued = rec.spec !== undefined ? queues.get(rec.spec)?.shift() : undefined;
    const chosen = queued ?? fallbackFn?.(rec);
    if (chosen) return chosen;
    const what = rec.spec !== undefined ? `spec "${rec.spec}"` : 'a request with no "Spec: <name>" line';
    return status(500, { message: `fake-anthropic: no scripted reply for ${what}` });
  };

  const send = (rec: RecordedRequest, reply: FakeReply, res: http.ServerResponse): void => {
    // The client may have timed out and gone while we waited.
    if (res.destroyed || res.writableEnded) return;
    switch (reply.kind) {
      case 'delay':
        return later(reply.ms, () => send(rec, reply.reply, res));
      case 'reset':
        res.socket?.destroy();
        return;
      case 'hang':
        return;
      case 'slowBody': {
        const r = render(rec, reply.reply);
        if (!r) return send(rec, reply.reply, res);
        res.writeHead(r.status, r.headers);
        res.write(r.body.slice(0, 1));
        return later(reply.ms, () => {
          if (!res.destroyed) res.end(r.body.slice(1));
        });
      }
      default: {
        const r = render(rec, reply);
        if (!r) return;
        res.writeHead(r.status, r.headers);
        res.end(r.body);
      }
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = record(req, Buffer.concat(chunks).toString('utf8'));
      requests.push(rec);
      const isMessages = rec.method === 'POST' && rec.path.split('?')[0] === '/v1/messages';
      const reply = isMessages
        ? choose(rec)
        : status(404, { message: `fake-anthropic only serves POST /v1/messages, got ${rec.method} ${rec.path}` });
      later(opts.latencyMs ?? 0, () => send(rec, reply, res));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(specName, ...replies) {
      const q = queues.get(specName) ?? [];
      q.push(...replies);
      queues.set(specName, q);
    },
    fallback(fn) {
      fallbackFn = fn;
    },
    pending() {
      return new Map([...queues].filter(([, q]) => q.length > 0).map(([name, q]) => [name, q.length]));
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets from the SDK would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}
