// Jaunt cache entry: the implementation of a @jaunt spec. Review it like source and commit it.
// Editing the body is allowed: Jaunt keeps hand edits and never overwrites them without --force.
/* @jaunt-entry
 * spec: base64urlEncode
 * file: src/base64url.ts
 * hash: f063d0f278a29f0f
 * inputs: doc=ff10a8ab sig=2a52048e types=ccab0b28 deps=-
 * model: authored offline (no model)
 * tool: jaunt-ts 0.1.0
 * created: 2026-11-28T09:51:53.042Z
 * checksum: f51849ff17b1d909
 */
export function base64urlEncode(data: string | Uint8Array): string {
  // A view over the caller's bytes, not a copy: Buffer encodes base64url without padding.
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return bytes.toString('base64url');
}
