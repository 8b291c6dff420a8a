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
