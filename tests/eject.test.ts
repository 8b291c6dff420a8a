/**
 * `jaunt eject`: specs become plain functions in their source files, from their committed entries, placed
 * as the splice plan places them; the project still compiles strictly and runs the same.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { main } from '../cli/main';
import { FixtureProject, lastJsonLine, run } from './support/fixture-project';

/** `jaunt <args>` in-process, with what it prints. */
async function jaunt(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await main(args, { NO_COLOR: '1', CI: '1' }, dir), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** The project's errors under its own options plus noUnusedLocals (an ejected file must not leave dead imports). */
function compileErrors(dir: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), { noUnusedLocals: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const program = ts.createProgram(config.fileNames, config.options);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

describe('jaunt eject', () => {
  let p: FixtureProject;
  beforeAll(() => {
    p = FixtureProject.copy('bundlers');
  });
  afterAll(() => p.cleanup());

  it('replaces the declarations with their implementations, keeping the JSDoc without @jaunt', async () => {
    const r = await jaunt(p.dir, ['eject', 'slugify', 'parseCsvLine']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ejected slugify into src/slug.ts (from .jaunt/slugify.');
    const slug = p.read('src/slug.ts');
    expect(slug).not.toContain('declare function');
    expect(slug).toMatch(/ \* 60\), cut before the first word that does not fit; a first word longer than that is truncated\.\n \*\/\nexport function slugify\(title: string, maxLength: number = DEFAULT_MAX_LENGTH\): string \{/);
    expect(slug).not.toContain('@jaunt');
    // The helper keeps its name and the file's own import serves the code: no second import.
    expect(slug).toContain('function words(title: string): string[]');
    expect(slug.match(/import \{ STOP_WORDS \} from '\.\/words';/g)).toHaveLength(1);
    expect(slug).not.toContain('STOP_WORDS_1');
    expect(p.read('src/csv.ts')).toContain('function readQuoted(line: string, start: number)');
  });

  it('leaves a project that type-checks strictly and that Jaunt sees with the other specs only', async () => {
    expect(compileErrors(p.dir)).toEqual([]);
    const r = await jaunt(p.dir, ['status', '--json']);
    const specs = (JSON.parse(r.stdout) as { specs: { name: string; status: string }[] }).specs;
    expect(specs.map((s) => `${s.name}:${s.status}`).sort()).toEqual(['badgeLabel:fresh', 'median:fresh', 'summarize:fresh']);
  });

  it('leaves a project whose bundle runs the same', async () => {
    const build = await run(process.execPath, ['esbuild.mjs'], { cwd: p.dir });
    expect(build.output).toBe('');
    expect(lastJsonLine(await p.node('out/esbuild/main.mjs'))).toEqual({
      slugs: ['creme-brulee-classic', 'art-war', 'say-hi'], summary: { count: 3, min: 7, max: 9, mean: 8, median: 8 }, badge: '3',
    });
  });

  it('refuses a spec that another spec depends on, naming both, and writes nothing', async () => {
    const before = p.read('src/stats.mts');
    const r = await jaunt(p.dir, ['eject', 'median']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("JAUNT4013: spec 'median' (src/stats.mts:14) is a dependency of 'summarize'");
    expect(r.stderr).toContain('jaunt eject median summarize');
    expect(p.read('src/stats.mts')).toBe(before);
  });

  it('refuses a spec that has no implementation for its contract', async () => {
    p.edit('src/badge.tsx', (t) => t.replace('"99+" above', '"99+" above 99'));
    const before = p.read('src/badge.tsx');
    const r = await jaunt(p.dir, ['eject', 'badgeLabel']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("JAUNT4013: spec 'badgeLabel' (src/badge.tsx:6) has no implementation to eject (stale");
    expect(r.stderr).toContain('run `jaunt build` first');
    expect(p.read('src/badge.tsx')).toBe(before);
  });

  it('prints the rewritten files with --dry-run and writes nothing', async () => {
    const before = p.read('src/stats.mts');
    const r = await jaunt(p.dir, ['eject', 'median', 'summarize', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('// src/stats.mts (not written: --dry-run)');
    expect(r.stdout).toContain('export function summarize(values: readonly number[]): Summary {');
    expect(p.read('src/stats.mts')).toBe(before);
  });
});
