/**
 * The pieces of `jaunt-ts/jest` that need no jest run: which entries a file's key follows, where the cache
 * folder is, how the options are split between ts-jest and the plugin, and the guard for long-lived
 * processes. tests/ts-jest-cache.test.ts runs them for real.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { writeEntry } from '../cache/cache-store';
import { OFFLINE } from '../cache/entry-format';
import { jestCacheDir, tsJestConfigFile } from '../transformer/jest-cache-dir';
import { specEntriesDigest } from '../transformer/jest-cache-key';
import { assertEntriesUnchanged, rememberEntries } from '../transformer/jest-entry-guard';
import { splitOptions } from '../transformer/jest-options';
import { FixtureProject } from './support/fixture-project';

const SPECS = `
/**
 * Clamp v into [lo, hi].
 * @jaunt
 */
export declare function clamp(v: number, lo: number, hi: number): number;

/**
 * Twice n.
 * @jaunt
 */
export declare function double(n: number): number;
`;

let project: FixtureProject;
let cacheDir: string;
let specFile: string;

beforeEach(() => {
  project = FixtureProject.fromFiles('jest-cache-key', { 'src/math.ts': SPECS });
  cacheDir = project.path('.jaunt');
  specFile = project.path('src/math.ts');
});
afterEach(() => project.cleanup());

function entry(name: string, hash: string, body: string): string {
  return writeEntry(cacheDir, { name, hash, file: 'src/math.ts', model: OFFLINE, body }, { force: true });
}

const digest = (text = SPECS, file = specFile): string | undefined => specEntriesDigest(ts, file, text, cacheDir);

describe('the digest a spec file adds to its key', () => {
  beforeEach(() => {
    entry('clamp', '1111111111111111', 'function clamp(v: number, lo: number, hi: number): number { return Math.min(hi, Math.max(lo, v)); }');
    entry('double', '2222222222222222', 'function double(n: number): number { return n * 2; }');
    entry('other', '3333333333333333', 'function other(): number { return 1; }');
  });

  test('a file without a spec adds nothing, so its key is ts-jest\'s and entry edits never recompile it', () => {
    expect(digest('export const x = 1;\n', project.path('src/plain.ts'))).toBeUndefined();
    // `@jaunt` in a comment is not a spec.
    expect(digest('// see @jaunt docs\nexport function f(): number { return 1; }\n', project.path('src/comment.ts'))).toBeUndefined();
  });

  test('the digest is stable while nothing changes', () => {
    expect(digest()).toBe(digest());
  });

  test('a hand edit of one of the file\'s entries changes the digest', () => {
    const before = digest();
    project.edit('.jaunt/double.2222222222222222.ts', (t) => t.replace('n * 2', 'n + n'));
    expect(digest()).not.toBe(before);
  });

  test('an entry rewritten with a new checksum changes the digest', () => {
    const before = digest();
    entry('clamp', '1111111111111111', 'function clamp(v: number, lo: number, hi: number): number { return v < lo ? lo : v > hi ? hi : v; }');
    expect(digest()).not.toBe(before);
  });

  test('an entry that appears or disappears for one of the file\'s specs changes the digest, whatever its hash', () => {
    const before = digest();
    const added = entry('clamp', '4444444444444444', 'function clamp(v: number, lo: number, hi: number): number { return v; }');
    const withNew = digest();
    expect(withNew).not.toBe(before);
    project.remove(path.relative(project.dir, added));
    expect(digest()).toBe(before);
    project.remove('.jaunt/double.2222222222222222.ts');
    expect(digest()).not.toBe(before);
  });

  test('entries of specs the file does not declare leave the digest alone', () => {
    const before = digest();
    project.edit('.jaunt/other.3333333333333333.ts', (t) => t.replace('return 1', 'return 2'));
    entry('other', '5555555555555555', 'function other(): number { return 3; }');
    expect(digest()).toBe(before);
  });

  test('files that are not entries in the cache folder leave the digest alone', () => {
    const before = digest();
    project.write('.jaunt/README.md', 'notes');
    project.write('.jaunt/clamp.1111111111111111.ts.123.tmp', 'a torn write');
    expect(digest()).toBe(before);
  });
});

describe('the cache folder of a jest project', () => {
  const jest = (): { rootDir: string; cwd: string } => ({ rootDir: project.dir, cwd: project.path('src') });

  test('a `<rootDir>` tsconfig path is expanded, and cacheDir is resolved against the tsconfig\'s folder', () => {
    expect(jestCacheDir(ts, '<rootDir>/config/tsconfig.json', { cacheDir: 'impls' }, jest())).toBe(project.path('config', 'impls'));
  });

  test('a relative tsconfig path is relative to jest\'s cwd, as ts-jest reads it', () => {
    expect(tsJestConfigFile(ts, 'tsconfig.test.json', jest())).toBe(project.path('src', 'tsconfig.test.json'));
  });

  test('without a tsconfig path the nearest tsconfig.json from rootDir is used, and the folder defaults to .jaunt', () => {
    project.write('tsconfig.json', '{}');
    for (const option of [undefined, true, false, { strict: true }]) {
      expect(jestCacheDir(ts, option, undefined, jest())).toBe(project.path('.jaunt'));
    }
  });

  test('invalid plugin options give no folder (the plugin reports them) instead of throwing in jest', () => {
    expect(jestCacheDir(ts, '<rootDir>/tsconfig.json', { cacheDir: '' }, jest())).toBeUndefined();
  });
});

describe('the options jaunt-ts/jest hands to ts-jest', () => {
  test('the plugin is added after the caller\'s own before transformers, with the `jaunt` options, which ts-jest never sees', () => {
    const { tsJest, jaunt } = splitOptions({ tsconfig: 'tsconfig.json', jaunt: { cacheDir: 'impls' }, astTransformers: { before: ['./mine.js'], after: ['./late.js'] } });
    expect(jaunt).toEqual({ cacheDir: 'impls' });
    expect(tsJest).not.toHaveProperty('jaunt');
    expect(tsJest.tsconfig).toBe('tsconfig.json');
    expect(tsJest.astTransformers?.after).toEqual(['./late.js']);
    const before = tsJest.astTransformers?.before ?? [];
    expect(before[0]).toBe('./mine.js');
    expect(before[1]).toEqual({ path: require.resolve('../transformer/plugin'), options: { cacheDir: 'impls' } });
    expect(before).toHaveLength(2);
  });

  test('a plugin the caller already listed (the older setup) is kept once, and its options locate the cache', () => {
    const listed = { path: 'jaunt-ts/transformer', options: { cacheDir: 'impls' } };
    const { tsJest, jaunt } = splitOptions({ astTransformers: { before: [listed] } });
    expect(tsJest.astTransformers?.before).toEqual([listed]);
    expect(jaunt).toEqual({ cacheDir: 'impls' });
  });

  test('the plugin listed by its file path is recognized too', () => {
    const { tsJest } = splitOptions({ astTransformers: { before: [require.resolve('../transformer/plugin')] } });
    expect(tsJest.astTransformers?.before).toHaveLength(1);
  });

  test('options given both ways are refused with a message that says which to keep', () => {
    expect(() => splitOptions({ jaunt: { cacheDir: 'a' }, astTransformers: { before: ['jaunt-ts/transformer'] } }))
      .toThrow(/given twice.*keep one/);
  });
});

describe('the guard against compiling from entries read earlier in the same process', () => {
  beforeEach(() => {
    entry('clamp', '1111111111111111', 'function clamp(v: number, lo: number, hi: number): number { return Math.min(hi, Math.max(lo, v)); }');
    entry('other', '3333333333333333', 'function other(): number { return 1; }');
  });

  test('a spec file whose entries are as the process first saw them compiles', () => {
    rememberEntries(cacheDir);
    expect(() => assertEntriesUnchanged(ts, specFile, SPECS, cacheDir)).not.toThrow();
  });

  test('a spec file whose entries changed since is refused with the reason and the fix', () => {
    rememberEntries(cacheDir);
    project.edit('.jaunt/clamp.1111111111111111.ts', (t) => t.replace('Math.min', 'Math.max'));
    rememberEntries(cacheDir);
    expect(() => assertEntriesUnchanged(ts, specFile, SPECS, cacheDir)).toThrow(/math\.ts's specs .* changed while this jest process was running.*Restart jest/);
  });

  test('files without specs, and spec files whose own entries did not change, are not refused', () => {
    rememberEntries(cacheDir);
    project.edit('.jaunt/other.3333333333333333.ts', (t) => t.replace('return 1', 'return 2'));
    expect(() => assertEntriesUnchanged(ts, specFile, SPECS, cacheDir)).not.toThrow();
    expect(() => assertEntriesUnchanged(ts, project.path('src/plain.ts'), 'export const x = 1;\n', cacheDir)).not.toThrow();
  });
});
