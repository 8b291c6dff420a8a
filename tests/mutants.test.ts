import * as path from 'node:path';
import * as ts from 'typescript';
import { mutantsOf } from '../behaviour/mutants';
import type { TestJson } from '../cli/json-shapes';
import { REPO, copyProject, jaunt, parseJson, removeProject, requireBuiltCli } from './support/cli-project';

beforeAll(() => requireBuiltCli());

describe('mutants of an implementation', () => {
  const body = [
    "const LIMITS: Record<number, string> = { 0: 'none', 1: 'one' };",
    'type Small = 0 | 1 | true;',
    'export function pick(n: number, strict: boolean = true): string {',
    "  if (n < 0 || !Number.isInteger(n)) throw new RangeError('pick: n must be a whole number');",
    '  const known = LIMITS[n] as string | undefined;',
    "  return known ?? (strict ? 'many' : String(n * 2));",
    '}',
  ].join('\n');

  test('each site of a comparison, logic, boolean, constant, throw and return gives one mutant; types and property names give none', () => {
    const mutants = mutantsOf(ts, body);
    expect(mutants.map((m) => `${m.line}:${m.column} ${m.kind} ${m.change}`)).toEqual([
      '3:51 boolean `true` → `false`',
      '4:13 logical `||` → `&&`',
      '4:9 comparison `<` → `>=`',
      '4:11 constant `0` → `1`',
      "4:38 throw removed `throw new RangeError('pick: n must be...`",
      "6:10 return `return known ?? (strict ? 'many' :...` → `return undefined`",
      '6:49 constant `2` → `2 + 1`',
    ]);
    // Every mutant is the body with exactly that change, and still parses.
    const flipped = mutants.find((m) => m.kind === 'comparison')!;
    expect(flipped.body).toBe(body.replace('n < 0', 'n >= 0'));
    for (const m of mutants) {
      const sf = ts.createSourceFile('m.ts', m.body, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
      expect((sf as ts.SourceFile & { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
    }
  });
});

type Scores = NonNullable<TestJson['mutants']>;
const spec = (scores: Scores, name: string) => scores.specs.find((s) => s.name === name)!;
const survivors = (scores: Scores, name: string) => spec(scores, name).mutants.filter((m) => !m.killed).map((m) => `${m.line} ${m.kind} ${m.change}`);

describe('jaunt test --mutants', () => {
  test('scores a fixture: boundary examples kill their mutants, the boundaries no example checks survive, and a mutant that loops is killed by the timeout', async () => {
    const dir = copyProject('mutants');
    try {
      const r = await jaunt(dir, ['test', '--mutants', '--json']);
      expect(r.status).toBe(0);
      const json = parseJson<TestJson>(r.stdout);
      const scores = json.mutants!;
      expect(spec(scores, 'grade')).toMatchObject({ killed: 9, total: 12, score: 0.75, baselineFailures: [], entry: expect.stringMatching(/^\.jaunt\/grade\.[0-9a-f]{16}\.ts$/) });
      expect(survivors(scores, 'grade')).toEqual(['14 constant `80` → `80 + 1`', '14 constant `70` → `70 + 1`', '17 constant `0` → `1`']);
      const grade = spec(scores, 'grade').mutants;
      expect(grade.find((m) => m.change === '`90` → `90 + 1`')).toMatchObject({ killed: true, killedBy: expect.stringContaining("`grade(90)` should be 'A' but was 'B'") });
      expect(grade.find((m) => m.kind === 'throw')).toMatchObject({ killed: true, killedBy: expect.stringContaining('`grade(101)` should throw RangeError') });

      // `y !== 0` → `y !== 1` never ends for gcd(12, 18): the sandbox's timeout kills it (the fixture's exampleTimeoutMs, 1 s, under the mutants' 5 s).
      expect(spec(scores, 'gcd')).toMatchObject({ killed: 3, total: 3 });
      expect(spec(scores, 'gcd').mutants.find((m) => m.change === '`0` → `1`')!.killedBy).toMatch(/did not finish within 1 s/);
      expect(scores).toMatchObject({ killed: 12, total: 15 });

      const plain = await jaunt(dir, ['test', '--mutants']);
      expect(plain.stdout).toContain('grade: killed 9/12 (75%) with 1 example');
      expect(plain.stdout).toMatch(/survived \.jaunt\/grade\.[0-9a-f]{16}\.ts:14:68 constant: `80` → `80 \+ 1`/);
      expect(plain.stdout).toContain('mutation score: 12/15 killed (80%) in 2 specs');
    } finally {
      removeProject(dir);
    }
  });

  test('scores examples/jwt against its RFC test vectors', async () => {
    const r = await jaunt(REPO, ['test', '--mutants', '--json', '-p', path.join('examples', 'jwt', 'tsconfig.json')]);
    expect(r.status).toBe(0);
    const json = parseJson<TestJson>(r.stdout);
    expect(json.counts).toMatchObject({ specs: 4, failures: 0, notRun: 0 });
    const scores = json.mutants!;
    expect(scores.specs.map((s) => [s.name, s.killed, s.total])).toEqual([
      ['base64urlEncode', 2, 2], ['base64urlDecode', 6, 8], ['createToken', 9, 9], ['verifyToken', 19, 33],
    ]);
    // The decoder's later checks catch what its first ones would: removing those throws changes nothing visible.
    expect(survivors(scores, 'base64urlDecode').every((s) => / throw removed /.test(s))).toBe(true);
    expect(scores).toMatchObject({ killed: 36, total: 52 });
  });
});
