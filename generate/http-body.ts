/**
 * Reads a response body through a byte cap and an idle deadline. The SDK's own timeout stops once the
 * headers arrive, and it reads whatever size a body is; a hostile or broken endpoint gets neither.
 */
import { formatBytes } from './reply-limits';

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the response body is over the ${formatBytes(limit)} limit`);
    this.name = 'BodyTooLarge';
  }
}

export class BodyStalled extends Error {
  constructor(readonly ms: number) {
    super(`the response stalled: no data for ${ms} ms`);
    this.name = 'BodyStalled';
  }
}

export interface BodyLimits {
  maxBytes: number;
  /** Longest gap between two chunks; undefined for none (the caller's overall deadline still applies). */
  idleMs?: number;
}

/** `response` with its body read through `limits`; errors surface to whoever reads the body. */
export function limitBody(response: Response, limits: BodyLimits): Response {
  const source = response.body;
  if (!source) return response;
  const reader = source.getReader();
  let seen = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = limits.idleMs === undefined ? undefined : new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new BodyStalled(limits.idleMs!)), limits.idleMs);
      });
      try {
        const chunk = await (stalled ? Promise.race([reader.read(), stalled]) : reader.read());
        if (chunk.done) return controller.close();
        seen += chunk.value.byteLength;
        if (seen > limits.maxBytes) throw new BodyTooLarge(limits.maxBytes);
        controller.enqueue(chunk.value);
      } catch (err) {
        // Frees the socket: nothing more of this body will be read.
        reader.cancel().catch(() => undefined);
        controller.error(err);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** A fetch whose every response body is read through `limits`. */
export function limitedFetch(limits: BodyLimits, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => limitBody(await base(input, init), limits);
}
