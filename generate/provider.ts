/**
 * The model provider: one completion per call, with transient failures retried here so they can be
 * reported and never mistaken for a failed generation attempt.
 */
import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
} from '@anthropic-ai/sdk';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { Codes, JauntError } from '../core/errors';

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  /** Spec name, for diagnostics and retry reports. */
  spec: string;
  system: string;
  /** The first user message (it carries the `Spec: <name>` line). */
  user: string;
  /** Turns after `user`, oldest first: a failed attempt's answer and the feedback on it. */
  messages?: ChatTurn[];
}

export interface Completion {
  /** All text blocks, concatenated. */
  text: string;
  inputTokens: number;
  outputTokens: number;
  model: string;
  /** Why the model stopped, e.g. "end_turn" or "max_tokens" (a truncated answer). */
  stopReason?: string;
}

export interface Provider {
  complete(req: CompletionRequest, signal?: AbortSignal): Promise<Completion>;
}

export interface RetryInfo {
  spec: string;
  /** 1 for the first retry. */
  attempt: number;
  waitMs: number;
  reason: string;
}

export interface AnthropicProviderOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  maxTokens: number;
  /**
   * Accepted for config compatibility but not sent: API version 2026-10-21 (the pinned SDK's)
   * has no `temperature` parameter, and an unknown field risks a 400.
   */
  temperature: number;
  /** Deadline for one HTTP request, body included. */
  timeoutMs: number;
  /** Retries of transient failures (429, 529, 5xx, connection, timeout, garbled reply). */
  retries: number;
  onRetry?: (info: RetryInfo) => void;
  /** Injected by tests to avoid real waits. */
  sleep?: (ms: number) => Promise<void>;
}

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
/** A server may ask for long waits; past this we would rather fail and let the user rerun. */
const RETRY_AFTER_CAP_MS = 60_000;
const REDACTED = '[redacted]';

/** Fragments of the key this long or longer are redacted too ("key ending in …9f8e7d"). */
const SECRET_FRAGMENT = 8;

/**
 * Replaces every occurrence of `secret` (raw or URL-encoded) in `text`, and every stretch of text made of
 * runs of SECRET_FRAGMENT or more consecutive characters of it: servers echo parts of keys, too.
 */
export function redactSecret(text: string, secret: string): string {
  if (secret === '') return text;
  let out = text.split(secret).join(REDACTED);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  if (secret.length < SECRET_FRAGMENT) return out;
  const covered = new Uint8Array(out.length);
  for (let i = 0; i + SECRET_FRAGMENT <= secret.length; i++) {
    const piece = secret.slice(i, i + SECRET_FRAGMENT);
    for (let at = out.indexOf(piece); at >= 0; at = out.indexOf(piece, at + 1)) covered.fill(1, at, at + SECRET_FRAGMENT);
  }
  if (!covered.includes(1)) return out;
  let result = '';
  for (let i = 0; i < out.length; i++) {
    if (!covered[i]) result += out[i];
    else if (i === 0 || !covered[i - 1]) result += REDACTED;
  }
  return result;
}

/** Exponential backoff with equal jitter: half fixed, half random, so waits never collapse to 0. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry);
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** The wait a response asks for via `retry-after-ms` or `retry-after` (seconds or HTTP date), capped. */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const parse = (): number | undefined => {
    const ms = headers.get('retry-after-ms');
    if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Number(ms);
    const after = headers.get('retry-after');
    if (after === null || after.trim() === '') return undefined;
    if (Number.isFinite(Number(after))) return Number(after) * 1000;
    const date = Date.parse(after);
    return Number.isNaN(date) ? undefined : date - now;
  };
  const wait = parse();
  return wait === undefined || wait < 0 ? undefined : Math.min(wait, RETRY_AFTER_CAP_MS);
}

type Failure =
  | { retryable: false; code: number; message: string }
  | { retryable: true; reason: string; waitMs: number | undefined };

/** "429 rate_limit_error: slow down", from whatever parts of an API error are present. */
function describeStatus(err: APIError): string {
  const parts = [String(err.status), err.type ?? ''].filter((p) => p !== '').join(' ');
  // A non-JSON body (say a proxy's HTML page) reaches us only inside the SDK's message, after the status.
  const raw = err.error === undefined ? err.message.replace(/^\d+\s*/, '').slice(0, 200) : '';
  const msg = err.apiMessage ?? raw;
  return msg && !msg.startsWith('status code') ? `${parts}: ${msg}` : parts;
}

/** Our own deadline passed (the SDK reports that abort as a user abort, so we tag it). */
class DeadlineExceeded extends Error {}

/** A 200 whose body is not a Messages API message. */
class MalformedReply extends Error {}

function classify(err: unknown, timeoutMs: number): Failure {
  if (err instanceof DeadlineExceeded || err instanceof APIConnectionTimeoutError) {
    return { retryable: true, reason: `request timed out after ${timeoutMs} ms`, waitMs: undefined };
  }
  if (err instanceof APIConnectionError) {
    const detail = messageOf(err.cause);
    const cause = detail ? `: ${detail}` : '';
    return { retryable: true, reason: `connection failed${cause}`, waitMs: undefined };
  }
  if (err instanceof APIError && err.status !== undefined) {
    const what = describeStatus(err);
    const status = err.status;
    if (status === 401 || status === 403) {
      return { retryable: false, code: Codes.ProviderAuth, message: `Anthropic API refused the credentials (${what}); check ANTHROPIC_API_KEY` };
    }
    if (status === 429 || status === 408 || status >= 500) {
      return { retryable: true, reason: what, waitMs: retryAfterMs(err.headers) };
    }
    return { retryable: false, code: Codes.ProviderRequest, message: `Anthropic API rejected the request (${what})` };
  }
  // The SDK lets the JSON parse error of a garbled 200 body through as-is.
  if (err instanceof MalformedReply || record(err)?.name === 'SyntaxError') {
    return { retryable: true, reason: `malformed response: ${messageOf(err)}`, waitMs: undefined };
  }
  const message = messageOf(err) || String(err);
  return { retryable: false, code: Codes.ProviderRequest, message: `Anthropic API call failed: ${message}` };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** An error's message without instanceof: fetch's errors can come from another realm (e.g. under jest). */
function messageOf(err: unknown): string {
  const m = record(err)?.message;
  return typeof m === 'string' ? m : '';
}

/** Reads a Message defensively: a proxy or a broken server can send anything with a 200. */
function toCompletion(body: unknown, fallbackModel: string): Completion {
  const msg = record(body);
  const content = msg?.content;
  const usage = record(msg?.usage);
  if (!Array.isArray(content) || !usage) throw new MalformedReply('body is not a Messages API message');
  const text = content
    .map((b: unknown) => {
      const block = record(b);
      return block?.type === 'text' && typeof block.text === 'string' ? block.text : '';
    })
    .join('');
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    text,
    inputTokens: num(usage.input_tokens),
    outputTokens: num(usage.output_tokens),
    model: typeof msg?.model === 'string' ? msg.model : fallbackModel,
    stopReason: typeof msg?.stop_reason === 'string' ? msg.stop_reason : undefined,
  };
}

/** Rejects with the caller's abort reason as soon as `signal` aborts, else waits via `sleep`. */
function waitUnlessAborted(ms: number, sleep: (ms: number) => Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    sleep(ms).then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

export function createAnthropicProvider(o: AnthropicProviderOptions): Provider {
  // maxRetries 0: the loop below owns retries so it can report them and honour our caps.
  const client = new Anthropic({ apiKey: o.apiKey, baseURL: o.baseURL, maxRetries: 0, timeout: o.timeoutMs });
  const sleep = o.sleep ?? ((ms: number) => sleepFor(ms));
  const redact = (s: string): string => redactSecret(s, o.apiKey);

  const once = async (req: CompletionRequest, signal: AbortSignal | undefined): Promise<Completion> => {
    // The SDK's timeout stops once headers arrive, so a deadline of our own covers a stalled body too.
    const deadline = new AbortController();
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      deadline.abort();
    }, o.timeoutMs);
    const forward = (): void => deadline.abort();
    signal?.addEventListener('abort', forward, { once: true });
    try {
      const message = await client.messages.create(
        {
          model: o.model,
          max_tokens: o.maxTokens,
          ...(req.system !== '' ? { system: req.system } : {}),
          messages: [{ role: 'user', content: req.user }, ...(req.messages ?? [])],
        },
        { signal: deadline.signal, timeout: o.timeoutMs },
      );
      return toCompletion(message, o.model);
    } catch (err) {
      throw expired && !signal?.aborted ? new DeadlineExceeded() : err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    }
  };

  return {
    async complete(req, signal) {
      for (let retry = 0; ; retry++) {
        if (signal?.aborted) throw signal.reason;
        try {
          return await once(req, signal);
        } catch (err) {
          // A caller's abort is not a provider failure: hand back its reason untouched.
          if (signal?.aborted) throw signal.reason;
          const failure = classify(err, o.timeoutMs);
          if (!failure.retryable) throw new JauntError(failure.code, redact(failure.message), undefined, req.spec);
          if (retry >= o.retries) {
            const times = o.retries === 1 ? '1 retry' : `${o.retries} retries`;
            const msg = `Anthropic API unavailable after ${times}: ${failure.reason}`;
            throw new JauntError(Codes.ProviderUnavailable, redact(msg), undefined, req.spec);
          }
          const waitMs = failure.waitMs ?? backoffMs(retry);
          o.onRetry?.({ spec: req.spec, attempt: retry + 1, waitMs, reason: redact(failure.reason) });
          await waitUnlessAborted(waitMs, sleep, signal);
        }
      }
    },
  };
}
