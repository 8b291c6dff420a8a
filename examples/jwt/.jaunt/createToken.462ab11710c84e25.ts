// Jaunt cache entry: the implementation of a @jaunt spec. Review it like source and commit it.
// Editing the body is allowed: Jaunt keeps hand edits and never overwrites them without --force.
/* @jaunt-entry
 * spec: createToken
 * file: src/token.ts
 * hash: 462ab11710c84e25
 * inputs: doc=04049672 sig=7e42a324 types=ccab0b28 deps=base64urlEncode:f063d0f278a29f0f
 * model: authored offline (no model)
 * tool: jaunt-ts 0.1.0
 * created: 2026-11-28T09:51:53.064Z
 * checksum: 05bb47f871b163d3
 */
import { createHmac } from 'node:crypto';
import { base64urlEncode } from './base64url';

const HEADER = '{"alg":"HS256","typ":"JWT"}';

export function createToken(userId: string, secret: string, ttlSeconds = 3600): string {
  if (userId === '') throw new RangeError('createToken: userId must not be empty');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`createToken: ttlSeconds must be a positive integer, got ${ttlSeconds}`);
  }
  const iat = Math.floor(Date.now() / 1000);
  const signingInput = `${base64urlEncode(HEADER)}.${base64urlEncode(JSON.stringify({ sub: userId, iat, exp: iat + ttlSeconds }))}`;
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8')).update(signingInput, 'ascii').digest();
  return `${signingInput}.${base64urlEncode(signature)}`;
}
