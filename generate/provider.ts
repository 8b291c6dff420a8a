/**
 * The model provider: one completion per call, with transient failures retried here so they can be
 * reported and never mistaken for a failed generation attempt. What is common to every provider lives
 * here (deadlines, retries, the circuit breaker, redaction); each provider's wire format and SDK live in
 * generate/providers/<id>.ts.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { Codes, JauntError } from '../core/errors';
import { CircuitBreaker, describeEndpoint } from './circuit-breaker';
import { BodyStalled, BodyTooLarge } from './http-body';
import { MalformedReply, ReplyTooLong, record, type Completion } from './read-reply';
import { backoffMs, redactSecret, redactUrls, retryAfterMs } from './retry-policy';

export type { Completion } from './read-reply';
export { backoffMs, redactSecret, redactUrls, retryAfterMs } from './retry-policy';
export { createAnthropicProvider } from './providers/anthropic';

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  /** Spec name, for diagnostics and retry reports. */
  spec: string;
  system: string;
  /** The first user message (it carries the `Spec: <name>` line). Stable across a spec's attempts. */
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

/** What every provider is built from. */
export interface ProviderOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  maxTokens: number;
  /**
   * Accepted for config compatibility. Anthropic's pinned API version has no `temperature` parameter, so
   * it is not sent there; OpenAI-compatible servers get it.
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

/** Kept for callers written before there was more than one provider. */
export type AnthropicProviderOptions = ProviderOptions;

/** A streaming endpoint sends headers within a second or two; a dead one never does. */
export const HEADERS_TIMEOUT_MS = 30_000;
/** The API sends pings while the model thinks; a minute of silence mid-reply is a dead connection. */
export const IDLE_TIMEOUT_MS = 60_000;

export type Failure =
  | { kind: 'fatal'; code: number; message: string }
  /** The answer arrived but cannot be used: a failed attempt, not a provider fault. */
  | { kind: 'reply'; code: number; message: string }
  /** `transport`: no usable answer came back at all, which is what the circuit breaker counts. */
  | { kind: 'retry'; reason: string; waitMs: number | undefined; transport: boolean };

export interface Timing {
  headersMs: number;
  totalMs: number;
}

/** Statuses that say "the gateway has nothing behind it": they count toward the breaker like a timeout. */
const GATEWAY_STATUSES = new Set([408, 502, 503, 504]);

/** One provider's wire: its SDK call and the errors only it knows. */
export interface Wire {
  /** How messages name the service: `Anthropic API`. */
  label: string;
  /** The environment variable of the key, for the "refused the credentials" hint. */
  keyEnv: string;
  /** The endpoint as the SDK resolved it. */
  baseURL: string;
  /** One request; `signal` aborts it (our deadline, the caller, or the breaker). */
  send(req: CompletionRequest, t: Timing, signal: AbortSignal): Promise<Completion>;
  /** This SDK's errors as failures; undefined for errors it does not know (handled in common). */
  classify(err: unknown, t: Timing): Failure | undefined;
}

/** The failure for an HTTP error status, the same for every provider. */
export function statusFailure(wire: Pick<Wire, 'label' | 'keyEnv'>, status: number, what: string, headers: Headers | undefined): Failure {
  if (status === 401 || status === 403) {
    return { kind: 'fatal', code: Codes.ProviderAuth, message: `${wire.label} refused the credentials (${what}); check ${wire.keyEnv}` };
  }
  if (status === 429 || status === 408 || status >= 500) {
    return { kind: 'retry', reason: what, waitMs: retryAfterMs(headers), transport: GATEWAY_STATUSES.has(status) };
  }
  return { kind: 'fatal', code: Codes.ProviderRequest, message: `${wire.label} rejected the request (${what})` };
}

/** Our own deadline passed (the SDKs report that abort as a user abort, so we tag it). */
class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`request timed out after ${ms} ms`);
  }
}

/** An error's message without instanceof: fetch's errors can come from another realm (e.g. under jest). */
export function messageOf(err: unknown): string {
  const m = record(err)?.message;
  return typeof m === 'string' ? m : '';
}

function classify(wire: Wire, err: unknown, t: Timing): Failure {
  if (err instanceof DeadlineExceeded) return { kind: 'retry', reason: err.message, waitMs: undefined, transport: true };
  if (err instanceof BodyStalled) return { kind: 'retry', reason: err.message, waitMs: undefined, transport: true };
  if (err instanceof BodyTooLarge || err instanceof ReplyTooLong) {
    return { kind: 'reply', code: Codes.ReplyTooLarge, message: `reply rejected: ${err.message}` };
  }
  const known = wire.classify(err, t);
  if (known) return known;
  // The JSON parse error of a garbled body may come from another realm (fetch's, under jest): match by name.
  if (err instanceof MalformedReply || record(err)?.name === 'SyntaxError') {
    return { kind: 'retry', reason: `malformed response: ${messageOf(err)}`, waitMs: undefined, transport: true };
  }
  const message = messageOf(err) || String(err);
  return { kind: 'fatal', code: Codes.ProviderRequest, message: `${wire.label} call failed: ${message}` };
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

/** A provider over `wire`: deadlines, retries with backoff, the breaker, and redaction of every message. */
export function retryingProvider(o: ProviderOptions, wire: Wire): Provider {
  const sleep = o.sleep ?? ((ms: number) => sleepFor(ms));
  const redact = (s: string): string => redactSecret(redactUrls(s), o.apiKey);
  const breaker = o.breaker ?? new CircuitBreaker({ endpoint: redact(describeEndpoint(wire.baseURL)), label: wire.label });

  const timing = (req: CompletionRequest): Timing => {
    // More room takes longer to write: the deadline grows with it.
    const totalMs = Math.round(o.timeoutMs * Math.max(1, (req.maxTokens ?? o.maxTokens) / o.maxTokens));
    return { totalMs, headersMs: Math.min(o.headersTimeoutMs ?? HEADERS_TIMEOUT_MS, totalMs) };
  };

  const once = async (req: CompletionRequest, t: Timing, signal: AbortSignal | undefined): Promise<Completion> => {
    // The SDKs' timeouts stop once headers arrive, so a deadline of our own covers the body too.
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
      return await wire.send(req, t, deadline.signal);
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
          failure = classify(wire, err, t);
        }
        if (failure.kind === 'retry' && failure.transport) breaker.failed(req.spec, redact(failure.reason));
        else breaker.answered();
        breaker.check(req.spec);
        if (failure.kind !== 'retry') throw new JauntError(failure.code, redact(failure.message), undefined, req.spec);
        if (retry >= o.retries) {
          const times = o.retries === 1 ? '1 retry' : `${o.retries} retries`;
          const msg = `${wire.label} unavailable after ${times}: ${failure.reason} (endpoint ${describeEndpoint(wire.baseURL)}; check that it is up and reachable, or build again later)`;
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
