// Demo: every function called here is a @jaunt spec, implemented from the cache in ../.jaunt/.
// Each step is also a check; the process exits with 1 if any fails, so CI can run the demo.
import { createHmac } from 'node:crypto';
import { base64urlDecode, base64urlEncode } from './base64url';
import { createToken, verifyToken, type Claims } from './token';

const SECRET = 'correct horse battery staple';
let failures = 0;

function check(label: string, ok: boolean, detail = ''): void {
  if (!ok) failures++;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${label}${detail ? `: ${detail}` : ''}`);
}

/** Runs `fn`, expecting it to throw an instance of `type` whose message starts with `prefix`. */
function rejects(label: string, fn: () => unknown, type: new (...args: never[]) => Error, prefix = ''): void {
  try {
    fn();
  } catch (e) {
    const ok = e instanceof type && e.message.startsWith(prefix);
    check(label, ok, `${e instanceof Error ? e.name : typeof e}: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  check(label, false, 'did not throw');
}

const text = (part: string): string => Buffer.from(base64urlDecode(part)).toString('utf8');

console.log('HS256 JSON Web Tokens, implemented by Jaunt from the specs in src/\n');

console.log('1. Issue a token');
const token = createToken('user-42', SECRET, 60);
const [header = '', payload = '', signature = ''] = token.split('.');
console.log(`  token     ${token}`);
console.log(`  header    ${text(header)}`);
console.log(`  payload   ${text(payload)}`);
console.log(`  signature ${signature}`);
check('three base64url parts', token.split('.').length === 3 && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token));
check('header is HS256/JWT', text(header) === '{"alg":"HS256","typ":"JWT"}');
// An independent HMAC: the token is a standard HS256 JWT, not something only verifyToken understands.
const expected = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
check('signature matches an independent HMAC-SHA256', signature === expected);

console.log('\n2. Verify it');
const claims: Claims = verifyToken(token, SECRET);
console.log(`  claims    ${JSON.stringify(claims)}`);
check('sub is the user id', claims.sub === 'user-42');
check('exp = iat + 60', claims.exp === claims.iat + 60);

console.log('\n3. Reject what must be rejected');
const forged = `${header}.${base64urlEncode(JSON.stringify({ ...claims, sub: 'admin' }))}.${signature}`;
rejects('payload changed to sub=admin', () => verifyToken(forged, SECRET), Error, 'bad signature');
rejects('wrong secret', () => verifyToken(token, 'guess'), Error, 'bad signature');
const noneHeader = base64urlEncode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
rejects('alg "none" with no signature', () => verifyToken(`${noneHeader}.${payload}.`, SECRET), Error, 'unsupported algorithm');
rejects('expired (checked at exp)', () => verifyToken(token, SECRET, claims.exp), Error, 'token expired');
check('still valid one second before exp', verifyToken(token, SECRET, claims.exp - 1).sub === 'user-42');
rejects('not a token', () => verifyToken('not-a-token', SECRET), Error, 'malformed token');
rejects('padding in a part', () => verifyToken(`${header}=.${payload}.${signature}`, SECRET), Error, 'malformed token');
rejects('empty user id', () => createToken('', SECRET), RangeError);
rejects('ttl of 0 seconds', () => createToken('user-42', SECRET, 0), RangeError);

console.log('\n4. base64url on its own');
const bytes = new Uint8Array([0xfb, 0xff, 0x00, 0x10]);
const encoded = base64urlEncode(bytes);
console.log(`  [fb ff 00 10] -> ${encoded} -> [${[...base64urlDecode(encoded)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}]`);
check('URL-safe alphabet, no padding', encoded === '-_8AEA');
check('round trip', Buffer.from(base64urlDecode(encoded)).equals(Buffer.from(bytes)));
check('UTF-8 text', base64urlEncode('héllo ✓') === Buffer.from('héllo ✓').toString('base64url'));
rejects('"+" is not base64url', () => base64urlDecode('a+b'), TypeError);
rejects('"=" padding', () => base64urlDecode('aGk='), TypeError);
rejects('non-canonical last character', () => base64urlDecode('aGl'), TypeError);

console.log(failures === 0 ? '\nAll checks passed.' : `\n${failures} check(s) FAILED.`);
process.exitCode = failures === 0 ? 0 : 1;
