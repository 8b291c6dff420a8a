/**
 * The host of Jaunt's own programs (core/program-host.ts): declaration files under node_modules are parsed
 * once per process and parse settings and shared by later programs, parsed again when they change on disk
 * or when the settings differ; the project's own files are always read afresh.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { loadProject } from '../core/load-program';
import { REPO, removeProject } from './support/temp-project';
import { runtimes } from './support/runtimes';

let dir: string;
const DTS = () => path.join(dir, 'node_modules', 'shapes', 'index.d.ts');
const MAIN = () => path.join(dir, 'src', 'main.ts');

function writeProject(target: string): void {
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target, lib: ['ES2022'], module: 'commonjs', strict: true, types: [], skipLibCheck: true, noEmit: true }, include: ['src'] }));
}

const load = () => loadProject(ts, path.join(dir, 'tsconfig.json')).program;

beforeAll(() => {
  fs.mkdirSync(path.join(REPO, '.tmp-tests'), { recursive: true });
  dir = fs.mkdtempSync(path.join(REPO, '.tmp-tests', 'program-host-'));
  fs.mkdirSync(path.dirname(DTS()), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', 'shapes', 'package.json'), JSON.stringify({ name: 'shapes', types: 'index.d.ts' }));
  fs.writeFileSync(DTS(), '/** A circle. */\nexport interface Circle { r: number }\n');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(MAIN(), "import type { Circle } from 'shapes';\nexport const c: Circle = { r: 1 };\n");
  writeProject('ES2022');
});
afterAll(() => removeProject(dir));

test('a second program gets the same parsed declaration file, and the project file parsed anew', () => {
  const first = load();
  const second = load();
  expect(second.getSourceFile(DTS())).toBe(first.getSourceFile(DTS()));
  expect(second.getSourceFile(MAIN())).not.toBe(first.getSourceFile(MAIN()));
  expect(ts.getPreEmitDiagnostics(second)).toEqual([]);
});

test('a declaration file that changed on disk is parsed again, and its new content is what the checker sees', () => {
  const before = load();
  fs.writeFileSync(DTS(), '/** A circle. */\nexport interface Circle { radius: number }\n');
  const after = load();
  expect(after.getSourceFile(DTS())).not.toBe(before.getSourceFile(DTS()));
  expect(ts.getPreEmitDiagnostics(after).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n')).toMatch(/'r' does not exist in type 'Circle'/);
  fs.writeFileSync(DTS(), '/** A circle. */\nexport interface Circle { r: number }\n');
});

test('other parse settings get their own parse', () => {
  const es2022 = load();
  writeProject('ES2015');
  try {
    expect(load().getSourceFile(DTS())).not.toBe(es2022.getSourceFile(DTS()));
  } finally {
    writeProject('ES2022');
  }
});

test('another TypeScript loaded in the same process gets its own parse, which its checker accepts', () => {
  const other = require(runtimes().typescript('6.0')) as typeof ts;
  const mine = load();
  const theirs = loadProject(other, path.join(dir, 'tsconfig.json')).program;
  expect(theirs.getSourceFile(DTS())).not.toBe(mine.getSourceFile(DTS()));
  expect(other.getPreEmitDiagnostics(theirs)).toEqual([]);
});

test('another copy of the module, as a new module registry loads it, shares the parses of the same compiler', () => {
  const mine = load();
  let copy: typeof import('../core/load-program') | undefined;
  jest.isolateModules(() => {
    copy = require('../core/load-program') as typeof import('../core/load-program');
  });
  expect(copy!.loadProject).not.toBe(loadProject);
  const theirs = copy!.loadProject(ts, path.join(dir, 'tsconfig.json')).program;
  expect(theirs.getSourceFile(DTS())).toBe(mine.getSourceFile(DTS()));
});
