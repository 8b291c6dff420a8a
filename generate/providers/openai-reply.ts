/**
 * Turns a Chat Completions response into a Completion: an event stream of chunks ending in `[DONE]` (what
 * Jaunt asks for) or one JSON chat.completion (what a server that does not stream sends). Read
 * defensively: a local server or a proxy can send anything with a 200.
 */
import { _iterSSEMessages } from 'openai/core/streaming';
import { MalformedReply, ReplyTooLong, readReplyBody, record, type Completion } from '../read-reply';
import { MAX_REPLY_CHARS } from '../reply-limits';

/** An `error` object inside a 200 stream, as OpenAI-compatible servers report a failure mid-reply. */
export class ChatStreamError extends Error {
  override name = 'ChatStreamError';
  constructor(readonly type: string, readonly apiMessage: string) {
    super(apiMessage ? `${type}: ${apiMessage}` : type);
  }
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Chat Completions' finish reasons in the words the engine reads (Anthropic's stop reasons). */
export function stopReasonOf(finish: string | undefined): string | undefined {
  if (finish === 'length') return 'max_tokens';
  if (finish === 'content_filter') return 'refusal';
  if (finish === 'stop') return 'end_turn';
  return finish;
}

function streamError(ev: Record<string, unknown> | undefined): ChatStreamError | undefined {
  const error = record(ev?.error);
  if (!error) return undefined;
  return new ChatStreamError(str(error.type) ?? str(error.code) ?? 'error', str(error.message) ?? '');
}

async function readChunks(response: Response, fallbackModel: string, maxChars: number): Promise<Completion> {
  const parts: string[] = [];
  let chars = 0;
  const out: Completion = { text: '', inputTokens: 0, outputTokens: 0, model: fallbackModel };
  let finished = false;
  let done = false;
  let refusal = false;
  for await (const sse of _iterSSEMessages(response, new AbortController())) {
    if (sse.data === '') continue;
    if (sse.data.startsWith('[DONE]')) {
      done = true;
      break;
    }
    let data: unknown;
    try {
      data = JSON.parse(sse.data);
    } catch {
      throw new MalformedReply('a chunk of the event stream is not JSON');
    }
    const ev = record(data);
    const failed = streamError(ev);
    if (failed) throw failed;
    out.model = str(ev?.model) ?? out.model;
    const usage = record(ev?.usage);
    if (usage) {
      out.inputTokens = num(usage.prompt_tokens);
      out.outputTokens = num(usage.completion_tokens);
    }
    const choice = record(Array.isArray(ev?.choices) ? ev.choices[0] : undefined);
    const delta = record(choice?.delta);
    const piece = str(delta?.content) ?? '';
    if (str(delta?.refusal)) refusal = true;
    chars += piece.length;
    if (chars > maxChars) throw new ReplyTooLong(maxChars);
    parts.push(piece);
    const finish = str(choice?.finish_reason);
    if (finish) {
      finished = true;
      out.stopReason = stopReasonOf(finish);
    }
  }
  // A stream that ends early (a dropped proxy connection) would pass a partial answer off as whole.
  if (!done && !finished) throw new MalformedReply('the event stream ended before [DONE]');
  if (refusal) out.stopReason = 'refusal';
  out.text = parts.join('');
  return out;
}

/** A whole chat.completion, as a server that does not stream answers. */
export function toChatCompletion(body: unknown, fallbackModel: string, maxChars = MAX_REPLY_CHARS): Completion {
  const msg = record(body);
  const failed = streamError(msg);
  if (failed) throw failed;
  const choice = record(Array.isArray(msg?.choices) ? msg.choices[0] : undefined);
  const message = record(choice?.message);
  if (!message) throw new MalformedReply('body is not a Chat Completions response');
  const text = str(message.content) ?? '';
  if (text.length > maxChars) throw new ReplyTooLong(maxChars);
  const usage = record(msg?.usage);
  return {
    text, inputTokens: num(usage?.prompt_tokens), outputTokens: num(usage?.completion_tokens),
    model: str(msg?.model) ?? fallbackModel, stopReason: str(message.refusal) ? 'refusal' : stopReasonOf(str(choice?.finish_reason)),
  };
}

/** Reads the body of a successful Chat Completions response, streamed or not. */
export function readChatCompletion(response: Response, fallbackModel: string, maxChars = MAX_REPLY_CHARS): Promise<Completion> {
  return readReplyBody(response, (r) => readChunks(r, fallbackModel, maxChars), (body) => toChatCompletion(body, fallbackModel, maxChars));
}
