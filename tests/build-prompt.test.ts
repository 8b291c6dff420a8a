import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts = require('typescript');
import { analyzeProgram, type ProgramAnalysis } from '../core/analyze-program';
import { loadProject } from '../core/load-program';
import { buildPrompt, readPackageDeps, repairTurns, type Prompt } from '../generate/build-prompt';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

interface Loaded {
  program: ts.Program;
  analysis: ProgramAnalysis;
  prompt(name: string): Prompt;
}

function load(dir: string, packageDeps: string[] = []): Loaded {
  const { program } = loadProject(ts, path.join(dir, 'tsconfig.json'));
  const analysis = analyzeProgram(ts, program, dir);
  return {
    program, analysis,
    prompt: (name) => {
      const spec = analysis.specs.find((s) => s.ir.name === name);
      if (!spec) throw new Error(`no spec ${name}`);
      return buildPrompt(ts, program, analysis, spec, { packageDeps });
    },
  };
}

/** Writes a small project to a temp folder: tsconfig options plus files relative to it. */
function tempProject(options: Record<string, unknown>, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jaunt-prompt-'));
  const compilerOptions = { target: 'ES2022', strict: true, types: [], skipLibCheck: true, noEmit: true, ...options };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const temps: string[] = [];
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('buildPrompt on the fixture projects', () => {
  let basic: Loaded;
  let esm: Loaded;
  let chain: Loaded;
  beforeAll(() => {
    basic = load(path.join(FIXTURES, 'basic-cjs'), ['left-over']);
    esm = load(path.join(FIXTURES, 'esm-nodenext'));
    chain = load(path.join(FIXTURES, 'gen-chain'));
  });

  test('every fixture prompt stays small: under 6000 characters, about 1500 tokens', () => {
    const sizes = [basic, esm, chain].flatMap((l) => l.analysis.specs.map((s) => {
      const p = l.prompt(s.ir.name);
      return { name: s.ir.name, chars: p.system.length + p.user.length };
    }));
    expect(sizes).toHaveLength(14);
    expect(sizes.filter((s) => s.chars >= 6000)).toEqual([]);
  });

  test('the user message starts with the Spec line the test server routes on', () => {
    expect(basic.prompt('clamp').user.split('\n')[0]).toBe('Spec: clamp');
    expect(/^Spec: (.+?)\s*$/m.exec(chain.prompt('formatTable').user)?.[1]).toBe('formatTable');
  });

  test('the spec appears verbatim: its JSDoc and declaration as written', () => {
    const { user } = basic.prompt('clamp');
    const file = fs.readFileSync(path.join(FIXTURES, 'basic-cjs', 'src', 'math.ts'), 'utf8');
    const written = file.slice(file.indexOf('/**\n * Clamp'), file.indexOf('number;', file.indexOf('declare function clamp')) + 'number;'.length);
    expect(user).toContain(written);
  });

  test('all overloads of a spec are shown', () => {
    const { user } = esm.prompt('toNumber');
    expect(user).toContain('export declare function toNumber(x: string): number;\nexport declare function toNumber(x: number): number;');
  });

  test("unrelated code of the spec's file stays out of the prompt", () => {
    const clamp = basic.prompt('clamp');
    expect(clamp.user).not.toMatch(/digestOf|early|md5|SHA-256/);
    const slug = esm.prompt('slugWithSuffix').user;
    expect(slug).not.toMatch(/randomUUID\(\)\.length|Wait `ms`|Parse a number/);
    expect(chain.prompt('formatTable').user).not.toMatch(/The sum of every value/);
  });

  test("the spec file's imports and the compiler settings are given", () => {
    const { user } = esm.prompt('later');
    expect(user).toContain("import { randomUUID } from 'node:crypto';\nimport { slugify } from './slug.mjs';");
    expect(user).toMatch(/Compiler: target ES2022; module NodeNext \(this file is emitted as an ES module\); lib es2022; types node; strict/);
    expect(esm.prompt('sum').user).toMatch(/this file is emitted as CommonJS/);
  });

  test('dependencies in the same file are to be called directly, with their contract', () => {
    const { user } = chain.prompt('formatTable');
    expect(user).toMatch(/- formatRow: declared in src\/report\.ts: call it directly/);
    expect(user).toContain('Join `cells`, each centered with {@link padCenter}');
    expect(user).toContain('export declare function formatRow(cells: string[], widths: number[]): string;');
  });

  test('dependencies the file already imports are named as in scope', () => {
    const { user } = chain.prompt('titleCase');
    expect(user).toMatch(/- capitalize: already imported by src\/format\.ts: call it directly/);
    expect(user).toMatch(/- words: already imported by src\/format\.ts: call it directly/);
    expect(user).toContain('export declare function words(text: string): string[];');
  });

  test('referenced project types are given as written, with where they come from', () => {
    const { user } = chain.prompt('total');
    expect(user).toContain('// Row (declared in src/report.ts: in scope)\n/** One row of a report. */\nexport interface Row {');
  });

  test('the system rules name the function, the allowed packages and the forbidden shortcuts', () => {
    const { system } = basic.prompt('sha256');
    expect(system).toMatch(/exactly one ```ts code block/);
    expect(system).toContain('`function sha256(...) { ... }`');
    expect(system).toContain('these packages of the project: left-over');
    expect(system).toMatch(/No `any`.*`@ts-ignore`/);
    expect(system).toMatch(/Never import src\/math\.ts itself/);
    expect(system).toMatch(/Without a grant the code may not read and write files .*reach the network/);
    expect(system).toMatch(/No console output unless the contract asks for it/);
    expect(esm.prompt('sum').system).toMatch(/no npm packages/);
  });

  test('a repair is two turns: the rejected candidate as the model\'s answer, then its errors and a request for a full corrected answer', () => {
    const [answer, feedback] = repairTurns('export function clamp(): number {\n  return 0;\n}\n', ['line 1: TS2322: nope', 'the implementation does not match']);
    expect(answer).toEqual({ role: 'assistant', content: '```ts\nexport function clamp(): number {\n  return 0;\n}\n```' });
    expect(feedback!.role).toBe('user');
    expect(feedback!.content).toContain('- line 1: TS2322: nope\n- the implementation does not match');
    expect(feedback!.content).toMatch(/corrected, complete implementation/);
  });

  test('a rejected reply holding its own fences is shown inside a longer fence', () => {
    const reply = 'Here:\n```js\nfunction clamp() {}\n```';
    const [answer] = repairTurns(reply, ['reply has no ```ts code block']);
    expect(answer!.content).toBe('````ts\n' + reply + '\n````');
  });

  test('the first prompt carries no repair: it stays the same on every attempt, for the prompt cache', () => {
    expect(basic.prompt('clamp')).toEqual(basic.prompt('clamp'));
    expect(basic.prompt('clamp').user).not.toMatch(/rejected/);
  });
});

describe('buildPrompt on dependencies and types the spec file does not import', () => {
  const files = {
    'src/strings.ts': '/**\n * Split `text` into words.\n * @jaunt\n */\nexport declare function words(text: string): string[];\n',
    'src/cell.ts': 'export interface Cell { text: string }\n',
    'src/row.ts': "import type { Cell } from './cell';\nexport interface Row { cells: Cell[] }\n",
    'src/report.ts': "import type { Row } from './row';\n\n/**\n * Count the words of every cell of `row`.\n * @jauntDeps words\n * @jaunt\n */\n" +
      'export declare function countWords(row: Row): number;\n',
  };

  test('under NodeNext resolution the import to write carries the .js extension', () => {
    const dir = tempProject({ module: 'NodeNext', moduleResolution: 'NodeNext' }, files);
    temps.push(dir);
    const { user } = load(dir).prompt('countWords');
    expect(user).toContain("- words: import { words } from './strings.js'");
    expect(user).toContain("// Cell (from src/cell.ts: import type { Cell } from './cell.js')");
    expect(user).toContain('// Row (from src/row.ts: imported by src/report.ts, in scope)');
  });

  test('under CommonJS with node10 resolution the import to write has no extension', () => {
    const dir = tempProject({ module: 'commonjs', moduleResolution: 'node10' }, files);
    temps.push(dir);
    const { user } = load(dir).prompt('countWords');
    expect(user).toContain("- words: import { words } from './strings'");
    expect(user).toMatch(/Compiler: target ES2022; module CommonJS \(this file is emitted as CommonJS\); lib default for ES2022; types \(none\); strict\./);
  });
});

describe('readPackageDeps', () => {
  test('lists dependencies, devDependencies and peerDependencies of the nearest package.json, sorted', () => {
    const dir = tempProject({}, {
      'package.json': JSON.stringify({ dependencies: { zod: '1' }, devDependencies: { '@types/node': '20', jest: '30' }, peerDependencies: { react: '18', zod: '1' } }),
      'packages/app/src/x.ts': '',
    });
    temps.push(dir);
    expect(readPackageDeps(path.join(dir, 'packages', 'app'))).toEqual(['@types/node', 'jest', 'react', 'zod']);
  });

  test('a package.json without dependency fields, or an unreadable one, allows no packages', () => {
    const empty = tempProject({}, { 'package.json': '{ "name": "x" }' });
    const broken = tempProject({}, { 'package.json': '{ not json' });
    temps.push(empty, broken);
    expect(readPackageDeps(empty)).toEqual([]);
    expect(readPackageDeps(broken)).toEqual([]);
  });
});
