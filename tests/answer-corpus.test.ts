/**
 * A corpus of realistic model answers (fixtures/corpus/answers), each implementing a spec after a small npm
 * package, generated through the fake model server and built by tspc as CommonJS and as ESM. The emitted program
 * runs every package's own test vectors. The same answers compiled by tsc next to their spec files (no Jaunt,
 * see support/corpus-reference.ts) pass them all: that build runs first, so a failure of the Jaunt build points at
 * Jaunt and not at the corpus.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { CASES } from '../fixtures/corpus/src/cases';
import { corpusSpecs, writeReferenceProject } from './support/corpus-reference';
import { startFakeAnthropic, code, type FakeAnthropic } from './support/fake-anthropic';
import { FIXTURES_DIR, FixtureProject, lastJsonLine, tspc } from './support/fixture-project';
import { cleanEnv, type RunResult } from './support/spawn-async';

const FORMATS = ['cjs', 'esm'] as const;
type Format = (typeof FORMATS)[number];

const ANSWERS = path.join(FIXTURES_DIR, 'corpus', 'answers');
const SPECS = corpusSpecs(path.join(FIXTURES_DIR, 'corpus', 'src')).map((s) => s.name).sort();

/** What main.js prints when every vector passes. */
const ALL_PASS = Object.fromEntries(Object.entries(CASES).map(([spec, vectors]) => [spec, { pass: vectors.length, fail: [] }]));

/** Compiler and Jaunt errors of a build, one per line, so a failing expectation shows them. */
const errorsOf = (r: RunResult): string[] => r.output.split('\n').filter((l) => /error TS\d+|JAUNT\d{4}/.test(l)).map((l) => l.trim());

/** tsc's compile of a project through the program API (the compiler's process is not what this file tests). */
function emitWithoutJaunt(configPath: string): { emitted: boolean; errors: string[] } {
  const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => path.dirname(configPath), getNewLine: () => '\n' };
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.formatDiagnostics([d], host));
  } })!;
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
  const emit = program.emit();
  const diagnostics = [...config.errors, ...ts.getPreEmitDiagnostics(program), ...emit.diagnostics];
  return { emitted: !emit.emitSkipped, errors: ts.formatDiagnostics(diagnostics, host).split('\n').filter((l) => l.trim()) };
}

/** How many requests named each spec. */
function requestsPerSpec(server: FakeAnthropic): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { spec = '(no spec)' } of server.requests) counts[spec] = (counts[spec] ?? 0) + 1;
  return counts;
}

/** A copy of the corpus that Node and tsc treat as the given module format. */
function corpusProject(format: Format): FixtureProject {
  const project = FixtureProject.copy('corpus');
  if (format === 'esm') project.write('package.json', '{ "name": "fixture-corpus", "private": true, "type": "module" }\n');
  return project;
}

test('the corpus has a vector table for every spec and an answer for every spec', () => {
  expect(Object.keys(CASES).sort()).toEqual(SPECS);
  expect(fs.readdirSync(ANSWERS).map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(SPECS);
});

describe.each(FORMATS)('realistic model answers in a project built as %s', (format) => {
  const tsconfig = `tsconfig.${format}.json`;
  let server: FakeAnthropic;
  let project: FixtureProject;
  const build = (): Promise<RunResult> => tspc(['-p', tsconfig], {
    cwd: project.dir, env: cleanEnv({ ANTHROPIC_API_KEY: 'sk-ant-test-corpus', ANTHROPIC_BASE_URL: server.url }), timeoutMs: 300_000,
  });

  beforeAll(async () => {
    server = await startFakeAnthropic({ latencyMs: 20 });
    server.fallback((req) => {
      const file = path.join(ANSWERS, `${req.spec ?? ''}.ts`);
      return req.spec && fs.existsSync(file) ? code(fs.readFileSync(file, 'utf8')) : undefined;
    });
    project = corpusProject(format);
  });
  afterAll(async () => {
    await server.close();
    project.cleanup();
  });

  test('the answers, compiled without Jaunt next to their spec files, pass every vector', async () => {
    const reference = corpusProject(format);
    try {
      writeReferenceProject(reference.dir, tsconfig);
      expect(emitWithoutJaunt(path.join(reference.dir, 'tsconfig.ref.json'))).toEqual({ emitted: true, errors: [] });
      expect(lastJsonLine(await reference.node('out/main.js'))).toEqual(ALL_PASS);
    } finally {
      reference.cleanup();
    }
  }, 120_000);

  test('a cold build generates every spec from its first answer and exits 0', async () => {
    const r = await build();
    // One expectation over everything, so a failure shows the errors, the requests and the summary together.
    expect({
      status: r.status,
      errors: errorsOf(r),
      requestsPerSpec: requestsPerSpec(server),
      summary: /jaunt: generated \d+, reused \d+, failed \d+/.exec(r.stderr)?.[0],
      cacheEntries: project.entries().length,
    }).toEqual({
      status: 0,
      errors: [],
      requestsPerSpec: Object.fromEntries(SPECS.map((s) => [s, 1])),
      summary: `jaunt: generated ${SPECS.length}, reused 0, failed 0`,
      cacheEntries: SPECS.length,
    });
  }, 300_000);

  test('the emitted program passes every vector of every spec', async () => {
    expect(lastJsonLine(await project.node('out/main.js'))).toEqual(ALL_PASS);
  });

  test('a second build reuses every cached answer and sends no request', async () => {
    const before = server.requests.length;
    const r = await build();
    expect({ status: r.status, errors: errorsOf(r), requests: server.requests.length - before })
      .toEqual({ status: 0, errors: [], requests: 0 });
  }, 300_000);
});
