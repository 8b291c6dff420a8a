// base64url (RFC 4648 §5) as JSON Web Tokens use it. Each `declare function` below is a spec:
// Jaunt implements it from its JSDoc contract, and the cached implementation lives in ../.jaunt/.

/**
 * Encodes `data` as unpadded base64url (RFC 4648 §5): the URL- and filename-safe alphabet
 * `A-Z a-z 0-9 - _`, with no `=` padding, no line breaks and no other characters.
 *
 * A string is encoded as its UTF-8 bytes; a Uint8Array (a Node Buffer included) is encoded as the
 * bytes it views, honouring its byteOffset and byteLength. The output length is ceil(n * 4 / 3) for
 * n input bytes, so the empty input encodes to the empty string. The input is never modified.
 *
 * @param data Text (encoded as UTF-8) or raw bytes.
 * @returns The base64url text.
 * @example
 * // RFC 4648 §10 test vectors, without the padding
 * base64urlEncode('') // => ''
 * base64urlEncode('f') // => 'Zg'
 * base64urlEncode('fo') // => 'Zm8'
 * base64urlEncode('foo') // => 'Zm9v'
 * base64urlEncode('foob') // => 'Zm9vYg'
 * base64urlEncode('foobar') // => 'Zm9vYmFy'
 * @example
 * // RFC 7515 appendix C: octets whose encoding uses both URL-safe characters
 * base64urlEncode(new Uint8Array([3, 236, 255, 224, 193])) // => 'A-z_4ME'
 * base64urlEncode('hi?') // => 'aGk_'
 * @example
 * // RFC 7515 appendix A.1: the JOSE header of its HS256 example, CRLF included
 * base64urlEncode('{"typ":"JWT",\r\n "alg":"HS256"}') // => 'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9'
 * @example
 * // A view encodes only the bytes it covers
 * const bytes = new Uint8Array([0, 0xfb, 0xff, 0]);
 * base64urlEncode(bytes.subarray(1, 3)) // => '-_8'
 * @jaunt
 */
export declare function base64urlEncode(data: string | Uint8Array): string;

/**
 * Decodes unpadded base64url text (RFC 4648 §5) into the bytes it encodes: the exact inverse of
 * {@link base64urlEncode}, so `base64urlDecode(base64urlEncode(bytes))` equals `bytes` for every input.
 *
 * Decoding is strict, because signatures are compared as decoded bytes and two different texts must
 * never decode to the same bytes. It throws a TypeError, naming the problem, when `text`:
 * - contains any character outside `A-Z a-z 0-9 - _` (this includes `=` padding, `+`, `/` and whitespace);
 * - has a length that leaves a remainder of 1 when divided by 4 (no byte sequence encodes to that);
 * - is not canonical: the unused low bits of its last character are not zero (e.g. 'aGl' where the
 *   encoding of 'hi' is 'aGk').
 *
 * @param text The base64url text; the empty string decodes to an empty array.
 * @returns A new Uint8Array that shares no memory with any other value.
 * @throws {TypeError} If `text` is not canonical unpadded base64url.
 * @example
 * // RFC 4648 §10 and RFC 7515 appendix C, read back
 * base64urlDecode('') // => new Uint8Array([])
 * base64urlDecode('Zm9vYmFy') // => new Uint8Array([0x66, 0x6f, 0x6f, 0x62, 0x61, 0x72])
 * base64urlDecode('Zm9vYg') // => new Uint8Array([0x66, 0x6f, 0x6f, 0x62])
 * base64urlDecode('A-z_4ME') // => new Uint8Array([3, 236, 255, 224, 193])
 * base64urlDecode('aGk_') // => new Uint8Array([0x68, 0x69, 0x3f])
 * @example
 * // Strict: padding, the base64 alphabet, impossible lengths and non-canonical text are rejected
 * base64urlDecode('aGk=') // throws TypeError
 * base64urlDecode('a+b') // throws TypeError
 * base64urlDecode('Zm9vY') // throws TypeError
 * base64urlDecode('aGl') // throws TypeError
 * @jaunt
 */
export declare function base64urlDecode(text: string): Uint8Array;
