import { extractCode } from '../generate/parse-reply';

const FN = 'export function clamp(v: number, lo: number, hi: number): number {\n  return Math.min(hi, Math.max(lo, v));\n}';

describe('extractCode takes the implementation out of a model reply', () => {
  test('the code of a single ```ts block is returned without the fence', () => {
    expect(extractCode('Here it is:\n\n```ts\n' + FN + '\n```\n\nThis clamps.')).toEqual({ ok: true, code: FN + '\n' });
  });

  test('```typescript and unlabeled blocks count as TypeScript', () => {
    expect(extractCode('```typescript\n' + FN + '\n```')).toEqual({ ok: true, code: FN + '\n' });
    expect(extractCode('```\n' + FN + '\n```')).toEqual({ ok: true, code: FN + '\n' });
  });

  test('Windows line endings and tilde fences are read too', () => {
    expect(extractCode('~~~ts\r\n' + FN.replace(/\n/g, '\r\n') + '\r\n~~~')).toEqual({ ok: true, code: FN + '\n' });
  });

  test('a reply without a code block is rejected with a reason that says so', () => {
    const r = extractCode('I would iterate over the input and clamp each value.');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^reply has no ```ts code block/);
  });

  test('a reply with only a block in another language names that language in its reason', () => {
    const r = extractCode('```python\ndef clamp(v, lo, hi): return v\n```');
    expect(!r.ok && r.reason).toMatch(/no ```ts code block \(only ```python\)/);
  });

  test('an empty ts block is rejected', () => {
    expect(extractCode('```ts\n\n```')).toEqual({ ok: false, reason: expect.stringMatching(/empty/) });
  });

  test('blocks in other languages next to the ts block are ignored', () => {
    expect(extractCode('```bash\nnpm test\n```\n```ts\n' + FN + '\n```')).toEqual({ ok: true, code: FN + '\n' });
  });

  test('a usage example next to the implementation is ignored: only one block defines a function', () => {
    const reply = '```ts\n' + FN + '\n```\nUsage:\n```ts\nclamp(5, 0, 3); // 3\n```';
    expect(extractCode(reply)).toEqual({ ok: true, code: FN + '\n' });
  });

  test('with the spec name, the one block defining that function wins over blocks defining others', () => {
    const reply = '```ts\nfunction helper(): number {\n  return 1;\n}\n```\n```ts\n' + FN + '\n```';
    expect(extractCode(reply, 'clamp')).toEqual({ ok: true, code: FN + '\n' });
  });

  test('several blocks that each define functions are ambiguous and rejected', () => {
    const reply = '```ts\nfunction helper(): number {\n  return 1;\n}\n```\n```ts\n' + FN + '\n```';
    const r = extractCode(reply);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/2 ```ts code blocks.*exactly one block/);
  });

  test('a doubly fenced answer is unwrapped to the code inside', () => {
    // What a model (or a test double) sends when it fences an already fenced answer.
    const reply = '```ts\n```ts\n' + FN + '\n```\n```';
    expect(extractCode(reply)).toEqual({ ok: true, code: FN + '\n' });
  });

  test('a longer outer fence keeps shorter fence lines inside the code', () => {
    const code = 'export function md(): string {\n  return `\n```ts\nx\n`;\n}';
    expect(extractCode('````ts\n' + code + '\n````')).toEqual({ ok: true, code: code + '\n' });
  });

  test('an unclosed block (a reply cut off) still yields its code, for the compiler to judge', () => {
    expect(extractCode('```ts\n' + FN)).toEqual({ ok: true, code: FN + '\n' });
  });
});
