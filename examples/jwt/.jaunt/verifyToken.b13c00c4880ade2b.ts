// Jaunt cache entry: the implementation of a @jaunt spec. Review it like source and commit it.
// Editing the body is allowed: Jaunt keeps hand edits and never overwrites them without --force.
/* @jaunt-entry
 * spec: verifyToken
 * file: src/token.ts
 * hash: b13c00c4880ade2b
 * inputs: doc=e5b5e1d5 sig=1789aed5 types=c79bc034 deps=base64urlDecode:8c18f7e75dc2de2b,createToken:462ab11710c84e25
 * model: authored offline (no model)
 * tool: jaunt-ts 0.1.0
 * created: 2026-11-28T09:51:53.064Z
 * checksum: c0c1b84b817f4a49
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { base64urlDecode } from './base64url';

function decodeJsonObject(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(base64urlDecode(part)).toString('utf8'));
  } catch {
    throw new Error(`malformed token: the ${what} is not base64url-encoded JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`malformed token: the ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

export function verifyToken(token: string, secret: string, now: number = Math.floor(Date.now() / 1000)): Claims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error(`malformed token: expected 3 dot-separated parts, got ${parts.length}`);
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJsonObject(headerPart, 'header');
  const payload = decodeJsonObject(payloadPart, 'payload');
  let signature: Uint8Array;
  try {
    signature = base64urlDecode(signaturePart);
  } catch {
    throw new Error('malformed token: the signature is not base64url');
  }

  if (header.alg !== 'HS256') throw new Error(`unsupported algorithm: ${JSON.stringify(header.alg)} (only HS256 is accepted)`);

  const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${headerPart}.${payloadPart}`, 'ascii').digest();
  // timingSafeEqual throws on unequal lengths; the length of an HMAC is public, so checking it first is safe.
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw new Error('bad signature: the token was not signed with this secret, or was altered');
  }

  const { sub, iat, exp } = payload;
  if (typeof sub !== 'string' || sub === '') throw new Error('malformed token: "sub" must be a non-empty string');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new Error('malformed token: "iat" must be a finite number');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new Error('malformed token: "exp" must be a finite number');
  if (now >= exp) {
    // Date covers ±8.64e12 s; beyond that an ISO date cannot be printed.
    const when = Math.abs(exp) <= 8.64e12 ? new Date(exp * 1000).toISOString() : `${exp} s after the epoch`;
    throw new Error(`token expired at ${when}`);
  }
  return payload as Claims;
}
