/**
 * The text splice a bundler gets (in-process, through the bundler plugin's project session): the splice
 * plan rendered as TypeScript with a source map, and the errors for what it cannot splice.
 */
import * as fs from 'node:fs';
import { ProjectSession } from '../bundler/project-session';
import { vlq } from '../splice/source-map';
import { FixtureProject } from './support/fixture-project';
import { decodeMappings, decodeVlq } from './support/source-map';

describe('the text splice of a bundler plugin', () => {
  let p: FixtureProject;
  let session: ProjectSession;
  beforeAll(() => {
    p = FixtureProject.copy('bundlers');
    session = new ProjectSession({}, p.dir);
  });
  afterAll(() => p.cleanup());

  const transform = (rel: string, code = p.read(rel)) => session.transform(code, p.path(rel));

  it('writes base64 VLQ as source maps read it', () => {
    for (const n of [0, 1, -1, 15, 16, -16, 1000, -123456, 2 ** 30]) expect(decodeVlq(vlq(n))).toEqual([n]);
  });

  it('replaces a spec with its implementation and maps every copied token to where it was', () => {
    const original = p.read('src/slug.ts');
    const out = transform('src/slug.ts');
    expect(out.errors).toEqual([]);
    const code = out.result!.code;
    expect(code).not.toContain('declare function');
    expect(code).toMatch(/export function slugify\(title: string, maxLength: number = DEFAULT_MAX_LENGTH\): string \{/);
    // The JSDoc is copied: each of its lines maps to its own line and column 0 of the original.
    const lines = code.split('\n');
    const segments = decodeMappings(out.result!.map.mappings);
    const docLine = lines.findIndex((l) => l.includes('The URL slug of a title'));
    const originalLine = original.split('\n').findIndex((l) => l.includes('The URL slug of a title'));
    expect(segments[docLine]![0]).toEqual({ column: 0, source: 0, line: originalLine, sourceColumn: 0 });
    for (const s of segments[docLine]!) expect(original.split('\n')[s.line!]!.slice(s.sourceColumn!)).toBe(lines[docLine]!.slice(s.column));
    // Spliced lines map to the spec's declaration (line 9, 0-based 8).
    const bodyLine = lines.findIndex((l) => l.includes('const kept = all.filter'));
    expect(segments[bodyLine]!.map((s) => s.line)).toEqual([8]);
    expect(out.result!.map.sourcesContent).toEqual([original]);
    expect(out.watch.map((w) => w.replace(p.dir, ''))).toEqual([expect.stringMatching(/^\/\.jaunt\/slugify\.[0-9a-f]{16}\.ts$/)]);
  });

  it('leaves files without specs alone', () => {
    expect(transform('src/main.ts')).toEqual({ errors: [], warnings: [], watch: [] });
  });

  it('refuses a file with specs that the tsconfig does not include, saying how to include it', () => {
    p.write('lib/extra.ts', '/**\n * Twice `n`.\n * @jaunt\n */\nexport declare function double(n: number): number;\n');
    const out = transform('lib/extra.ts');
    expect(out.result).toBeUndefined();
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]!.message).toMatch(/JAUNT4011: .*lib\/extra\.ts declares @jaunt specs but is not part of the program of .*tsconfig\.json.*"include"/);
  });

  it('takes in a file with specs added to an included folder since the program was built', () => {
    p.write('src/extra.ts', '/**\n * Twice `n`.\n * @jaunt\n */\nexport declare function double(n: number): number;\n');
    const out = transform('src/extra.ts');
    expect(out.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^src\/extra\.ts:5: JAUNT2001: spec 'double' \(src\/extra\.ts:5\) has no cached implementation/)]);
    p.remove('src/extra.ts');
    session.changed(p.path('src/extra.ts'));
  });

  it('refuses code that another plugin changed before it', () => {
    const out = transform('src/csv.ts', `${p.read('src/csv.ts')}\nexport const injected = 1;\n`);
    expect(out.result).toBeUndefined();
    expect(out.errors[0]!.message).toContain("JAUNT4012: the code of");
    expect(out.errors[0]!.message).toContain("list jaunt first among the plugins (it runs with enforce: 'pre')");
  });

  it('follows a spec edited on disk, reporting the missing entry at the spec', () => {
    p.edit('src/csv.ts', (t) => t.replace('Spaces are\n * kept as written.', 'Spaces are\n * kept exactly as written.'));
    const out = transform('src/csv.ts');
    expect(out.result).toBeUndefined();
    expect(out.errors).toEqual([{
      message: expect.stringMatching(/^src\/csv\.ts:8: JAUNT2001: spec 'parseCsvLine' \(src\/csv\.ts:8\) has no cached implementation .* Run `npx jaunt build`/),
      loc: { file: fs.realpathSync(p.path('src/csv.ts')) === p.path('src/csv.ts') ? p.path('src/csv.ts') : expect.any(String), line: 8, column: 0 },
    }]);
  });

  it('reports a hand-edited entry as a warning and ships it', () => {
    const entry = p.entryOf('median');
    p.edit(entry, (t) => t.replace("'median of an empty array'", "'no median: the array is empty'"));
    session.changed(p.path(entry));
    const out = transform('src/stats.mts');
    expect(out.errors).toEqual([]);
    expect(out.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^src\/stats\.mts:14: JAUNT2003: cache entry \.jaunt\/median\.[0-9a-f]+\.ts for spec 'median' was edited by hand/)]);
    expect(out.result!.code).toContain("'no median: the array is empty'");
  });
});
