/**
 * A fake OpenAI-compatible Chat Completions API over real HTTP, so tests drive the real `openai` SDK (never
 * a mock of it). Requests are routed to scripted replies by the `Spec: <name>` line of the first user
 * message. A request with `"stream": true` gets its reply as chunks ending in `data: [DONE]`, as the real
 * API sends it; others get one chat.completion.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ChatReply =
  /** `json`: one chat.completion even when a stream was asked for. `model`: what the reply says answered. */
  | { kind: 'text'; text: string; finishReason: string; promptTokens?: number; completionTokens?: number; model?: string; json?: boolean }
  | { kind: 'status'; status: number; errorType: string; message: string | ((req: ChatRequest) => string); headers: Record<string, string> }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'malformed' }
  /** A 200 stream that sends some text, then an `error` chunk, as a server that fails mid-reply does. */
  | { kind: 'streamError'; errorType: string; message: string }
  /** A 200 stream that sends `text` and ends with neither a finish_reason nor [DONE]: a dropped connection. */
  | { kind: 'cutStream'; text: string };

export interface ChatRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The key sent as `Authorization: Bearer <key>`. */
  apiKey: string | undefined;
  body: { model?: string; messages?: { role: string; content: unknown }[]; stream?: boolean; max_tokens?: number; max_completion_tokens?: number; [k: string]: unknown } | undefined;
  spec: string | undefined;
  stream: boolean;
}

export interface FakeOpenAI {
  /** Base URL for the SDK, including `/v1` as OPENAI_BASE_URL does. */
  url: string;
  requests: ChatRequest[];
  script(specName: string, ...replies: ChatReply[]): void;
  pending(): Map<string, number>;
  close(): Promise<void>;
}

export function chatText(text: string, o: { finishReason?: string; completionTokens?: number; model?: string; json?: boolean } = {}): ChatReply {
  return { kind: 'text', text, finishReason: o.finishReason ?? 'stop', completionTokens: o.completionTokens, model: o.model, json: o.json };
}

/** A reply with `source` in a ```ts fence, as a well-behaved model answers. */
export function chatCode(source: string, o: { model?: string; json?: boolean; completionTokens?: number } = {}): ChatReply {
  return chatText('```ts\n' + source + (source.endsWith('\n') ? '' : '\n') + '```', o);
}

const ERROR_TYPES: Record<number, string> = { 400: 'invalid_request_error', 401: 'invalid_request_error', 429: 'rate_limit_exceeded', 500: 'server_error', 503: 'server_error' };

/** An OpenAI-style error: `{"error":{"message":...,"type":...,"code":...}}`. */
export function chatStatus(status: number, o: { message?: string | ((req: ChatRequest) => string); retryAfterSeconds?: number } = {}): ChatReply {
  const headers: Record<string, string> = o.retryAfterSeconds !== undefined ? { 'retry-after': String(o.retryAfterSeconds) } : {};
  const errorType = ERROR_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
  return { kind: 'status', status, errorType, message: o.message ?? `fake ${errorType}`, headers };
}

export const chatReset = (): ChatReply => ({ kind: 'reset' });
export const chatHang = (): ChatReply => ({ kind: 'hang' });
export const chatMalformed = (): ChatReply => ({ kind: 'malformed' });
export const chatStreamError = (errorType = 'server_error', message = 'The server had an error'): ChatReply => ({ kind: 'streamError', errorType, message });
export const chatCutStream = (partial: string): ChatReply => ({ kind: 'cutStream', text: partial });

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b: unknown) => (b && typeof b === 'object' && 'text' in b && typeof b.text === 'string' ? b.text : '')).join('');
}

function record(req: http.IncomingMessage, raw: string): ChatRequest {
  let body: ChatRequest['body'];
  try {
    const v: unknown = JSON.parse(raw);
    body = v && typeof v === 'object' && !Array.isArray(v) ? (v as ChatRequest['body']) : undefined;
  } catch {
    body = undefined;
  }
  const firstUser = body?.messages?.find((m) => m.role === 'user');
  return {
    method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers,
    apiKey: /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1],
    body, spec: /^Spec: (.+?)\s*$/m.exec(firstUser ? contentText(firstUser.content) : '')?.[1], stream: body?.stream === true,
  };
}

const estimate = (chars: number): number => Math.ceil(chars / 4);
const promptChars = (body: ChatRequest['body']): number => (body?.messages ?? []).reduce((n, m) => n + contentText(m.content).length, 0);
const data = (v: unknown): string => `data: ${JSON.stringify(v)}\n\n`;
let seq = 0;

function chunk(id: string, model: string, delta: Record<string, unknown>, finish: string | null): string {
  return data({ id, object: 'chat.completion.chunk', created: 1_790_000_000, model, choices: [{ index: 0, delta, finish_reason: finish }] });
}

function send(rec: ChatRequest, reply: ChatReply, res: http.ServerResponse): void {
  const id = `chatcmpl-fake${++seq}`;
  const events = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': `req_${seq}` };
  const json = { 'content-type': 'application/json', 'x-request-id': `req_${seq}` };
  const model = rec.body?.model ?? 'fake-model';
  switch (reply.kind) {
    case 'reset':
      res.socket?.destroy();
      return;
    case 'hang':
      return;
    case 'malformed':
      res.writeHead(200, rec.stream ? events : json);
      res.end(rec.stream ? 'data: {"id":"chatcmpl-x","choices":[{"delta":{"content":"exp' : '{"id":"chatcmpl-x","choices":[{"mess');
      return;
    case 'status': {
      const message = typeof reply.message === 'function' ? reply.message(rec) : reply.message;
      res.writeHead(reply.status, { ...json, ...reply.headers });
      res.end(JSON.stringify({ error: { message, type: reply.errorType, param: null, code: reply.errorType } }));
      return;
    }
    case 'streamError':
      res.writeHead(200, events);
      res.end(chunk(id, model, { role: 'assistant', content: '```ts\n' }, null) + data({ error: { message: reply.message, type: reply.errorType, code: null } }));
      return;
    case 'cutStream':
      res.writeHead(200, events);
      res.end(chunk(id, model, { role: 'assistant', content: reply.text }, null));
      return;
    case 'text': {
      const answered = reply.model ?? model;
      const usage = { prompt_tokens: reply.promptTokens ?? estimate(promptChars(rec.body)), completion_tokens: reply.completionTokens ?? estimate(reply.text.length) };
      if (rec.stream && !reply.json) {
        res.writeHead(200, events);
        const pieces = reply.text.match(/[\s\S]{1,200}/g) ?? [''];
        res.end([
          chunk(id, answered, { role: 'assistant', content: '' }, null),
          ...pieces.map((p) => chunk(id, answered, { content: p }, null)),
          chunk(id, answered, {}, reply.finishReason),
          data({ id, object: 'chat.completion.chunk', created: 1_790_000_000, model: answered, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }),
          'data: [DONE]\n\n',
        ].join(''));
        return;
      }
      res.writeHead(200, json);
      res.end(JSON.stringify({
        id, object: 'chat.completion', created: 1_790_000_000, model: answered,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.text, refusal: null }, finish_reason: reply.finishReason }],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      }));
    }
  }
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const queues = new Map<string, ChatReply[]>();
  const requests: ChatRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = record(req, Buffer.concat(chunks).toString('utf8'));
      requests.push(rec);
      const isChat = rec.method === 'POST' && rec.path.split('?')[0] === '/v1/chat/completions';
      const queued = isChat && rec.spec !== undefined ? queues.get(rec.spec)?.shift() : undefined;
      const reply = queued ?? chatStatus(isChat ? 500 : 404, {
        message: isChat ? `fake-openai: no scripted reply for ${rec.spec ?? 'a request without a Spec: line'}` : `fake-openai serves POST /v1/chat/completions, got ${rec.method} ${rec.path}`,
      });
      if (!res.destroyed) send(rec, reply, res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script(specName, ...replies) {
      queues.set(specName, [...(queues.get(specName) ?? []), ...replies]);
    },
    pending() {
      return new Map([...queues].filter(([, q]) => q.length > 0).map(([n, q]) => [n, q.length]));
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
