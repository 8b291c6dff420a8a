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
import { CircuitBreaker, describeEndpoint } from './circuit-breaker';
import { BodyStalled, BodyTooLarge, limitedFetch } from './http-body';
import { MalformedReply, ReplyTooLong, StreamErrorEvent, readCompletion, record, type Completion } from './read-reply';
import { MAX_REPLY_BYTES, MAX_REPLY_CHARS } from './reply-limits';

import { backoffMs, redactSecret, redactUrls, retryAfterMs } from './retry-policy';

export type { Completion } from './read-reply';
export { backoffMs, redactSecret, redactUrls, retryAfterMs } from './retry-policy';

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
  /** Output room for this request; defaults to the provider's maxTokens (the engine raises it after a cut-off). */
  maxTokens?: number;
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
  /** Deadline for one HTTP request, body included (scaled up with a request's extra maxTokens). */
  timeoutMs: number;
  /** Deadline for the response headers; the reply streams, so a live endpoint sends them at once. */
  headersTimeoutMs?: number;
  /** Longest silence inside a streaming body. */
  idleTimeoutMs?: number;
  /** Retries of transient failures (429, 529, 5xx, connection, timeout, garbled reply). */
  retries: number;
  onRetry?: (info: RetryInfo) => void;
  /**
   * Shared by every request of a run, so consecutive transport failures across all specs trip it; the
   * provider makes its own (BREAKER_THRESHOLD) when none is given.
   */
  breaker?: CircuitBreaker;
  /** Raw body bytes and reply characters read per response (MAX_REPLY_BYTES, MAX_REPLY_CHARS). */
  maxReplyBytes?: number;
  maxReplyChars?: number;
  /** Injected by tests to avoid real waits. */
  sleep?: (ms: number) => Promise<void>;
}

/** A streaming endpoint sends headers within a second or two; a dead one never does. */
export const HEADERS_TIMEOUT_MS = 30_000;
/** The API sends pings while the model thinks; a minute of silence mid-reply is a dead connection. */
export const IDLE_TIMEOUT_MS = 60_000;

type Failure =
  | { kind: 'fatal'; code: number; message: string }
  /** The answer arrived but cannot be used: a failed attempt, not a provider fault. */
  | { kind: 'reply'; code: number; message: string }
  /** `transport`: no usable answer came back at all, which is what the circuit breaker counts. */
  | { kind: 'retry'; reason: string; waitMs: number | undefined; transport: boolean };

/** API error types worth another try when they arrive inside a 200 stream. */
const RETRYABLE_STREAM_ERRORS = new Set(['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error']);
/** Statuses that say "the gateway has nothing behind it": they count toward the breaker like a timeout. */
const GATEWAY_STATUSES = new Set([408, 502, 503, 504]);

/** "429 rate_limit_error: slow down", from whatever parts of an API error are present. */
function describeStatus(err: APIError): string {
  const parts = [String(err.status), err.type ?? ''].filter((p) => p !== '').join(' ');
  // A non-JSON body (say a proxy's HTML page) reaches us only inside the SDK's message, after the status.
  const raw = err.error === undefined ? err.message.replace(/^\d+\s*/, '').slice(0, 200) : '';
  const msg = err.apiMessage ?? raw;
  return msg && !msg.startsWith('status code') ? `${parts}: ${msg}` : parts;
}

/** Our own deadline passed (the SDK reports that abort as a user abort, so we tag it). */
class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`request timed out after ${ms} ms`);
  }
}

interface Timing {
  headersMs: number;
  totalMs: number;
}

function classify(err: unknown, t: Timing): Failure {
  if (err instanceof DeadlineExceeded) return { kind: 'retry', reason: err.message, waitMs: undefined, transport: true };
  if (err instanceof APIConnectionTimeoutError) {
    const reason = t.headersMs < t.totalMs ? `no response within ${t.headersMs} ms` : `request timed out after ${t.totalMs} ms`;
    return { kind: 'retry', reason, waitMs: undefined, transport: true };
  }
  if (err instanceof BodyStalled) return { kind: 'retry', reason: err.message, waitMs: undefined, transport: true };
  if (err instanceof BodyTooLarge || err instanceof ReplyTooLong) {
    return { kind: 'reply', code: Codes.ReplyTooLarge, message: `reply rejected: ${err.message}` };
  }
  if (err instanceof APIConnectionError) {
    const detail = messageOf(err.cause);
    const cause = detail ? `: ${detail}` : '';
    return { kind: 'retry', reason: `connection failed${cause}`, waitMs: undefined, transport: true };
  }
  if (err instanceof APIError && err.status !== undefined) {
    const what = describeStatus(err);
    const status = err.status;
    if (status === 401 || status === 403) {
      return { kind: 'fatal', code: Codes.ProviderAuth, message: `Anthropic API refused the credentials (${what}); check ANTHROPIC_API_KEY` };
    }
    if (status === 429 || status === 408 || status >= 500) {
      return { kind: 'retry', reason: what, waitMs: retryAfterMs(err.headers), transport: GATEWAY_STATUSES.has(status) };
    }
    return { kind: 'fatal', code: Codes.ProviderRequest, message: `Anthropic API rejected the request (${what})` };
  }
  if (err instanceof StreamErrorEvent) {
    if (RETRYABLE_STREAM_ERRORS.has(err.type)) return { kind: 'retry', reason: `${err.message} (during the reply)`, waitMs: undefined, transport: false };
    return { kind: 'fatal', code: Codes.ProviderRequest, message: `Anthropic API rejected the request (${err.message})` };
  }
  // The JSON parse error of a garbled body may come from another realm (fetch's, under jest): match by name.
  if (err instanceof MalformedReply || record(err)?.name === 'SyntaxError') {
    return { kind: 'retry', reason: `malformed response: ${messageOf(err)}`, waitMs: undefined, transport: true };
  }
  const message = messageOf(err) || String(err);
  return { kind: 'fatal', code: Codes.ProviderRequest, message: `Anthropic API call failed: ${message}` };
}

/** An error's message without instanceof: fetch's errors can come from another realm (e.g. under jest). */
function messageOf(err: unknown): string {
  const m = record(err)?.message;
  return typeof m === 'string' ? m : '';
}

/** Waits `ms` via `sleep`, or rejects with the reason of the first of `signals` to abort. */
function waitUnlessAborted(ms: number, sleep: (ms: number) => Promise<void>, signals: AbortSignal[]): Promise<void> {
  const aborted = signals.find((s) => s.aborted);
  if (aborted) return Promise.reject(aborted.reason);
  return new Promise<void>((resolve, reject) => {
    const listeners = signals.map((s) => [s, (): void => reject(s.reason)] as const);
    const done = (): void => listeners.forEach(([s, l]) => s.removeEventListener('abort', l));
    listeners.forEach(([s, l]) => s.addEventListener('abort', l, { once: true }));
    sleep(ms).then(() => (done(), resolve()), (err: unknown) => (done(), reject(err)));
  });
}

export function createAnthropicProvider(o: AnthropicProviderOptions): Provider {
  const maxBytes = o.maxReplyBytes ?? MAX_REPLY_BYTES;
  const idle = o.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  // maxRetries 0: the loop below owns retries so it can report them and honour our caps.
  const client = new Anthropic({
    apiKey: o.apiKey, baseURL: o.baseURL, maxRetries: 0, timeout: o.timeoutMs, logLevel: 'off',
    fetch: limitedFetch({ maxBytes, idleMs: idle < o.timeoutMs ? idle : undefined }),
  });
  const sleep = o.sleep ?? ((ms: number) => sleepFor(ms));
  const redact = (s: string): string => redactSecret(redactUrls(s), o.apiKey);
  const breaker = o.breaker ?? new CircuitBreaker({ endpoint: redact(describeEndpoint(client.baseURL)) });

  const timing = (req: CompletionRequest): Timing => {
    // More room takes longer to write: the deadline grows with it.
    const totalMs = Math.round(o.timeoutMs * Math.max(1, (req.maxTokens ?? o.maxTokens) / o.maxTokens));
    return { totalMs, headersMs: Math.min(o.headersTimeoutMs ?? HEADERS_TIMEOUT_MS, totalMs) };
  };

  const once = async (req: CompletionRequest, t: Timing, signal: AbortSignal | undefined): Promise<Completion> => {
    // The SDK's timeout stops once headers arrive, so a deadline of our own covers the body too.
    const deadline = new AbortController();
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      deadline.abort();
    }, t.totalMs);
    const forward = (): void => deadline.abort();
    signal?.addEventListener('abort', forward, { once: true });
    breaker.signal.addEventListener('abort', forward, { once: true });
    try {
      const response = await client.messages.create(
        {
          model: o.model,
          max_tokens: req.maxTokens ?? o.maxTokens,
          ...(req.system !== '' ? { system: req.system } : {}),
          messages: [{ role: 'user', content: req.user }, ...(req.messages ?? [])],
          stream: true,
        },
        { signal: deadline.signal, timeout: t.headersMs },
      ).asResponse();
      return await readCompletion(response, o.model, o.maxReplyChars ?? MAX_REPLY_CHARS);
    } catch (err) {
      throw expired && !signal?.aborted ? new DeadlineExceeded(t.totalMs) : err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
      breaker.signal.removeEventListener('abort', forward);
      // Frees the connection when reading stopped early; a no-op after a whole body.
      deadline.abort();
    }
  };

  return {
    async complete(req, signal) {
      const t = timing(req);
      for (let retry = 0; ; retry++) {
        if (signal?.aborted) throw signal.reason;
        breaker.check(req.spec);
        let failure: Failure;
        try {
          const completion = await once(req, t, signal);
          breaker.answered();
          return completion;
        } catch (err) {
          // A caller's abort is not a provider failure: hand back its reason untouched.
          if (signal?.aborted) throw signal.reason;
          // Tripped by another spec while this request was in flight.
          breaker.check(req.spec);
          failure = classify(err, t);
        }
        if (failure.kind === 'retry' && failure.transport) breaker.failed(req.spec, redact(failure.reason));
        else breaker.answered();
        breaker.check(req.spec);
        if (failure.kind !== 'retry') throw new JauntError(failure.code, redact(failure.message), undefined, req.spec);
        if (retry >= o.retries) {
          const times = o.retries === 1 ? '1 retry' : `${o.retries} retries`;
          const msg = `Anthropic API unavailable after ${times}: ${failure.reason} (endpoint ${describeEndpoint(client.baseURL)}; check that it is up and reachable, or build again later)`;
          throw new JauntError(Codes.ProviderUnavailable, redact(msg), undefined, req.spec);
        }
        const waitMs = failure.waitMs ?? backoffMs(retry);
        o.onRetry?.({ spec: req.spec, attempt: retry + 1, waitMs, reason: redact(failure.reason) });
        try {
          await waitUnlessAborted(waitMs, sleep, signal ? [signal, breaker.signal] : [breaker.signal]);
        } catch (err) {
          if (!signal?.aborted) breaker.check(req.spec);
          throw err;
        }
      }
    },
  };
}
