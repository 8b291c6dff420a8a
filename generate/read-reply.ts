/**
 * Turns a Messages API response into a Completion: an event stream (what Jaunt asks for, so a dead
 * endpoint shows within seconds) or a plain JSON message (what a gateway that does not stream sends).
 * Everything is read defensively: a proxy or a broken server can send anything with a 200.
 */
import { Stream } from '@anthropic-ai/sdk/core/streaming';
import { MAX_REPLY_CHARS, formatBytes } from './reply-limits';

export interface Completion {
  /** All text blocks, concatenated. */
  text: string;
  inputTokens: number;
  outputTokens: number;
  model: string;
  /** Why the model stopped, e.g. "end_turn" or "max_tokens" (a truncated answer). */
  stopReason?: string;
}

/** A 200 whose body is not a Messages API message (or an event stream that stops short of one). */
export class MalformedReply extends Error {
  override name = 'MalformedReply';
}

/** The reply's text is over MAX_REPLY_CHARS: reading stops there. */
export class ReplyTooLong extends Error {
  override name = 'ReplyTooLong';
  constructor(readonly limit: number) {
    super(`the reply's text is over the ${formatBytes(limit)} limit`);
  }
}

/** An `error` event inside a 200 stream, e.g. overloaded_error while the model was writing. */
export class StreamErrorEvent extends Error {
  override name = 'StreamErrorEvent';
  constructor(readonly type: string, readonly apiMessage: string) {
    super(apiMessage ? `${type}: ${apiMessage}` : type);
  }
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Every input token of a request: with prompt caching, `input_tokens` counts only the uncached part. */
const promptTokens = (usage: Record<string, unknown> | undefined): number =>
  num(usage?.input_tokens) + num(usage?.cache_creation_input_tokens) + num(usage?.cache_read_input_tokens);

/** A whole JSON message, as a non-streaming endpoint answers. */
export function toCompletion(body: unknown, fallbackModel: string, maxChars = MAX_REPLY_CHARS): Completion {
  const msg = record(body);
  const content = msg?.content;
  const usage = record(msg?.usage);
  if (!Array.isArray(content) || !usage) throw new MalformedReply('body is not a Messages API message');
  const text = content.map((b: unknown) => {
    const block = record(b);
    return block?.type === 'text' && typeof block.text === 'string' ? block.text : '';
  }).join('');
  if (text.length > maxChars) throw new ReplyTooLong(maxChars);
  return {
    text, inputTokens: promptTokens(usage), outputTokens: num(usage.output_tokens),
    model: str(msg?.model) ?? fallbackModel, stopReason: str(msg?.stop_reason),
  };
}

async function readEvents(response: Response, fallbackModel: string, maxChars: number): Promise<Completion> {
  const parts: string[] = [];
  let chars = 0;
  const out: Completion = { text: '', inputTokens: 0, outputTokens: 0, model: fallbackModel };
  let stopped = false;
  for await (const sse of Stream.rawEvents(response)) {
    if (sse.event === 'ping' || sse.data === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(sse.data);
    } catch {
      throw new MalformedReply(`a "${sse.event ?? 'message'}" event is not JSON`);
    }
    const ev = record(data);
    if (sse.event === 'error' || ev?.type === 'error') {
      const error = record(ev?.error);
      throw new StreamErrorEvent(str(error?.type) ?? 'error', str(error?.message) ?? '');
    }
    const usage = record(ev?.usage);
    switch (ev?.type) {
      case 'message_start': {
        const message = record(ev.message);
        const first = record(message?.usage);
        out.model = str(message?.model) ?? fallbackModel;
        out.inputTokens = promptTokens(first);
        out.outputTokens = num(first?.output_tokens);
        break;
      }
      case 'content_block_start':
      case 'content_block_delta': {
        const block = record(ev.type === 'content_block_start' ? ev.content_block : ev.delta);
        const piece = (block?.type === 'text' || block?.type === 'text_delta') && typeof block.text === 'string' ? block.text : '';
        chars += piece.length;
        if (chars > maxChars) throw new ReplyTooLong(maxChars);
        parts.push(piece);
        break;
      }
      case 'message_delta':
        out.stopReason = str(record(ev.delta)?.stop_reason) ?? out.stopReason;
        if (usage && typeof usage.output_tokens === 'number') out.outputTokens = num(usage.output_tokens);
        if (usage && typeof usage.input_tokens === 'number') out.inputTokens = promptTokens(usage);
        break;
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  // A stream that ends early (a dropped proxy connection) would pass a partial answer off as whole.
  if (!stopped) throw new MalformedReply('the event stream ended before message_stop');
  out.text = parts.join('');
  return out;
}

/**
 * The body of a successful response, whichever of the two shapes a provider answers with: an event stream
 * (read by `stream`) or one JSON document (read by `json`). A body that is neither is a malformed reply.
 */
export async function readReplyBody<T>(response: Response, stream: (r: Response) => Promise<T>, json: (body: unknown) => T): Promise<T> {
  const type = response.headers.get('content-type') ?? '';
  if (/^\s*text\/event-stream/i.test(type)) return stream(response);
  const raw = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (e) {
    throw new MalformedReply(`body is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return json(body);
}

/** Reads the body of a successful Messages API response, streamed or not. */
export function readCompletion(response: Response, fallbackModel: string, maxChars = MAX_REPLY_CHARS): Promise<Completion> {
  return readReplyBody(response, (r) => readEvents(r, fallbackModel, maxChars), (body) => toCompletion(body, fallbackModel, maxChars));
}
