/**
 * Any OpenAI-compatible Chat Completions server (OpenAI, or a local or hosted server that speaks the same
 * API) through the official `openai` SDK. Key from OPENAI_API_KEY, endpoint from OPENAI_BASE_URL or the
 * plugin's `baseURL` (config/endpoint.ts decides which). Such servers cache repeated prompt prefixes on their
 * own, so the conversation needs no markers: the stable part simply comes first.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { PROVIDERS } from '../../config/providers';
import { limitedFetch } from '../http-body';
import { MAX_REPLY_BYTES, MAX_REPLY_CHARS } from '../reply-limits';
import { IDLE_TIMEOUT_MS, retryingProvider, type Provider, type ProviderOptions, type Wire } from '../provider';
import { sdkFailure, type SdkFailureRules } from './sdk-failure';
import { ChatStreamError, readChatCompletion } from './openai-reply';

/** Error types worth another try when they arrive inside a 200 stream. */
const RETRYABLE_STREAM_ERRORS = new Set(['server_error', 'rate_limit_exceeded', 'rate_limit_error', 'overloaded_error', 'timeout', 'api_error']);

/** "429 rate_limit_exceeded: slow down", from whatever parts of an API error are present. */
function describeStatus(err: APIError): string {
  const body = err.error as { message?: unknown } | undefined;
  const kind = err.type ?? (typeof err.code === 'string' ? err.code : '');
  const parts = [String(err.status), kind].filter((p) => p !== '').join(' ');
  const msg = typeof body?.message === 'string' ? body.message : err.error === undefined ? err.message.replace(/^\d+\s*/, '').slice(0, 200) : '';
  return msg && !msg.startsWith('status code') ? `${parts}: ${msg}` : parts;
}

/** How this SDK's errors read (generate/providers/sdk-failure.ts). */
const FAILURES: SdkFailureRules<APIError> = {
  errors: { timeout: APIConnectionTimeoutError, connection: APIConnectionError, api: APIError, stream: ChatStreamError },
  status: (err) => ({ status: err.status, headers: err.headers }),
  describe: describeStatus,
  retryableStream: RETRYABLE_STREAM_ERRORS,
};

export function createOpenAIProvider(o: ProviderOptions): Provider {
  const info = PROVIDERS.openai;
  const idle = o.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  const client = new OpenAI({
    apiKey: o.apiKey, baseURL: o.baseURL ?? info.defaultEndpoint, maxRetries: 0, timeout: o.timeoutMs, logLevel: 'off',
    fetch: limitedFetch({ maxBytes: o.maxReplyBytes ?? MAX_REPLY_BYTES, idleMs: idle < o.timeoutMs ? idle : undefined }),
  });
  // OpenAI's own newer models refuse `max_tokens`; most other servers know only `max_tokens`.
  const ownApi = new URL(client.baseURL).hostname === 'api.openai.com';
  const wire: Wire = {
    label: info.label,
    keyEnv: info.keyEnv,
    baseURL: client.baseURL,
    async send(req, t, signal) {
      const room = req.maxTokens ?? o.maxTokens;
      const response = await client.chat.completions.create(
        {
          model: o.model,
          ...(ownApi ? { max_completion_tokens: room } : { max_tokens: room }),
          messages: [
            ...(req.system !== '' ? [{ role: 'system' as const, content: req.system }] : []),
            { role: 'user', content: req.user },
            ...(req.messages ?? []),
          ],
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal, timeout: t.headersMs },
      ).asResponse();
      return readChatCompletion(response, o.model, o.maxReplyChars ?? MAX_REPLY_CHARS);
    },
    classify: (err, t) => sdkFailure(FAILURES, wire, err, t),
  };
  return retryingProvider(o, wire);
}
