/** The Messages API's event stream, as the fake sends a reply to a request with `"stream": true`. */

/** Text deltas of a streamed reply: big enough that a 10 MB reply stays a few thousand events. */
const DELTA_CHARS = 4096;

export function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The event stream of a message: `head` (message_start and the text) and `tail` (stop and usage). */
export function streamed(message: { id: string; model: string; text: string; stopReason: string; inputTokens: number; outputTokens: number }): { head: string; tail: string } {
  const start = { id: message.id, type: 'message', role: 'assistant', model: message.model, content: [], stop_reason: null, stop_sequence: null,
    usage: { input_tokens: message.inputTokens, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } };
  const parts = [sse('message_start', { type: 'message_start', message: start }),
    sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    sse('ping', { type: 'ping' })];
  for (let at = 0; at < message.text.length; at += DELTA_CHARS) {
    parts.push(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: message.text.slice(at, at + DELTA_CHARS) } }));
  }
  const tail = [sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
    sse('message_delta', { type: 'message_delta', delta: { stop_reason: message.stopReason, stop_sequence: null }, usage: { output_tokens: message.outputTokens } }),
    sse('message_stop', { type: 'message_stop' })];
  return { head: parts.join(''), tail: tail.join('') };
}
