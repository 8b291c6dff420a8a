// HS256 JSON Web Tokens (RFC 7519) from @jaunt specs. The specs build on the base64url specs of
// ./base64url: importing them here is what lets the contracts below name them.
import { base64urlDecode, base64urlEncode } from './base64url';

/** The payload of a token made by {@link createToken} and returned by {@link verifyToken}. */
export interface Claims {
  /** Subject: the id of the user the token was issued to. Never empty. */
  sub: string;
  /** Issued at: whole seconds since the Unix epoch. */
  iat: number;
  /** Expires at: seconds since the Unix epoch; the token is rejected from this second on. */
  exp: number;
  /** Any other claim the token carries; verifyToken returns it untouched. */
  [claim: string]: unknown;
}

/**
 * Issues a JSON Web Token (RFC 7519) for `userId`, signed with HMAC-SHA256 ("HS256", RFC 7515).
 *
 * The token is `<header>.<payload>.<signature>`, each part encoded with {@link base64urlEncode}:
 * - header: the UTF-8 bytes of exactly `{"alg":"HS256","typ":"JWT"}`;
 * - payload: the UTF-8 bytes of `JSON.stringify({ sub: userId, iat, exp })`, keys in that order, where
 *   `iat` is the current time in whole seconds (`Math.floor(Date.now() / 1000)`) and `exp = iat + ttlSeconds`;
 * - signature: the 32-byte HMAC-SHA256 of the ASCII text `<header>.<payload>` (the two encoded parts
 *   joined by a dot), keyed with the UTF-8 bytes of `secret`.
 *
 * Any standard JWT library verifies the result with the same secret.
 *
 * @param userId The subject (`sub` claim); must not be empty.
 * @param secret The shared HMAC key; anyone who knows it can issue tokens.
 * @param ttlSeconds Lifetime in seconds; defaults to 3600 (one hour).
 * @returns The compact token text, which contains only base64url characters and two dots.
 * @throws {RangeError} If `userId` is the empty string, or `ttlSeconds` is not a positive integer
 *   (0, negative, fractional, NaN and Infinity are all rejected).
 * @example
 * createToken('', 'secret') // throws RangeError
 * createToken('user-42', 'secret', 0) // throws RangeError
 * createToken('user-42', 'secret', -60) // throws RangeError
 * createToken('user-42', 'secret', 1.5) // throws RangeError
 * createToken('user-42', 'secret', NaN) // throws RangeError
 * @example
 * const [header, payload] = createToken('user-42', 'secret', 60).split('.');
 * header // => 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'
 * const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
 * Object.keys(claims) // => ['sub', 'iat', 'exp']
 * claims.sub // => 'user-42'
 * claims.exp - claims.iat // => 60
 * Math.abs(claims.iat - Math.floor(Date.now() / 1000)) <= 1 // => true
 * @example
 * // One hour by default; one second is the shortest lifetime
 * const lifetime = (token: string) => { const c = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')); return c.exp - c.iat; };
 * lifetime(createToken('user-42', 'secret')) // => 3600
 * lifetime(createToken('user-42', 'secret', 1)) // => 1
 * @jauntDeps base64urlEncode
 * @jaunt
 */
export declare function createToken(userId: string, secret: string, ttlSeconds?: number): string;

/**
 * Checks a token made by {@link createToken} (or any HS256 JWT) and returns its claims.
 *
 * The checks run in this order, and the first failure throws an Error whose message starts with
 * the quoted words, followed by a short reason:
 * 1. "malformed token": `token` is not three parts separated by dots, a part is not valid base64url
 *    (decoded with {@link base64urlDecode}), or the header or the payload is not a JSON object.
 * 2. "unsupported algorithm": the header's `alg` is not exactly "HS256". Tokens that claim "none" or
 *    any other algorithm are never accepted, whatever their signature.
 * 3. "bad signature": the decoded signature differs from the HMAC-SHA256 of `<header>.<payload>` as they
 *    appear in `token`, keyed with the UTF-8 bytes of `secret`. The bytes are compared in constant time
 *    with `timingSafeEqual` from node:crypto (after checking that the lengths match, which leaks nothing
 *    secret), so response times do not reveal how much of a forged signature was right.
 * 4. "malformed token": the payload lacks a non-empty string `sub`, or a finite number `iat` or `exp`.
 * 5. "token expired": `now >= exp`. The message also gives the expiry time, as an ISO 8601 date when a
 *    JavaScript Date can hold it.
 *
 * Nothing in the payload is trusted before the signature has been checked.
 *
 * @param token The compact token text.
 * @param secret The key the token was signed with.
 * @param now The current time in seconds since the Unix epoch; defaults to `Math.floor(Date.now() / 1000)`.
 *   Pass it to check a token against another point in time.
 * @returns The payload's claims: `sub`, `iat`, `exp` and every extra claim, as decoded.
 * @throws {Error} If the token is malformed, uses another algorithm, has a bad signature or has expired.
 * @example
 * // The jwt.io sample token: a valid HS256 signature (secret "your-256-bit-secret") over a payload without "exp"
 * const sample = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
 * verifyToken(sample, 'your-256-bit-secret') // throws Error: malformed token
 * verifyToken(sample, 'another secret') // throws Error: bad signature
 * verifyToken('eyJhbGciOiJub25lIn0.e30.', 'secret') // throws Error: unsupported algorithm
 * verifyToken('not-a-token', 'secret') // throws Error: malformed token
 * verifyToken('e30.e30.e30=', 'secret') // throws Error: malformed token
 * @example
 * const token = createToken('user-42', 'secret', 60);
 * const { sub, exp } = verifyToken(token, 'secret');
 * sub // => 'user-42'
 * verifyToken(token, 'secret', exp - 1).exp // => exp
 * verifyToken(token, 'secret', exp) // throws Error: token expired
 * verifyToken(token, 'guess') // throws Error: bad signature
 * @jaunt
 */
export declare function verifyToken(token: string, secret: string, now?: number): Claims;
