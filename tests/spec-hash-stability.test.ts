import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { lookupEntry, writeEntry } from '../cache/cache-store';
import { analyzeProgram, type ProgramAnalysis } from '../core/analyze-program';
import { canonicalSpec, specHash, specHashAsync } from '../spec/spec-hash';
import { IN_MEMORY_ROOT, inMemoryProgram } from './support/fixture-project';

/**
 * A small project: `area` takes a `Box` (another file), whose `Options` comes from a third file and
 * references `Inner` in turn; `area` names spec `helper` with {@link}; `fmt` lists `floorIt` in @jauntDeps.
 */
const BASE: Readonly<Record<string, string>> = {
  'src/types.ts': [
    'export interface Inner { code: number }',
    'export interface Options { label: string; inner: Inner }',
    'export interface Unrelated { x: number }',
    '',
  ].join('\n'),
  'src/shapes.ts': [
    "import type { Options } from './types';",
    '/** A point on the plane. */',
    'export interface Point { x: number; y: number }',
    'export type Box = { topLeft: Point; size: number; options: Options };',
    'export interface Lonely { z: string }',
    '',
  ].join('\n'),
  'src/dep.ts': [
    '/**',
    ' * Round `n` to two decimals.',
    ' * @jaunt',
    ' */',
    'export declare function helper(n: number): number;',
    '',
    '/**',
    ' * Round `n` down to an integer.',
    ' * @jaunt',
    ' */',
    'export declare function floorIt(n: number): number;',
    '',
  ].join('\n'),
  'src/spec.ts': [
    "import { Box } from './shapes';",
    "import { helper } from './dep';",
    '',
    '/**',
    ' * Compute the area of `box` times `scale`, rounded',
    ' * with {@link helper}.',
    ' * @jaunt',
    ' */',
    'export declare function area(box: Box, scale: number): number;',
    '',
    '/**',
    ' * Format `n` rounded down, with a thousands separator.',
    ' * @jauntDeps floorIt',
    ' * @jaunt',
    ' */',
    'export declare function fmt(n: number): string;',
    '',
    '/**',
    ' * Reverse `s`.',
    ' * @jaunt',
    ' */',
    'export declare function other(s: string): string;',
    '',
  ].join('\n'),
};

type Files = Record<string, string>;

function analyze(files: Files): ProgramAnalysis {
  return analyzeProgram(ts, inMemoryProgram(files), IN_MEMORY_ROOT);
}

function hashesOf(files: Files): Map<string, string> {
  const analysis = analyze(files);
  expect(analysis.diagnostics).toEqual([]);
  return new Map(analysis.specs.map((s) => [s.ir.name, s.hash ?? 'unkeyed']));
}

/** Applies a text replacement to one file and fails loudly if the pattern is not there. */
function edit(files: Files, file: string, from: string | RegExp, to: string): Files {
  const before = files[file];
  if (before === undefined) throw new Error(`no file ${file}`);
  const after = before.replace(from, to);
  if (after === before) throw new Error(`edit of ${file} changed nothing: ${String(from)}`);
  return { ...files, [file]: after };
}

interface Row {
  edit: string;
  spec: string;
  change: (files: Files) => Files;
  hash: 'changed' | 'unchanged';
}

const ROWS: Row[] = [
  {
    edit: 'reflowing the JSDoc text onto other lines',
    spec: 'area',
    change: (f) => edit(f, 'src/spec.ts', ' * Compute the area of `box` times `scale`, rounded\n * with {@link helper}.',
      ' * Compute the area of `box`\n *   times `scale`,    rounded with\n * {@link helper}.'),
    hash: 'unchanged',
  },
  {
    edit: 'adding `//` comments around the declaration',
    spec: 'area',
    change: (f) => edit(f, 'src/spec.ts', "import { helper } from './dep';\n",
      "import { helper } from './dep';\n// geometry helpers follow\n// (see the docs)\n"),
    hash: 'unchanged',
  },
  {
    edit: 'adding `//` and `/* */` comments inside the signature',
    spec: 'area',
    change: (f) => edit(f, 'src/spec.ts', 'export declare function area(box: Box, scale: number): number;',
      'export declare function area(\n  box: Box, // the box\n  /* factor */ scale: number,\n): number; // trailing'),
    hash: 'unchanged',
  },
  {
    edit: 'reformatting the signature (line breaks, spaces, trailing comma)',
    spec: 'area',
    change: (f) => edit(f, 'src/spec.ts', 'export declare function area(box: Box, scale: number): number;',
      'export   declare function area (\n    box : Box ,\n    scale:number ,\n) :  number ;'),
    hash: 'unchanged',
  },
  {
    edit: 'CRLF line endings in the whole spec file',
    spec: 'area',
    change: (f) => ({ ...f, 'src/spec.ts': f['src/spec.ts']!.replace(/\n/g, '\r\n') }),
    hash: 'unchanged',
  },
  {
    edit: 'moving the spec to another line (blank lines above it)',
    spec: 'area',
    change: (f) => edit(f, 'src/spec.ts', "import { helper } from './dep';\n", "import { helper } from './dep';\n\n\n\n\n"),
    hash: 'unchanged',
  },
  {
    edit: 'moving the spec below another spec',
    spec: 'other',
    change: (f) => {
      const text = f['src/spec.ts']!;
      const other = '/**\n * Reverse `s`.\n * @jaunt\n */\nexport declare function other(s: string): string;\n';
      return edit(f, 'src/spec.ts', text, other + '\n' + text.replace(other, ''));
    },
    hash: 'unchanged',
  },
  {
    edit: 'moving the spec to another file',
    spec: 'other',
    change: (f) => ({
      ...edit(f, 'src/spec.ts', '/**\n * Reverse `s`.\n * @jaunt\n */\nexport declare function other(s: string): string;\n', ''),
      'src/moved.ts': '/**\n * Reverse `s`.\n * @jaunt\n */\nexport declare function other(s: string): string;\n',
    }),
    hash: 'unchanged',
  },
  {
    edit: 'dropping `export` from the spec',
    spec: 'other',
    change: (f) => edit(f, 'src/spec.ts', 'export declare function other', 'declare function other'),
    hash: 'unchanged',
  },
  {
    edit: 'renaming a parameter (parameter names are part of the signature text)',
    spec: 'area',
    change: (f) => edit(f, 'src/spec.ts', 'area(box: Box, scale: number)', 'area(box: Box, factor: number)'),
    hash: 'changed',
  },
  {
    edit: 'changing the return type',
    spec: 'area',
    change: (f) => edit(f, 'src/spec.ts', 'scale: number): number;', 'scale: number): bigint;'),
    hash: 'changed',
  },
  {
    edit: 'changing the JSDoc wording',
    spec: 'area',
    change: (f) => edit(f, 'src/spec.ts', 'Compute the area of `box`', 'Compute the perimeter of `box`'),
    hash: 'changed',
  },
  {
    edit: 'adding an @throws tag',
    spec: 'area',
    change: (f) => edit(f, 'src/spec.ts', ' * with {@link helper}.\n', ' * with {@link helper}.\n * @throws RangeError if scale is negative\n'),
    hash: 'changed',
  },
  {
    edit: 'changing an interface the signature references through a type alias in another file',
    spec: 'area',
    change: (f) => edit(f, 'src/shapes.ts', 'export interface Point { x: number; y: number }', 'export interface Point { x: number; y: number; z: number }'),
    hash: 'changed',
  },
  {
    edit: 'changing an interface imported into that file from a third file, two references away',
    spec: 'area',
    change: (f) => edit(f, 'src/types.ts', 'export interface Inner { code: number }', 'export interface Inner { code: string }'),
    hash: 'changed',
  },
  {
    edit: 'reformatting and commenting a referenced interface',
    spec: 'area',
    change: (f) => edit(f, 'src/shapes.ts', 'export interface Point { x: number; y: number }',
      'export interface Point {\n  // horizontal\n  x: number;\n  /** vertical */\n  y: number;\n}'),
    hash: 'unchanged',
  },
  {
    edit: 'editing an unrelated type in a referenced file',
    spec: 'area',
    change: (f) => edit(f, 'src/types.ts', 'export interface Unrelated { x: number }', 'export interface Unrelated { x: string; y: boolean }'),
    hash: 'unchanged',
  },
  {
    edit: 'editing an unrelated type beside the referenced one',
    spec: 'area',
    change: (f) => edit(f, 'src/shapes.ts', 'export interface Lonely { z: string }', 'export interface Lonely { z: number }'),
    hash: 'unchanged',
  },
  {
    edit: "editing the JSDoc of a dependency named with {@link}",
    spec: 'area',
    change: (f) => edit(f, 'src/dep.ts', 'Round `n` to two decimals.', 'Round `n` to three decimals.'),
    hash: 'changed',
  },
  {
    edit: 'editing the JSDoc of a dependency listed in @jauntDeps',
    spec: 'fmt',
    change: (f) => edit(f, 'src/dep.ts', 'Round `n` down to an integer.', 'Round `n` toward zero.'),
    hash: 'changed',
  },
  {
    edit: 'editing a spec that is not a dependency',
    spec: 'area',
    change: (f) => edit(f, 'src/spec.ts', 'Reverse `s`.', 'Reverse `s` by code point.'),
    hash: 'unchanged',
  },
  {
    edit: 'editing a spec in the same file as a dependency, but not the dependency',
    spec: 'fmt',
    change: (f) => edit(f, 'src/dep.ts', 'Round `n` to two decimals.', 'Round `n` to three decimals.'),
    hash: 'unchanged',
  },
];

describe('spec hash stability', () => {
  const base = hashesOf({ ...BASE });

  test('the base project has every spec keyed with a distinct hash', () => {
    expect([...base.keys()].sort()).toEqual(['area', 'floorIt', 'fmt', 'helper', 'other']);
    expect(new Set(base.values()).size).toBe(5);
    for (const h of base.values()) expect(h).toMatch(/^[0-9a-f]{16}$/);
  });

  const titled = ROWS.map((r) => [`${r.edit} ${r.hash === 'changed' ? 'changes' : 'keeps'} the hash of ${r.spec}`, r] as const);
  test.each(titled)('%s', (_title, { spec, change, hash }) => {
    const after = hashesOf(change({ ...BASE }));
    const was = base.get(spec);
    expect(was).toBeDefined();
    if (hash === 'changed') expect(after.get(spec)).not.toBe(was);
    else expect(after.get(spec)).toBe(was);
  });

  test('a dependency edit reaches dependents only through the dependency graph', () => {
    const after = hashesOf(edit({ ...BASE }, 'src/dep.ts', 'Round `n` to two decimals.', 'Round `n` to three decimals.'));
    expect(after.get('helper')).not.toBe(base.get('helper'));
    expect(after.get('area')).not.toBe(base.get('area'));
    expect(after.get('floorIt')).toBe(base.get('floorIt'));
    expect(after.get('fmt')).toBe(base.get('fmt'));
    expect(after.get('other')).toBe(base.get('other'));
  });

  test('analyzing the same sources twice gives the same hashes (no positions, ids or times in the key)', () => {
    expect(hashesOf({ ...BASE })).toEqual(base);
  });

  test('the sync and async hash of every spec agree', async () => {
    const analysis = analyze({ ...BASE });
    for (const spec of analysis.specs) {
      const deps = spec.ir.deps.map((id) => {
        const dep = analysis.byId.get(id)!;
        return [dep.ir.name, dep.hash!] as const;
      });
      expect(specHash(spec.ir, deps)).toBe(spec.hash);
      expect(await specHashAsync(spec.ir, deps)).toBe(spec.hash);
    }
  });
});

describe('what the hash does not cover', () => {
  const tmp: string[] = [];
  afterAll(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test('the canonical spec text names no model, prompt, file, line or export', () => {
    const spec = analyze({ ...BASE }).specs.find((s) => s.ir.name === 'area')!;
    const canonical = JSON.parse(canonicalSpec(spec.ir, [])) as Record<string, unknown>;
    expect(Object.keys(canonical).sort()).toEqual(['deps', 'doc', 'format', 'name', 'signatures', 'types']);
  });

  test('an entry written by a different model for the same spec is a hit', () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jaunt-model-'));
    tmp.push(cacheDir);
    const spec = analyze({ ...BASE }).specs.find((s) => s.ir.name === 'other')!;
    const body = 'export function other(s: string): string {\n  return [...s].reverse().join("");\n}\n';
    writeEntry(cacheDir, { name: 'other', hash: spec.hash!, file: spec.ir.file, model: 'some-other-model-2030', body });
    const lookup = lookupEntry(cacheDir, 'other', spec.hash!);
    expect(lookup.status).toBe('hit');
    expect(lookup.status === 'hit' && lookup.meta.model).toBe('some-other-model-2030');
    // Re-analysis (as under another model setting) keys the spec the same way.
    expect(analyze({ ...BASE }).specs.find((s) => s.ir.name === 'other')!.hash).toBe(spec.hash);
  });
});
