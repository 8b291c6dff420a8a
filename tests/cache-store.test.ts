import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { entryPath, listEntries, lookupEntry, writeEntry, type EntryLookup } from '../cache/cache-store';
import { bodyChecksum, normalizeBody, OFFLINE, parseEntry, renderEntry, type EntryMeta } from '../cache/entry-format';
import { Codes, JauntError } from '../core/errors';
import { FixtureProject, REPO_ROOT, assertBuildIsFresh, runSync } from './support/fixture-project';
import { NOBODY, reachableCopy, runsAsRoot } from './support/other-user';

const HASH = '0123456789abcdef';
const BODY = 'export function clamp(v: number, lo: number, hi: number): number {\n  return Math.min(hi, Math.max(lo, v));\n}\n';

let project: FixtureProject;
let cacheDir: string;

beforeEach(() => {
  project = FixtureProject.fromFiles('cache', {});
  cacheDir = project.path('.jaunt');
});
afterEach(() => project.cleanup());

function write(body = BODY, name = 'clamp', hash = HASH): string {
  return writeEntry(cacheDir, { name, hash, file: 'src/math.ts', model: OFFLINE, body });
}

function expectStatus(lookup: EntryLookup, status: EntryLookup['status']): void {
  expect({ status: lookup.status, detail: lookup.status === 'corrupt' ? lookup.reason : '' }).toMatchObject({ status });
}

describe('entry format', () => {
  const meta: Omit<EntryMeta, 'checksum'> = {
    spec: 'clamp', file: 'src/math.ts', hash: HASH, model: 'claude-test-1', tool: 'jaunt-ts 0.1.0',
    created: '2030-01-02T03:04:05.000Z', inputTokens: 1200, outputTokens: 345, attempts: 2,
    inputs: 'doc=aaaaaaaa sig=bbbbbbbb types=cccccccc deps=-',
  };

  test('a rendered entry parses back to the same metadata and body', () => {
    const parsed = parseEntry(renderEntry(meta, BODY));
    expect(parsed).toEqual({ ok: true, meta: { ...meta, checksum: bodyChecksum(BODY) }, body: BODY });
  });

  test('a rendered entry without the optional fields parses back without them', () => {
    const bare = { spec: 'f', file: 'a.ts', hash: HASH, model: OFFLINE, tool: 't', created: 'c' };
    const parsed = parseEntry(renderEntry(bare, 'function f() { return 1; }'));
    expect(parsed.ok && parsed.meta).toEqual({ ...bare, checksum: bodyChecksum('function f() { return 1; }\n') });
  });

  test('a rendered entry is itself TypeScript: the header is a comment and the body follows it', () => {
    const text = renderEntry(meta, BODY);
    expect(text.startsWith('//')).toBe(true);
    expect(text.endsWith(BODY)).toBe(true);
    expect(text).toContain(`hash: ${HASH}`);
  });

  test('the checksum ignores line endings and trailing spaces but not content', () => {
    expect(bodyChecksum(BODY.replace(/\n/g, '\r\n'))).toBe(bodyChecksum(BODY));
    expect(bodyChecksum(BODY.replace(/;\n/g, ';   \n'))).toBe(bodyChecksum(BODY));
    expect(bodyChecksum(BODY.replace('Math.min', 'Math.max'))).not.toBe(bodyChecksum(BODY));
    expect(normalizeBody('a\r\nb  \r\n\r\n')).toBe('a\nb\n');
  });

  test.each([
    ['text without a header', 'export function f() {}'],
    ['an unterminated header', '/* @jaunt-entry\n * spec: f\n * hash: 0123456789abcdef\n'],
    ['a header without a checksum', '/* @jaunt-entry\n * spec: f\n * hash: 0123456789abcdef\n * model: m\n */\nfunction f() {}'],
  ])('parsing %s fails with a reason', (_label, text) => {
    const parsed = parseEntry(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(/header/);
  });
});

describe('lookupEntry', () => {
  test('finds a written entry as a hit with its body and metadata', () => {
    const file = write();
    expect(file).toBe(entryPath(cacheDir, 'clamp', HASH));
    const lookup = lookupEntry(cacheDir, 'clamp', HASH);
    expectStatus(lookup, 'hit');
    expect(lookup.status === 'hit' && lookup.body).toBe(BODY);
    expect(lookup.status === 'hit' && lookup.meta.model).toBe(OFFLINE);
  });

  test('reports an entry for another hash of the same spec as missing', () => {
    write();
    expectStatus(lookupEntry(cacheDir, 'clamp', 'fedcba9876543210'), 'missing');
  });

  test('reports missing when the cache dir does not exist at all', () => {
    expect(fs.existsSync(cacheDir)).toBe(false);
    expectStatus(lookupEntry(cacheDir, 'clamp', HASH), 'missing');
  });

  test('reports garbage in an entry file as corrupt', () => {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(entryPath(cacheDir, 'clamp', HASH), '\u0000\u0001 not an entry at all \u00ff');
    expectStatus(lookupEntry(cacheDir, 'clamp', HASH), 'corrupt');
  });

  test('reports an entry truncated inside its header as corrupt', () => {
    const text = fs.readFileSync(write(), 'utf8');
    for (const cut of [10, text.indexOf('hash:'), text.indexOf('checksum:') + 3]) {
      fs.writeFileSync(entryPath(cacheDir, 'clamp', HASH), text.slice(0, cut));
      expectStatus(lookupEntry(cacheDir, 'clamp', HASH), 'corrupt');
    }
  });

  test('never reports an entry truncated inside its body as a hit', () => {
    const text = fs.readFileSync(write(), 'utf8');
    fs.writeFileSync(entryPath(cacheDir, 'clamp', HASH), text.slice(0, text.length - 20));
    expect(lookupEntry(cacheDir, 'clamp', HASH).status).not.toBe('hit');
  });

  test('reports an entry whose header names another hash as corrupt', () => {
    const text = fs.readFileSync(write(), 'utf8');
    fs.writeFileSync(entryPath(cacheDir, 'clamp', 'fedcba9876543210'), text);
    const lookup = lookupEntry(cacheDir, 'clamp', 'fedcba9876543210');
    expectStatus(lookup, 'corrupt');
    expect(lookup.status === 'corrupt' && lookup.reason).toContain(HASH);
  });

  test('reports an entry whose header names another spec as corrupt', () => {
    const text = fs.readFileSync(write(BODY, 'clamp'), 'utf8');
    fs.writeFileSync(entryPath(cacheDir, 'other', HASH), text);
    expectStatus(lookupEntry(cacheDir, 'other', HASH), 'corrupt');
  });

  test('reports an entry with an empty body as corrupt', () => {
    const text = fs.readFileSync(write(), 'utf8');
    fs.writeFileSync(entryPath(cacheDir, 'clamp', HASH), text.slice(0, text.indexOf(' */') + 3) + '\n\n   \n');
    const lookup = lookupEntry(cacheDir, 'clamp', HASH);
    expectStatus(lookup, 'corrupt');
    expect(lookup.status === 'corrupt' && lookup.reason).toMatch(/empty/);
  });

  test('reports a changed body as edited and returns the edited body', () => {
    const file = write();
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Math.min(hi,', 'Math.min(hi + 0,'));
    const lookup = lookupEntry(cacheDir, 'clamp', HASH);
    expectStatus(lookup, 'edited');
    expect(lookup.status === 'edited' && lookup.body).toContain('hi + 0');
  });

  test('does not count CRLF line endings or trailing spaces as an edit', () => {
    const file = write();
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '  \r\n'));
    expectStatus(lookupEntry(cacheDir, 'clamp', HASH), 'hit');
  });

  test('reports an entry path that is a folder as corrupt rather than throwing', () => {
    fs.mkdirSync(entryPath(cacheDir, 'clamp', HASH), { recursive: true });
    expectStatus(lookupEntry(cacheDir, 'clamp', HASH), 'corrupt');
  });
});

describe('writeEntry', () => {
  test('refuses to overwrite a hand-edited entry without force, and replaces it with force', () => {
    const file = write();
    const edited = fs.readFileSync(file, 'utf8').replace('Math.max(lo, v)', 'Math.max(lo, v) /* mine */');
    fs.writeFileSync(file, edited);
    let thrown: unknown;
    try {
      write(BODY.replace('clamp', 'clamp '));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(JauntError);
    expect((thrown as JauntError).code).toBe(Codes.HandEditedEntry);
    expect(fs.readFileSync(file, 'utf8')).toBe(edited);
    writeEntry(cacheDir, { name: 'clamp', hash: HASH, file: 'src/math.ts', model: OFFLINE, body: BODY }, { force: true });
    expectStatus(lookupEntry(cacheDir, 'clamp', HASH), 'hit');
  });

  test('overwrites an entry that is not edited, and leaves no temp files behind', () => {
    write();
    write(BODY.replace('Math.min', 'Math.min /* v2 */'));
    const lookup = lookupEntry(cacheDir, 'clamp', HASH);
    expect(lookup.status === 'hit' && lookup.body).toContain('v2');
    // The folder's .gitignore keeps temp files of interrupted writes out of git.
    expect(fs.readdirSync(cacheDir).sort()).toEqual(['.gitignore', `clamp.${HASH}.ts`]);
    expect(listEntries(cacheDir)).toEqual([{ path: entryPath(cacheDir, 'clamp', HASH), name: 'clamp', hash: HASH }]);
  });

  test('listEntries skips temp files and files that are not entries', () => {
    write();
    fs.writeFileSync(path.join(cacheDir, `clamp.${HASH}.ts.123.abc.tmp`), 'partial');
    fs.writeFileSync(path.join(cacheDir, 'README.md'), 'notes');
    expect(listEntries(cacheDir).map((e) => e.name)).toEqual(['clamp']);
  });

  test('fails with CacheWriteFailed when the cache folder is read-only', () => {
    assertBuildIsFresh();
    // Root ignores permission bits: the writer runs as an unprivileged user when the tests run as root,
    // from a copy of the package that user can reach wherever the clone lives.
    const asRoot = runsAsRoot();
    const copy = reachableCopy();
    try {
      const readOnly = path.join(copy.workDir, '.jaunt');
      fs.mkdirSync(readOnly);
      fs.chmodSync(readOnly, 0o555);
      const script = `
        const { writeEntry } = require(${JSON.stringify(path.join(copy.root, 'dist/cache/cache-store.js'))});
        try {
          writeEntry(${JSON.stringify(readOnly)}, { name: 'clamp', hash: '${HASH}', file: 'src/math.ts', model: 'm', body: 'function clamp() { return 1; }' });
          console.log(JSON.stringify({ wrote: true }));
        } catch (e) {
          console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message }));
        }`;
      const r = runSync(process.execPath, ['-e', script], { cwd: copy.workDir, ...(asRoot ? NOBODY : {}) });
      expect(r.status).toBe(0);
      const result = JSON.parse(r.stdout.trim()) as { name?: string; code?: number; message?: string };
      expect(result).toMatchObject({ name: 'JauntError', code: Codes.CacheWriteFailed });
      expect(result.message).toMatch(/EACCES|permission/);
      expect(fs.readdirSync(readOnly)).toEqual([]);
    } finally {
      copy.remove();
    }
  });

  test('fails with CacheWriteFailed when the cache path is a file', () => {
    fs.writeFileSync(cacheDir, 'not a folder');
    expect(() => write()).toThrow(expect.objectContaining({ code: Codes.CacheWriteFailed }) as unknown as Error);
  });
});

describe('concurrent writers', () => {
  test('readers never see a torn or invalid entry while many processes rewrite it', async () => {
    assertBuildIsFresh();
    const writers = 6;
    const rounds = 40;
    // Large bodies make a torn read likely if writes were not atomic.
    const script = `
      const { writeEntry } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist/cache/cache-store.js'))});
      const id = process.argv[1];
      const filler = '// ' + 'x'.repeat(200) + '\\n';
      for (let i = 0; i < ${rounds}; i++) {
        const body = 'export function clamp(): string {\\n  return "writer ' + id + ' round ' + i + '";\\n}\\n' + filler.repeat(300);
        writeEntry(${JSON.stringify(cacheDir)}, { name: 'clamp', hash: '${HASH}', file: 'src/math.ts', model: 'm' + id, body }, { force: true });
      }`;
    const done = Array.from({ length: writers }, (_, i) => new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ['-e', script, String(i)], { cwd: REPO_ROOT, stdio: 'inherit' });
      child.on('close', (code) => resolve(code));
    }));
    let running = true;
    const finished = Promise.all(done).finally(() => { running = false; });
    const seen = new Map<string, number>();
    let reads = 0;
    while (running) {
      for (let i = 0; i < 20; i++) {
        const lookup = lookupEntry(cacheDir, 'clamp', HASH);
        reads++;
        if (lookup.status === 'missing') continue;
        // Every read is a complete entry whose body matches its checksum and its header.
        expect(lookup.status).toBe('hit');
        if (lookup.status !== 'hit') break;
        const m = /"writer (\d+) round (\d+)"/.exec(lookup.body);
        expect(m).not.toBeNull();
        expect(lookup.meta.model).toBe(`m${m![1]}`);
        seen.set(m![1]!, (seen.get(m![1]!) ?? 0) + 1);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await finished).toEqual(Array(writers).fill(0));
    expect(reads).toBeGreaterThan(50);
    expect(seen.size).toBeGreaterThan(1);
    expect(lookupEntry(cacheDir, 'clamp', HASH).status).toBe('hit');
    expect(fs.readdirSync(cacheDir).sort()).toEqual(['.gitignore', `clamp.${HASH}.ts`]);
  });
});
