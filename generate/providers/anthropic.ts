/**
 * Anthropic's Messages API through @anthropic-ai/sdk: a streamed reply, read with our own limits. The
 * stable part of the conversation (the system prompt and the first user message, the same on every attempt
 * of a spec) is marked for prompt caching, so a repair turn pays for it at the cache-read rate.
 */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { PROVIDERS } from '../../config/providers';
import { limitedFetch } from '../http-body';
import { StreamErrorEvent, readCompletion } from '../read-reply';
import { MAX_REPLY_BYTES, MAX_REPLY_CHARS } from '../reply-limits';
import { IDLE_TIMEOUT_MS, retryingProvider, type Provider, type ProviderOptions, type Wire } from '../provider';
import { sdkFailure, type SdkFailureRules } from './sdk-failure';

/** API error types worth another try when they arrive inside a 200 stream. */
const RETRYABLE_STREAM_ERRORS = new Set(['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error']);

/** "429 rate_limit_error: slow down", from whatever parts of an API error are present. */
function describeStatus(err: APIError): string {
  const parts = [String(err.status), err.type ?? ''].filter((p) => p !== '').join(' ');
  // A non-JSON body (say a proxy's HTML page) reaches us only inside the SDK's message, after the status.
  const raw = err.error === undefined ? err.message.replace(/^\d+\s*/, '').slice(0, 200) : '';
  const msg = err.apiMessage ?? raw;
  return msg && !msg.startsWith('status code') ? `${parts}: ${msg}` : parts;
}

/** How this SDK's errors read (generate/providers/sdk-failure.ts). */
const FAILURES: SdkFailureRules<APIError> = {
  errors: { timeout: APIConnectionTimeoutError, connection: APIConnectionError, api: APIError, stream: StreamErrorEvent },
  status: (err) => ({ status: err.status, headers: err.headers }),
  describe: describeStatus,
  retryableStream: RETRYABLE_STREAM_ERRORS,
};

const CACHED = { type: 'ephemeral' } as const;

export function createAnthropicProvider(o: ProviderOptions): Provider {
  const info = PROVIDERS.anthropic;
  const idle = o.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  // maxRetries 0: the common loop owns retries so it can report them and honour our caps.
  const client = new Anthropic({
    apiKey: o.apiKey, baseURL: o.baseURL, maxRetries: 0, timeout: o.timeoutMs, logLevel: 'off',
    fetch: limitedFetch({ maxBytes: o.maxReplyBytes ?? MAX_REPLY_BYTES, idleMs: idle < o.timeoutMs ? idle : undefined }),
  });
  const wire: Wire = {
    label: info.label,
    keyEnv: info.keyEnv,
    baseURL: client.baseURL,
    async send(req, t, signal) {
      const response = await client.messages.create(
        {
          model: o.model,
          max_tokens: req.maxTokens ?? o.maxTokens,
          ...(req.system !== '' ? { system: req.system } : {}),
          messages: [
            // A cache breakpoint covers the prefix up to it: the system prompt and the spec's own prompt.
            { role: 'user', content: [{ type: 'text', text: req.user, cache_control: CACHED }] },
            ...(req.messages ?? []),
          ],
          stream: true,
        },
        { signal, timeout: t.headersMs },
      ).asResponse();
      return readCompletion(response, o.model, o.maxReplyChars ?? MAX_REPLY_CHARS);
    },
    classify: (err, t) => sdkFailure(FAILURES, wire, err, t),
  };
  return retryingProvider(o, wire);
}
