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
