import { hashAsync, hashSync } from '../spec/hash';
import { seededRandom } from './support/prng';


/** A random string mixing ASCII, Latin-1, CJK, astral code points (surrogate pairs) and lone surrogates. */
function randomString(next: () => number, maxLength: number): string {
  const length = Math.floor(next() * maxLength);
  const ranges: [number, number][] = [[0x20, 0x7e], [0x00, 0x1f], [0xa0, 0xff], [0x4e00, 0x9fff], [0x1f300, 0x1faff], [0xd800, 0xdfff]];
  let out = '';
  for (let i = 0; i < length; i++) {
    const [lo, hi] = ranges[Math.floor(next() * ranges.length)]!;
    out += String.fromCodePoint(lo + Math.floor(next() * (hi - lo + 1)));
  }
  return out;
}

async function expectSameHash(text: string): Promise<string> {
  const sync = hashSync(text);
  expect(sync).toMatch(/^[0-9a-f]{16}$/);
  expect(sync).toBe(await hashAsync(text));
  return sync;
}

describe('hashSync', () => {
  test('matches the known xxhash64 of the empty string and of "abc" (seed 0)', () => {
    // Reference values of XXH64 with seed 0, from the xxHash specification's test vectors.
    expect(hashSync('')).toBe('ef46db3751d8e999');
    expect(hashSync('abc')).toBe('44bc2cf5ad770999');
  });

  test.each([
    ['the empty string', ''],
    ['one ASCII letter', 'a'],
    ['an ASCII sentence', 'The quick brown fox jumps over the lazy dog'],
    ['accented Latin text', 'Ça coûte 5 €, déjà payé à Zürich'],
    ['CJK text', '日本語のテキストと中文文本'],
    ['emoji made of surrogate pairs', '👩‍👩‍👧‍👦 🚀🎉 𝔘𝔫𝔦𝔠𝔬𝔡𝔢'],
    ['a lone high surrogate', 'x\ud800y'],
    ['a lone low surrogate at the end', 'tail\udc00'],
    ['NUL and control characters', '\u0000\u0001\t\r\n\u007f'],
    ['CRLF line endings', 'line one\r\nline two\r\n'],
  ])('agrees with xxhash-wasm\'s public async API on %s', async (_label, text) => {
    await expectSameHash(text);
  });

  test('agrees with the async API on every length from 0 to 100 bytes (each tail path of the algorithm)', async () => {
    for (let n = 0; n <= 100; n++) await expectSameHash('x'.repeat(n));
  });

  test('agrees with the async API on 1 MB inputs, growing the wasm memory, and again after a small input', async () => {
    const ascii = 'abcdefghij'.repeat(100_000);
    const wide = '日本'.repeat(200_000); // 1.2 MB of UTF-8
    const first = await expectSameHash(ascii);
    await expectSameHash(wide);
    await expectSameHash('small after large');
    expect(await expectSameHash(ascii)).toBe(first);
    expect(hashSync(`${ascii}!`)).not.toBe(first);
  });

  test('agrees with the async API on 500 random strings from a seeded generator', async () => {
    const next = seededRandom(0x5eed);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const text = randomString(next, i % 50 === 0 ? 20_000 : 300);
      seen.add(await expectSameHash(text));
    }
    // Distinct inputs almost surely hash apart: a constant or truncated hash would collapse this set.
    expect(seen.size).toBeGreaterThan(490);
  });

  test('gives different hashes for inputs that differ in one character or only in Unicode normalization', () => {
    expect(hashSync('spec a')).not.toBe(hashSync('spec b'));
    expect(hashSync('caf\u00e9')).not.toBe(hashSync('cafe\u0301'));
  });
});
