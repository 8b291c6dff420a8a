// Jaunt cache entry: the implementation of a @jaunt spec. Review it like source and commit it.
// Editing the body is allowed: Jaunt keeps hand edits and never overwrites them without --force.
/* @jaunt-entry
 * spec: base64urlDecode
 * file: src/base64url.ts
 * hash: 8c18f7e75dc2de2b
 * inputs: doc=686f0974 sig=e3fb8c0c types=ccab0b28 deps=base64urlEncode:f063d0f278a29f0f
 * model: authored offline (no model)
 * tool: jaunt-ts 0.1.0
 * created: 2026-11-28T09:51:53.060Z
 * checksum: b4e2e677d5668ef5
 */
const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function base64urlDecode(text: string): Uint8Array {
  if (!ALPHABET.test(text)) throw new TypeError('base64url: invalid character (allowed: A-Z a-z 0-9 - _, no padding)');
  if (text.length % 4 === 1) throw new TypeError(`base64url: invalid length ${text.length}`);
  const decoded = Buffer.from(text, 'base64url');
  // Buffer ignores nonzero unused bits; re-encoding exposes them, so every byte string has one text.
  if (decoded.toString('base64url') !== text) throw new TypeError('base64url: non-canonical encoding (unused bits are not zero)');
  // A copy: Buffer.from may hand out a slice of its shared pool.
  return new Uint8Array(decoded);
}
