/**
 * Bounds on what a model reply may cost us. A reply past one of them is a failed attempt with a clear
 * message, never a cache entry, and never fed back whole into the next prompt.
 */

/** Raw HTTP body read per response (JSON, event stream or error page): a hostile endpoint cannot fill memory. */
export const MAX_REPLY_BYTES = 8 * 1024 * 1024;

/** Text of one reply. A 32k-token answer is ~130 KB, so this leaves ample room for prose around the code. */
export const MAX_REPLY_CHARS = 1024 * 1024;

/** The implementation taken from a reply (UTF-8 bytes): the most a cache entry's body can be. */
export const MAX_CODE_BYTES = 256 * 1024;

/** The most room a reply cut off at max_tokens is given on its one retry: twice maxTokens, up to this. */
export const MAX_TOKENS_CEILING = 32_768;

/** A rejected candidate longer than this is cut before it goes back to the model with the errors. */
export const MAX_FEEDBACK_CHARS = 16 * 1024;

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} bytes`;
}

/** The room for the retry of a truncated reply, or undefined when there is no more to give. */
export function moreRoom(maxTokens: number): number | undefined {
  const next = Math.min(maxTokens * 2, Math.max(MAX_TOKENS_CEILING, maxTokens));
  return next > maxTokens ? next : undefined;
}

/** What of a rejected candidate goes back into the next prompt: all of it, or its head and a note. */
export function feedbackCandidate(candidate: string): string {
  if (candidate.length <= MAX_FEEDBACK_CHARS) return candidate;
  const cut = candidate.length - MAX_FEEDBACK_CHARS;
  return `${candidate.slice(0, MAX_FEEDBACK_CHARS)}\n// … ${cut} more characters omitted`;
}
