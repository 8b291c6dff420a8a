/**
 * How a failed request reads, for the providers built on an official SDK: both SDKs (Anthropic's and
 * OpenAI's) throw the same family of errors, so one function sorts them, given each SDK's classes.
 */
import { Codes } from '../../core/errors';
import { messageOf, statusFailure, type Failure, type Wire } from '../provider';

type ErrorClass<T> = abstract new (...args: never[]) => T;

export interface SdkErrors<A extends Error> {
  /** No answer in time (a subclass of `connection`: it is tested first). */
  timeout: ErrorClass<Error>;
  connection: ErrorClass<Error & { cause?: unknown }>;
  /** An HTTP status from the API. */
  api: ErrorClass<A>;
  /** An error event inside a 200 stream, read by our own stream reader. */
  stream: ErrorClass<Error & { type: string }>;
}

export interface SdkFailureRules<A extends Error> {
  errors: SdkErrors<A>;
  status(err: A): { status: number | undefined; headers: Parameters<typeof statusFailure>[3] };
  /** "429 rate_limit_error: slow down", from whatever parts of the error are present. */
  describe(err: A): string;
  /** Stream error types worth another try. */
  retryableStream: ReadonlySet<string>;
}

export function sdkFailure<A extends Error>(rules: SdkFailureRules<A>, wire: Wire, err: unknown, t: { headersMs: number; totalMs: number }): Failure | undefined {
  const { errors } = rules;
  if (err instanceof errors.timeout) {
    const reason = t.headersMs < t.totalMs ? `no response within ${t.headersMs} ms` : `request timed out after ${t.totalMs} ms`;
    return { kind: 'retry', reason, waitMs: undefined, transport: true };
  }
  if (err instanceof errors.connection) {
    const detail = messageOf(err.cause);
    return { kind: 'retry', reason: `connection failed${detail ? `: ${detail}` : ''}`, waitMs: undefined, transport: true };
  }
  if (err instanceof errors.api) {
    const { status, headers } = rules.status(err);
    if (status !== undefined) return statusFailure(wire, status, rules.describe(err), headers);
  }
  if (err instanceof errors.stream) {
    if (rules.retryableStream.has(err.type)) return { kind: 'retry', reason: `${err.message} (during the reply)`, waitMs: undefined, transport: false };
    return { kind: 'fatal', code: Codes.ProviderRequest, message: `${wire.label} rejected the request (${err.message})` };
  }
  return undefined;
}
