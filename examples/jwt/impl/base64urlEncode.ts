export function base64urlEncode(data: string | Uint8Array): string {
  // A view over the caller's bytes, not a copy: Buffer encodes base64url without padding.
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return bytes.toString('base64url');
}
