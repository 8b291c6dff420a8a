/**
 * One breaker per generation run: once the endpoint has failed to answer BREAKER_THRESHOLD requests in a
 * row (across all specs), the run stops asking it. Without it, a gateway that accepts connections and never
 * answers costs every spec its full timeout and retries: hours for a large project.
 */
import { Codes, JauntError } from '../core/errors';

/** Two waves of failures at the default concurrency of 4: one blip does not trip it, a dead endpoint does. */
export const BREAKER_THRESHOLD = 8;

export interface BreakerOptions {
  /** The endpoint as shown to users: credentials already removed (see describeEndpoint). */
  endpoint: string;
  /** How messages name the service; `Anthropic API` when not given. */
  label?: string;
  /** The environment variable the endpoint comes from, for the "check" hint. */
  baseUrlEnv?: string;
  threshold?: number;
  /** Called once, when the breaker trips, with the whole explanation. */
  onOpen?: (message: string) => void;
}

export class CircuitBreaker {
  private streak = 0;
  private last = '';
  private tripped: { by: string; message: string } | undefined;
  private readonly controller = new AbortController();
  readonly threshold: number;

  constructor(private readonly o: BreakerOptions) {
    this.threshold = o.threshold ?? BREAKER_THRESHOLD;
  }

  /** Aborts when the breaker trips, so requests in flight stop waiting for an endpoint known to be dead. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private get label(): string {
    return this.o.label ?? 'Anthropic API';
  }

  get isOpen(): boolean {
    return this.tripped !== undefined;
  }

  /** The endpoint answered (any HTTP answer that is not a gateway's "nothing behind me"): it is alive. */
  answered(): void {
    if (!this.tripped) this.streak = 0;
  }

  /** A request got no usable answer: refused, reset, timed out, stalled, garbled, or 502/503/504. */
  failed(spec: string, reason: string): void {
    if (this.tripped) return;
    this.streak++;
    this.last = reason;
    if (this.streak < this.threshold) return;
    const message = `the ${this.label} at ${this.o.endpoint} is not answering: ${this.threshold} requests in a row failed ` +
      `(last: ${this.last}). Jaunt stopped sending requests for this build. Check the network and that ${this.o.endpoint} ` +
      `is up (it comes from the baseURL option or ${this.o.baseUrlEnv ?? 'ANTHROPIC_BASE_URL'}), then build again`;
    this.tripped = { by: spec, message };
    this.o.onOpen?.(message);
    this.controller.abort();
  }

  /** Throws the open breaker's error for `spec`; does nothing while it is closed. */
  check(spec: string): void {
    const error = this.errorFor(spec);
    if (error) throw error;
  }

  /** The whole explanation for the spec that tripped it, and a pointer to that spec for every other. */
  errorFor(spec: string): JauntError | undefined {
    if (!this.tripped) return undefined;
    const message = spec === this.tripped.by ? this.tripped.message
      : `not attempted: the ${this.label} at ${this.o.endpoint} is not answering (JAUNT${Codes.EndpointDown} for spec '${this.tripped.by}' says more)`;
    return new JauntError(Codes.EndpointDown, message, undefined, spec);
  }
}

/**
 * The endpoint as it may be printed: scheme, host, port and path. User info and the query string are
 * dropped, since gateways carry credentials there (`https://user:token@gw/`, `?key=…`).
 */
export function describeEndpoint(baseURL: string): string {
  try {
    const u = new URL(baseURL);
    const pathname = u.pathname === '/' ? '' : u.pathname.replace(/\/+$/, '');
    return `${u.protocol}//${u.host}${pathname}`;
  } catch {
    return 'the configured base URL (it does not parse as a URL)';
  }
}
