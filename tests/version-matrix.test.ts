/**
 * The versions the peer ranges promise: the core fixtures compiled by tspc with the plugin under TypeScript
 * 5.0, 5.4 and 6.0 (ts-patch 3 on the Node running the tests; 5.9 there is the rest of the suite), by
 * ts-patch 3 with 5.9 under Node 22, and by ts-patch 4 with 6.0 under Node 22 and 24, each emitted program
 * run by the same Node. `jaunt test` runs under each too, and runs the classes fixture's member examples in
 * the sandbox of that Node (its permission flags differ from 20 to 22.13+).
 * The compilers and Node binaries come from the npm registry (tests/runtimes, see support/runtimes.ts). Each
 * project has its own `node_modules/typescript`, so the CLI loads the version under test as it would in a
 * user's project.
 */
import * as fs from 'node:fs';
import { FixtureProject, childEnv, lastJsonLine, run, type RunResult } from './support/fixture-project';
import { JAUNT, parseJson } from './support/cli-project';
import type { TestJson } from '../cli/json-shapes';
import { runtimes, TS_VERSIONS, type NodeMajor, type TsVersion } from './support/runtimes';
import { CLASSES_RUN } from './support/classes-fixture';

const BASIC = { early: 10, c: 0 };
const ESM = { s: 'hello-world-2', l: 'x', n: 5.5, sum: 6, id: 36 };
/** The classes fixture's example assertions, members' and classes' together. */
const CLASS_ASSERTIONS = 37;

interface Toolchain {
  ts: TsVersion;
  node: NodeMajor;
  tsPatch: 3 | 4;
}

/** A fixture whose `node_modules/typescript` is the version under test. */
function projectFor(fixture: string, ts: TsVersion): FixtureProject {
  const p = FixtureProject.copy(fixture);
  fs.mkdirSync(p.path('node_modules'));
  fs.symlinkSync(runtimes().typescript(ts), p.path('node_modules', 'typescript'), 'dir');
  return p;
}

function tspc(p: FixtureProject, tc: Toolchain): Promise<RunResult> {
  const rt = runtimes();
  // ts-patch loads the compiler named by TSP_COMPILER_TS_PATH (its documented switch), else its own sibling.
  return run(rt.node(tc.node), [rt.tspc(tc.tsPatch), '-p', '.'], { cwd: p.dir, env: childEnv({ TSP_COMPILER_TS_PATH: rt.typescript(tc.ts) }) });
}

const nodeRun = (p: FixtureProject, tc: Toolchain, file: string): Promise<RunResult> => run(runtimes().node(tc.node), [file], { cwd: p.dir, timeoutMs: 30_000 });
const jaunt = (p: FixtureProject, tc: Toolchain, args: string[]): Promise<RunResult> => run(runtimes().node(tc.node), [JAUNT, ...args], { cwd: p.dir });

const fullVersion = (ts: TsVersion): string => (JSON.parse(fs.readFileSync(`${runtimes().typescript(ts)}/package.json`, 'utf8')) as { version: string }).version;

/** The classes fixture's cache, authored once (by the suite's TypeScript) and committed to each row's copy. */
let authoredClasses: Map<string, Buffer> | undefined;

function authorClasses(p: FixtureProject): Map<string, Buffer> {
  expect(p.authorOffline().missing).toEqual([]);
  return new Map(fs.readdirSync(p.path('.jaunt')).map((name) => [name, fs.readFileSync(p.path('.jaunt', name))]));
}

/** The checks every toolchain of the matrix passes. */
function coreFixtures(tc: Toolchain): void {
  test('basic-cjs: the spliced functions run (one at module load above its spec); a spec without an entry fails the build with JAUNT2001 at its file:line and throws it', async () => {
    const p = projectFor('basic-cjs', tc.ts);
    try {
      p.remove(p.entryOf('sha256'));
      p.write('src/main.ts', "import { clamp, early, sha256 } from './math';\nconsole.log(JSON.stringify({ early, c: clamp(-3, 0, 10) }));\ntry { sha256('abc'); } catch (e) { console.log(JSON.stringify({ sha256: (e as Error).message })); }\n");
      const line = p.read('src/math.ts').split('\n').findIndex((l) => l.startsWith('export declare function sha256')) + 1;
      const build = await tspc(p, tc);
      expect(build.status).not.toBe(0);
      expect(build.stdout).toContain(`src/math.ts(${line},1): error TS992001: JAUNT2001: spec 'sha256' (src/math.ts:${line}) has no cached implementation`);
      expect(build.stdout.match(/error TS/g)).toHaveLength(1);
      expect(build.stderr).toBe('');
      const r = await nodeRun(p, tc, 'out/main.js');
      expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
        { early: BASIC.early, c: BASIC.c },
        { sha256: expect.stringMatching(/Jaunt has no implementation for spec 'sha256'[\s\S]*JAUNT2001/) },
      ]);
      // The declaration output keeps the spec as written.
      expect(p.read('out/math.d.ts')).toMatch(/export declare function clamp\(value: number, min: number, max: number\): number;/);
    } finally {
      p.cleanup();
    }
  });

  test('esm-nodenext builds as ES modules (.mts and .cts included) without a diagnostic, and its program prints the spliced values', async () => {
    const p = projectFor('esm-nodenext', tc.ts);
    try {
      const build = await tspc(p, tc);
      expect({ status: build.status, output: build.output }).toEqual({ status: 0, output: '' });
      expect(lastJsonLine(await nodeRun(p, tc, 'out/main.js'))).toEqual(ESM);
    } finally {
      p.cleanup();
    }
  });

  test('classes: jaunt test, run by this Node with this TypeScript, passes every member example in the sandbox of this Node, and the classes splice and run', async () => {
    const p = projectFor('classes', tc.ts);
    try {
      // Entries authored by the TypeScript of the test process: a cache must mean the same under every compiler.
      authoredClasses ??= authorClasses(p);
      fs.mkdirSync(p.path('.jaunt'), { recursive: true });
      for (const [name, bytes] of authoredClasses) fs.writeFileSync(p.path('.jaunt', name), bytes);
      // Every example anew, each file's in a child under this Node's permission model; the CLI loads the project's TypeScript.
      const examples = await jaunt(p, tc, ['test', '--json']);
      const json = parseJson<TestJson>(examples.stdout);
      expect({ status: examples.status, ranWith: json.ranWith, counts: json.counts }).toEqual({
        status: 0,
        ranWith: { node: tc.node === 20 ? process.versions.node : expect.stringMatching(new RegExp(`^${tc.node}\\.`)), typescript: fullVersion(tc.ts) },
        counts: { specs: 8, assertions: CLASS_ASSERTIONS, passed: CLASS_ASSERTIONS, failures: 0, notRun: 0 },
      });
      const build = await tspc(p, tc);
      expect({ status: build.status, output: build.output }).toEqual({ status: 0, output: '' });
      expect(lastJsonLine(await nodeRun(p, tc, 'out/main.js'))).toEqual(CLASSES_RUN);
    } finally {
      p.cleanup();
    }
  });
}

// 5.9 on the Node running the tests is every other test file's toolchain, and the Node 22 row below spawns
// the real ts-patch 3 with 5.9 on these fixtures: a row of its own here would repeat both.
describe.each(TS_VERSIONS.filter((v) => v !== '5.9'))('TypeScript %s through ts-patch 3 on the Node running the tests', (ts) => {
  coreFixtures({ ts, node: 20, tsPatch: 3 });
});

// ts-patch 4 needs Node >= 22.15 and TypeScript >= 6; TypeScript 5.x on Node 22 uses ts-patch 3.
describe.each<[NodeMajor, TsVersion, 3 | 4]>([[22, '6.0', 4], [24, '6.0', 4], [22, '5.9', 3]])('Node %i with TypeScript %s through ts-patch %i', (node, ts, tsPatch) => {
  coreFixtures({ ts, node, tsPatch });
});
