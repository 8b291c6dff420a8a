/** How long to wait before a retry, and what of a provider error may be shown (never the key). */

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

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;

/**
 * URLs in `text` without their user info and query values: an error naming the request URL (undici's do)
 * must not print a gateway's `https://user:token@host/?key=…`.
 */
export function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (raw) => {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return raw;
    }
    if (!u.username && !u.password && !u.search) return raw;
    const query = u.search ? `?${REDACTED}` : '';
    return `${u.protocol}//${u.username || u.password ? `${REDACTED}@` : ''}${u.host}${u.pathname}${query}${u.hash}`;
  });
}
