// Helpers for the benchmarks that let the plugin generate: scratch copies of a project, a tsconfig that
// allows generation, the environment that points the SDK at the fake server, the fake's answers, and
// the spec DAG as the plugin's own analysis sees it.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { ROOT, TSPC, runNodeAsync } = require('./measure');

// Scratch copies live under bench/.work (gitignored), not in os.tmpdir(): ts-patch resolves
// `jaunt-ts/transformer` from the tsconfig's folder, and only this checkout's node_modules links it.
const SCRATCH = path.join(__dirname, '..', '.work');

/** Copies a project to bench/.work/<name> (replacing it), without build outputs and, unless `cache`, without .jaunt. */
function copyProject(from, name, { cache = false } = {}) {
  const to = path.join(SCRATCH, name);
  fs.rmSync(to, { recursive: true, force: true });
  const skip = new Set(['out', 'out-plain', 'out-plugin', 'out-first', 'out-gen', 'node_modules', ...(cache ? [] : ['.jaunt'])]);
  fs.cpSync(from, to, { recursive: true, filter: (src) => !skip.has(path.relative(from, src).split(path.sep)[0]) });
  return to;
}

/**
 * Writes tsconfig.gen.json next to `tsconfig.json`: the same project with the plugin in its default
 * mode ("auto": generate on a miss) plus `pluginOptions`. Returns its file name.
 */
function writeGenConfig(dir, pluginOptions = {}) {
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'));
  config.compilerOptions.outDir = 'out-gen';
  config.compilerOptions.plugins = [{ transform: 'jaunt-ts/transformer', ...pluginOptions }];
  fs.writeFileSync(path.join(dir, 'tsconfig.gen.json'), JSON.stringify(config, null, 2) + '\n');
  return 'tsconfig.gen.json';
}

/** The environment in which tspc generates against the fake: any key, its URL, and CI unset (CI forbids generation). */
function generationEnv(url) {
  const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-bench-fake', ANTHROPIC_BASE_URL: url };
  delete env.CI;
  return env;
}

/** The fake's answers: impl/<spec>.ts fenced as a well-behaved model would send it. */
function implAnswers(dir) {
  return (spec) => {
    const file = path.join(dir, 'impl', `${spec}.ts`);
    if (!/^[\w$]+$/.test(spec) || !fs.existsSync(file)) return undefined;
    return '```ts\n' + fs.readFileSync(file, 'utf8') + '\n```';
  };
}

/** tspc on `config` in `dir`, asynchronously (the fake server shares this process). Throws on failure. */
async function tspc(dir, config, env) {
  const r = await runNodeAsync(TSPC, ['-p', config], dir, env);
  if (r.error || r.status !== 0) {
    throw new Error(`tspc -p ${config} in ${dir} failed (exit ${r.status ?? r.error?.message}):\n${r.output.slice(0, 4000)}`);
  }
  return r;
}

/**
 * The spec DAG from dist's analyzeProgram, by spec name: deps, referenced project types, transitive
 * dependents, depth. Only plain data is kept, so the program can be collected.
 */
function specDag(dir, config = 'tsconfig.json') {
  const ts = require('typescript');
  const { loadProject } = require(path.join(ROOT, 'dist', 'core', 'load-program'));
  const { analyzeProgram } = require(path.join(ROOT, 'dist', 'core', 'analyze-program'));
  const analysis = analyzeProgram(ts, loadProject(ts, path.join(dir, config)).program, dir);
  const nameOf = (id) => analysis.byId.get(id).ir.name;
  const specs = new Map(analysis.specs.map((s) => [s.ir.name, {
    name: s.ir.name, file: s.ir.file, deps: s.ir.deps.map(nameOf),
    // "file#Name" keys, e.g. src/models/commerce.ts#LineItem, transitive through other types.
    types: s.typeSources.map((t) => t.key),
  }]));
  const direct = new Map([...specs.keys()].map((n) => [n, []]));
  for (const s of specs.values()) for (const d of s.deps) direct.get(d).push(s.name);
  /** Every spec whose dependency closure contains one of `names` (the names themselves excluded). */
  const dependents = (names) => {
    const out = new Set();
    const stack = [...names];
    while (stack.length) for (const d of direct.get(stack.pop()) ?? []) if (!out.has(d)) out.add(d), stack.push(d);
    for (const n of names) out.delete(n);
    return out;
  };
  const memo = new Map();
  const depthOf = (n) => memo.get(n) ?? memo.set(n, 1 + Math.max(0, ...specs.get(n).deps.map(depthOf))).get(n);
  return {
    specs, dependents,
    depth: Math.max(...[...specs.keys()].map(depthOf)),
    edges: [...specs.values()].reduce((n, s) => n + s.deps.length, 0),
    /** Specs whose hash covers the type `key`. */
    referencing: (key) => [...specs.values()].filter((s) => s.types.includes(key)).map((s) => s.name),
  };
}

module.exports = { SCRATCH, copyProject, writeGenConfig, generationEnv, implAnswers, tspc, specDag };
