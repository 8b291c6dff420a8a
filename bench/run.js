#!/usr/bin/env node
// `npm run bench`: generates the benchmark project (bench/.work/, gitignored), runs every benchmark and
// prints one table. Needs only `npm ci` (which builds dist/). Not part of `npm test`: it takes minutes.
//   --runs N   timed builds per variant after the warm-up (default 5)
//   --reuse    keep an existing bench/.work/project instead of regenerating it
//   --check    exit 1 when a measured value misses its target
//   --only a,b run only these benchmarks: warm, plugin, cold, validation, incremental, prompt, deadgateway, bundler, examples
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const { execFile, execFileSync } = require('node:child_process');
const { ROOT, TSC, TSPC, runNodeAsync, median, seconds, megabytes, table } = require('./lib/measure');
const { generate, DEFAULT_DIR } = require('./gen-fixture');
const { warmBuild, checkSpliced } = require('./warm-build');
const { bundlerCost } = require('./bundler-cost');
const { startFakeServer } = require('./lib/fake-server');
const { copyProject, writeGenConfig, generationEnv, implAnswers, tspc, specDag } = require('./lib/generation');

const execFileAsync = promisify(execFile);

/** A table row. `pass` is true/false for rows with a target, undefined otherwise. */
const row = (metric, measured, target = '', note = '', pass = undefined) => ({ metric, measured, target, note, pass });
const pct = (x) => `${(x * 100).toFixed(1)}%`;
const verdict = (pass, text) => `${pass ? 'PASS' : 'FAIL'} (${text})`;

// --- Benchmarks -------------------------------------------------------------------------------------

async function warmBuildOverhead(ctx) {
  const r = warmBuild({ dir: ctx.dir, runs: ctx.runs, specs: ctx.fixture.specs, log: ctx.log });
  ctx.warm = r;
  const n = `median of ${ctx.runs}`;
  const spread = (s) => `range ${seconds(Math.min(...s.ms))} .. ${seconds(Math.max(...s.ms))}`;
  const range = (xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { lo: sorted[0], hi: sorted[sorted.length - 1], text: `rounds ${sorted[0].toFixed(2)} .. ${sorted[sorted.length - 1].toFixed(2)}` };
  };
  /** Wall and CPU ratio rows of one plugin variant against the no-plugin build, each with its verdict. */
  const overhead = (name, x, s, limit) => {
    const wall = range(x.pairedRatios);
    const cpu = range(x.pairedCpuRatios);
    const wallPass = x.ratio <= limit;
    const cpuPass = x.cpuRatio <= limit;
    // When rounds disagree by more than twice the tolerance, the verdict is luck: say so.
    const tolerance = 2 * (limit - 1);
    const noisy = (rg, hint) => (rg.hi - rg.lo > tolerance ? `; too noisy to resolve ${((limit - 1) * 100).toFixed(0)}%${hint}` : '');
    return [
      row(`${name} overhead, CPU time (user + sys)`, x.cpuRatio.toFixed(3), `<= ${limit.toFixed(2)}`,
        verdict(cpuPass, `${seconds(s.medianCpuMs)} / ${seconds(r.plain.medianCpuMs)}; ${cpu.text}${noisy(cpu, '')}`), cpuPass),
      row(`${name} overhead, wall (plugin / no plugin)`, x.ratio.toFixed(3), `<= ${limit.toFixed(2)}`,
        verdict(wallPass, `${wall.text}${noisy(wall, ', see CPU and in-process rows')}`), wallPass),
    ];
  };
  const v = r.verdicts;
  return [
    row(`Warm build, tspc without plugin (${n})`, seconds(r.plain.medianMs), '', `${spread(r.plain)}; CPU ${seconds(r.plain.medianCpuMs)}`),
    row(`Repeat build, tspc + plugin, verdicts remembered (${n})`, seconds(r.plugin.medianMs), '', `${spread(r.plugin)}; CPU ${seconds(r.plugin.medianCpuMs)}`),
    ...overhead('Repeat build', r, r.plugin, 1.03),
    row(`First build, tspc + plugin, JAUNT_VERDICT_CACHE=off (${n})`, seconds(r.first.medianMs), '', `${spread(r.first)}; CPU ${seconds(r.first.medianCpuMs)}; every entry verified`),
    ...overhead('First build', r.firstBuild, r.first, 1.15),
    row('  verdicts on disk after the warm-up / added by the timed runs', `${v.afterWarmUp} / ${v.added}`, '',
      `${path.relative(ROOT, v.where)} (0 added unless other builds share this node_modules); orders ${r.orders.join(' ')} (N no plugin, R repeat, F first)`),
    ...(r.distRebuiltAt ? [row('  WARNING: dist/ was rebuilt during the run', r.distRebuiltAt, '', 'rounds timed different code: rerun')] : []),
    row('Warm build, plain tsc (reference)', seconds(r.tsc.medianMs), '', `tspc / tsc ${(r.plain.medianMs / r.tsc.medianMs).toFixed(3)}`),
    row('Peak RSS, tspc without plugin', megabytes(r.plain.medianRssKb), '', `via ${r.rssSource}`),
    row('Peak RSS, repeat build', megabytes(r.plugin.medianRssKb), '', `plugin / no plugin ${r.rssRatio.toFixed(3)}`),
    row('Peak RSS, first build', megabytes(r.first.medianRssKb), '', `plugin / no plugin ${r.firstBuild.rssRatio.toFixed(3)}`),
  ];
}

/**
 * The plugin's share timed in-process (see plugin-cost.js): resolves what the wall-clock ratio cannot.
 * Twice: with remembered verdicts (a repeat build) and with JAUNT_VERDICT_CACHE=off (a first build).
 */
async function pluginWork(ctx) {
  const cost = (env) => {
    // A child of its own, so its heap and JIT state do not mix with this process.
    const out = execFileSync(process.execPath, [path.join(__dirname, 'plugin-cost.js'), '--json'], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 16 << 20 });
    return JSON.parse(out);
  };
  const repeatEnv = { ...process.env };
  delete repeatEnv.JAUNT_VERDICT_CACHE;
  const repeat = cost(repeatEnv);
  const first = cost({ ...process.env, JAUNT_VERDICT_CACHE: 'off' });
  // CPU time against CPU time: both suffer little from other load on the machine.
  const share = (r) => (ctx.warm ? `; ${((r.totalMs / ctx.warm.plain.medianCpuMs) * 100).toFixed(1)}% of a build's CPU time` : '');
  const line = (name, r) => row(name, `${r.totalMs.toFixed(0)} ms`, '', `${r.prepareMs.toFixed(0)} + ${r.spliceMs.toFixed(0)} ms${share(r)}`);
  return [
    line('  plugin work in-process, CPU, repeat build (analysis + splice)', repeat),
    line('  plugin work in-process, CPU, first build (analysis with verification + splice)', first),
  ];
}

// Generation benchmarks: the real path (tspc -> plugin -> synckit worker -> SDK) against a fake server in
// this process, so every child is spawned asynchronously. The fake answers each spec with impl/<spec>.ts.

/** The spec DAG as the plugin's analysis sees it; computed once (loading the program takes a while). */
function dagOf(ctx) {
  if (!ctx.dag) {
    const start = Date.now();
    ctx.dag = specDag(ctx.dir);
    // The same work as the worker's own loadProject + analyzeProgram, which a cold build waits for.
    ctx.dag.loadMs = Date.now() - start;
  }
  return ctx.dag;
}


/** `<epoch ms> <event>` lines of a build's JAUNT_BENCH_TIMELINE file, by event (the first of each). */
function readMarks(file) {
  const marks = {};
  for (const line of fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : []) {
    const m = /^(\d+) (\S+)$/.exec(line);
    if (m && marks[m[2]] === undefined) marks[m[2]] = Number(m[1]);
  }
  return marks;
}

/** One cold build of a fresh copy through the fake server, then the warm build right after. */
async function coldPair(ctx, latencyMs, concurrency) {
  const dir = copyProject(ctx.dir, 'cold');
  // A first build on this machine: remembered verdicts live under the nearest node_modules, which would
  // otherwise be this checkout's, holding those of an earlier run of this benchmark (the same files and texts).
  fs.mkdirSync(path.join(dir, 'node_modules'));
  const config = writeGenConfig(dir, { concurrency });
  const server = await startFakeServer({ latencyMs, answer: implAnswers(dir) });
  const timeline = (name) => path.join(dir, `timeline-${name}.txt`);
  try {
    const started = Date.now();
    const cold = await tspc(dir, config, { ...generationEnv(server.url), JAUNT_BENCH_TIMELINE: timeline('cold') });
    const requests = [...server.requests];
    ctx.log(`  cold build ${seconds(cold.ms)}, ${requests.length} requests`);
    // Right after, with the cache full: what the cold build costs besides generating.
    const warm = await tspc(dir, config, { ...generationEnv(server.url), JAUNT_BENCH_TIMELINE: timeline('warm') });
    ctx.log(`  warm build ${seconds(warm.ms)}`);
    checkSpliced(dir, ctx.fixture.specs, 'out-gen');
    return { started, cold, warm, requests, extra: server.requests.length - requests.length, marks: { cold: readMarks(timeline('cold')), warm: readMarks(timeline('warm')) } };
  } finally {
    await server.close();
  }
}

/**
 * Cold build: all 50 specs generated through a fake Anthropic server (no network, no key), each against the
 * warm build right after it; medians over min(--runs, 3) pairs. The plugin's own phases come from the
 * builds' timelines (JAUNT_BENCH_TIMELINE), which the type check and emit around them do not blur.
 */
async function coldGeneration(ctx) {
  const LATENCY_MS = 500;
  const CONCURRENCY = 8;
  const dag = dagOf(ctx);
  const pairs = [];
  for (let i = 0; i < Math.min(ctx.runs, 3); i++) pairs.push(await coldPair(ctx, LATENCY_MS, CONCURRENCY));
  ctx.coldRequests = pairs[0].requests;
  // Lower bound of the model phase: the longest chain, or the batches the concurrency allows, each one latency.
  const rounds = Math.max(dag.depth, Math.ceil(ctx.fixture.specs / CONCURRENCY));
  const bound = rounds * LATENCY_MS;

  const phases = pairs.map((p) => {
    const firstAt = Math.min(...p.requests.map((r) => r.at));
    const lastReply = Math.max(...p.requests.map((r) => r.repliedAt));
    const span = (m) => m['prepare-end'] - m['prepare-start'];
    const c = p.marks.cold;
    return {
      over: p.cold.ms - p.warm.ms, cold: p.cold.ms, warm: p.warm.ms, cpuOver: p.cold.cpuMs - p.warm.cpuMs,
      plugin: span(c) - span(p.marks.warm), beforeFirst: firstAt - p.started, toFirst: firstAt - c['generate-start'],
      model: lastReply - firstAt, afterLast: c['prepare-end'] - lastReply, emit: p.started + p.cold.ms - c['prepare-end'],
      outsideCold: p.cold.ms - span(c), outsideWarm: p.warm.ms - span(p.marks.warm),
    };
  });
  // A build of a Jaunt without the timeline hook (an older one, for a before/after) leaves those phases unknown.
  const med = (key) => median(phases.map((x) => x[key]).filter((v) => Number.isFinite(v)));
  const each = (key, f = (v) => (v / bound).toFixed(2)) => phases.map((x) => (Number.isFinite(x[key]) ? f(x[key]) : 'n/a')).join(', ');
  const over = med('over');
  const target = 1.25 * bound + med('warm');
  const pass = over <= 1.25 * bound;
  const n = `median of ${pairs.length}`;

  const requestsOk = pairs.every((p) => {
    const specs = new Set(p.requests.map((r) => r.spec));
    // The scheduler must not ask for a spec before each of its dependencies has its answer.
    const repliedAt = new Map(p.requests.map((r) => [r.spec, r.repliedAt]));
    const ordered = p.requests.every((r) => dag.specs.get(r.spec)?.deps.every((d) => repliedAt.get(d) <= r.at));
    return p.requests.length === ctx.fixture.specs && specs.size === ctx.fixture.specs && p.extra === 0 && ordered;
  });
  return [
    row(`Cold build, ${ctx.fixture.specs} specs generated (fake server, ${LATENCY_MS} ms, concurrency ${CONCURRENCY}; ${n})`, seconds(med('cold')),
      `<= ${seconds(target)}`, verdict(pass, `1.25 x bound ${seconds(bound)} + warm build; over the warm build by ${seconds(over)} = ${(over / bound).toFixed(2)} x bound; pairs ${each('over')}`), pass),
    row('  bound: max(DAG depth, ceil(specs / concurrency)) x latency', seconds(bound), '', `max(${dag.depth}, ${Math.ceil(ctx.fixture.specs / CONCURRENCY)}) x ${LATENCY_MS} ms`),
    row('  the plugin\'s own time, cold over warm (build timelines)', seconds(med('plugin')), '',
      `${(med('plugin') / bound).toFixed(2)} x bound; pairs ${each('plugin')}; what follows, without the type check and emit both builds share`),
    row('  before the first request', seconds(med('beforeFirst')), '', `tspc: program, full type check, analysis; then ${seconds(med('toFirst'))} from the generator's start: prompts, worker start (it holds no program)`),
    row('  model phase: first request to last reply', seconds(med('model')), '', `${(med('model') / LATENCY_MS).toFixed(1)} latencies (bound ${rounds}); pairs ${each('model', (v) => (v / LATENCY_MS).toFixed(1))}`),
    row('  last reply to the end of the plugin\'s preparation', seconds(med('afterLast')), '', 'the last checks, then classification (files verified ahead during the model phase are remembered)'),
    row('  then splice and emit', seconds(med('emit')), '', 'as in the warm build'),
    row('  warm build right after (cache full)', seconds(med('warm')), '', `${pairs.reduce((s, p) => s + p.extra, 0)} requests`),
    row('  outside the plugin (tspc, type check, emit), cold / warm', `${seconds(med('outsideCold'))} / ${seconds(med('outsideWarm'))}`, '',
      `pairs ${phases.map((x) => (Number.isFinite(x.outsideCold) ? (x.outsideCold / x.outsideWarm).toFixed(2) : 'n/a')).join(', ')} (ratio): the same work in both builds`),
    // CPU time suffers less from a busy machine than one wall-clock pair: the work generation adds.
    row('  CPU time, cold build over the warm one', seconds(med('cpuOver')), '', `pairs ${each('cpuOver', seconds)} (all threads)`),
    row('  requests sent (each pair)', String(pairs[0].requests.length), String(ctx.fixture.specs),
      verdict(requestsOk, `${new Set(pairs[0].requests.map((r) => r.spec)).size} distinct specs; DAG depth ${dag.depth}, ${dag.edges} edges as analyzed; ${requestsOk ? 'each sent after its dependencies were answered' : 'A PAIR SENT A WRONG SET, AN EXTRA REQUEST, OR ONE BEFORE A DEPENDENCY WAS ANSWERED'}`), requestsOk),
  ];
}

/** Time spent validating generated implementations (type check and tests) per spec. */
async function validationTime(ctx) {
  // In a child of its own, like plugin-cost.js: a fresh heap, and the program is freed after.
  const { stdout } = await execFileAsync(process.execPath, [path.join(__dirname, 'validation-cost.js'), '--json'], { cwd: ROOT, maxBuffer: 16 << 20 });
  const v = JSON.parse(stdout);
  const tsc = [];
  for (let i = 0; i < 3; i++) {
    const r = await runNodeAsync(TSC, ['-p', 'tsconfig.plain.json', '--noEmit'], ctx.dir);
    if (r.error || r.status !== 0) throw new Error(`tsc --noEmit failed (exit ${r.status ?? r.error?.message}):\n${r.output.slice(0, 4000)}`);
    tsc.push(r);
    ctx.log(`  tsc --noEmit ${seconds(r.ms)}`);
  }
  const tscMs = median(tsc.map((r) => r.ms));
  const tscCpuMs = median(tsc.map((r) => r.cpuMs));
  const ratio = v.repeat.ms / tscMs;
  const pass = ratio <= 0.1;
  const ms = (x) => `${x.toFixed(0)} ms`;
  return [
    row(`Validation of one candidate (${v.spec}, median of ${v.repeat.n})`, ms(v.repeat.ms), '<= 10% of tsc --noEmit',
      verdict(pass, `${pct(ratio)} of tsc --noEmit wall; CPU ${ms(v.repeat.cpuMs)} = ${pct(v.repeat.cpuMs / tscCpuMs)} of its CPU`), pass),
    row('  first call (builds the checker, baseline of the file)', ms(v.first.ms), '', `${pct(v.first.ms / tscMs)} of tsc --noEmit; CPU ${ms(v.first.cpuMs)}`),
    row(`  each other spec once (median of ${v.eachSpec.n})`, ms(v.eachSpec.ms), '', `max ${ms(v.eachSpec.maxMs)}; CPU ${ms(v.eachSpec.cpuMs)}`),
    row('Full type check, tsc --noEmit (median of 3)', seconds(tscMs), '', `CPU ${seconds(tscCpuMs)}`),
    row('  full check in-process, getSemanticDiagnostics()', seconds(v.fullCheck.ms), '', `CPU ${seconds(v.fullCheck.cpuMs)}; fresh program, load not counted`),
  ];
}

/** Text edits on the benchmark project, each with the specs whose hashes it should change. */
function incrementalEdits(dag) {
  const specs = [...dag.specs.values()];
  const fileOf = (name) => dag.specs.get(name).file;
  const declAt = (text, name) => {
    const at = text.indexOf(`export declare function ${name}(`);
    if (at < 0) throw new Error(`no declaration of ${name}`);
    return at;
  };
  const jsdocEdit = (name) => (text) => {
    const doc = text.lastIndexOf('/**', declAt(text, name));
    return `${text.slice(0, doc + 3)}\n * Edited by the benchmark.${text.slice(doc + 3)}`;
  };
  const withDependents = (names) => [...names, ...dag.dependents(names)];
  const interfaceEdit = (name, member) => (text) => {
    const open = text.indexOf(`export interface ${name} {`);
    const close = text.indexOf('\n}', open);
    return `${text.slice(0, close)}\n  ${member}${text.slice(close)}`;
  };
  const commerce = 'src/models/commerce.ts';
  // A spec nothing depends on, and the dependency most specs depend on.
  const top = specs.filter((s) => s.deps.length > 0 && dag.dependents([s.name]).size === 0).pop();
  const base = specs.reduce((a, b) => (dag.dependents([b.name]).size > dag.dependents([a.name]).size ? b : a));
  const plain = specs.find((s) => s.deps.length === 0);
  return [
    { what: `JSDoc of ${top.name} (no dependents)`, file: fileOf(top.name), apply: jsdocEdit(top.name), expect: withDependents([top.name]) },
    { what: `// comment above ${plain.name}, in a spec file`, file: fileOf(plain.name),
      apply: (text) => { const doc = text.lastIndexOf('/**', declAt(text, plain.name)); return `${text.slice(0, doc)}// Added by the benchmark.\n${text.slice(doc)}`; },
      expect: [] },
    { what: `signature of ${plain.name} reformatted`, file: fileOf(plain.name),
      apply: (text) => text.replace(new RegExp(`export declare function ${plain.name}\\((.*)\\): (.*);`), `export declare function ${plain.name}(\n  $1,\n):   $2 ;`),
      expect: [] },
    { what: 'a non-spec file (src/services/s001.ts)', file: 'src/services/s001.ts',
      apply: (text) => `${text}\nexport const BENCH_EDIT = 1;\n`, expect: [] },
    { what: 'interface LineItem (member added)', file: commerce, apply: interfaceEdit('LineItem', 'discount?: number;'),
      expect: withDependents(dag.referencing(`${commerce}#LineItem`)) },
    { what: 'interface Order (member added)', file: commerce, apply: interfaceEdit('Order', 'note?: string;'),
      expect: withDependents(dag.referencing(`${commerce}#Order`)) },
    { what: `JSDoc of dependency ${base.name}`, file: fileOf(base.name), apply: jsdocEdit(base.name), expect: withDependents([base.name]) },
  ];
}

/** Requests sent after one spec's contract changes: only it and its dependents should be regenerated. */
async function incrementalRequests(ctx) {
  const dag = dagOf(ctx);
  // One copy with the warm cache; each edit is reverted after its build, which brings back cached hashes.
  const dir = copyProject(ctx.dir, 'incremental', { cache: true });
  const config = writeGenConfig(dir, { concurrency: 8 });
  const server = await startFakeServer({ latencyMs: 50, answer: implAnswers(dir) });
  const rows = [];
  try {
    for (const edit of incrementalEdits(dag)) {
      const file = path.join(dir, edit.file);
      const before = fs.readFileSync(file, 'utf8');
      const after = edit.apply(before);
      if (after === before) throw new Error(`edit "${edit.what}" changed nothing`);
      const from = server.requests.length;
      fs.writeFileSync(file, after);
      try {
        await tspc(dir, config, generationEnv(server.url));
      } finally {
        fs.writeFileSync(file, before);
      }
      const sent = server.requests.slice(from).map((r) => r.spec);
      const expected = new Set(edit.expect);
      const unexpected = sent.filter((s) => !expected.has(s));
      const missed = [...expected].filter((s) => !sent.includes(s));
      const pass = unexpected.length === 0 && missed.length === 0 && sent.length === expected.size;
      ctx.log(`  ${edit.what}: ${sent.length} requests (expected ${expected.size})`);
      const detail = [unexpected.length ? `unexpected: ${unexpected.join(', ')}` : '', missed.length ? `not sent: ${missed.join(', ')}` : '']
        .filter(Boolean).join('; ');
      rows.push(row(`  ${edit.what}`, String(sent.length), String(expected.size), verdict(pass, detail || 'exactly the expected specs'), pass));
    }
  } finally {
    await server.close();
  }
  return [row('Requests after one edit (measured vs minimum)', '', '', 'minimum: the specs whose hash covers the edit, and their dependents'), ...rows];
}

/** Size of the prompt sent for a spec (contract, types, dependency contracts). */
async function promptSize(ctx) {
  // The example generated from scratch; the fake records each prompt as the engine sent it.
  const dir = copyProject(path.join(ROOT, 'examples', 'jwt'), 'jwt');
  const server = await startFakeServer({ latencyMs: 0, answer: implAnswers(dir) });
  try {
    await tspc(dir, 'tsconfig.json', generationEnv(server.url));
  } finally {
    await server.close();
  }
  const requests = server.requests;
  if (requests.length !== 4) throw new Error(`examples/jwt: expected 4 requests, got ${requests.length}`);
  const tokens = requests.map((r) => r.inputTokens);
  const typical = median(tokens);
  const pass = typical <= 1250;
  const how = 'input tokens as the fake counts them: ceil((system + messages chars) / 4); the real tokenizer differs';
  const rows = [
    row('Prompt size, examples/jwt (median of 4 specs)', `${typical.toFixed(0)} tokens`, '~1000 tokens', verdict(pass, how), pass),
    ...requests.map((r) => row(`  ${r.spec}`, `${r.inputTokens} tokens`, '', `${r.inputChars} chars`)),
  ];
  if (ctx.coldRequests) {
    const t = ctx.coldRequests.map((r) => r.inputTokens);
    rows.push(row(`  bench project, cold build (median of ${t.length})`, `${median(t).toFixed(0)} tokens`, '', `range ${Math.min(...t)} .. ${Math.max(...t)}`));
  }
  return rows;
}

/**
 * A dead gateway (accepts connections, never answers) with every plugin option at its default: the
 * circuit breaker must end a 50-spec cold build within 2 minutes, with the failure reported (exit 2).
 */
async function deadGateway(ctx) {
  const net = require('node:net');
  const sockets = new Set();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const dir = copyProject(ctx.dir, 'dead-gateway');
  const config = writeGenConfig(dir);
  let r;
  try {
    r = await runNodeAsync(TSPC, ['-p', config], dir, generationEnv(url));
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
  const tripped = /JAUNT3011/.test(r.output);
  const pass = tripped && r.ms <= 120_000;
  ctx.log(`  dead gateway: tspc exited ${r.status} after ${seconds(r.ms)}, ${connections} connections`);
  return [row('Dead gateway, 50 specs, default options: build ends in', seconds(r.ms), '<= 120 s',
    `${pass ? 'PASS' : 'FAIL'} (exit ${r.status}; ${tripped ? 'circuit breaker JAUNT3011 reported' : 'no JAUNT3011 in the output'}; ${connections} connections)`, pass)];
}

/**
 * The bundler plugin's cost (bundler-cost.js): esbuild with jaunt-ts/esbuild against esbuild alone on the
 * same project with every spec ejected. Reported as ratios; the plugin builds a TypeScript program of the
 * spec files and what they import, which esbuild alone never does. No target: a measurement.
 */
async function bundlerBuild(ctx) {
  const r = bundlerCost({ dir: ctx.dir, runs: ctx.runs, log: ctx.log });
  const rows = [];
  for (const [shape, what] of [['bundle', 'app bundle (src/index.ts)'], ['transpile', 'transpile of all 300 files']]) {
    const x = r[shape];
    rows.push(row(`esbuild ${what}, with / without jaunt-ts/esbuild, CPU`, x.cpuRatio.toFixed(2),
      '', `${seconds(x.jauntCpuMs)} / ${seconds(x.plainCpuMs)} (+${seconds(x.jauntCpuMs - x.plainCpuMs)}); median of ${x.runs}; baseline: every spec ejected`));
    rows.push(row(`esbuild ${what}, with / without jaunt-ts/esbuild, wall`, x.ratio.toFixed(2), '', `${seconds(x.jauntMs)} / ${seconds(x.plainMs)}`));
  }
  rows.push(row('  specs defined by the bundles', `${r.bundledSpecs} / ${r.plainSpecs}`, '', `plugin / ejected baseline; ${r.transpiledSpecs} of 50 in the transpile; same results ${r.results}`));
  return rows;
}

/**
 * What running executable examples costs (examples-cost.js): one sandboxed child per candidate, and one
 * batched child for every cached entry of fixtures/examples. Measured in a child of its own.
 */
async function examplesRun(ctx) {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'examples-cost.js'), '--json', '--runs', String(Math.max(3, ctx.runs))], { cwd: ROOT, encoding: 'utf8' });
  const r = JSON.parse(out);
  return [
    row('Examples of one candidate, sandboxed child (median)', `${r.perCandidateMs.toFixed(0)} ms`, '', `${(r.perCandidateMs / r.bareNodeMs).toFixed(2)} x a bare \`node -e 0\` (${r.bareNodeMs.toFixed(0)} ms)`),
    row(`Classification of ${r.specs} cached specs with examples, one batched child`, `${r.firstBuildAllSpecsMs.toFixed(0)} ms`, '', 'type checks included; a repeat build runs none (verdicts remembered)'),
  ];
}

const BENCHMARKS = [warmBuildOverhead, pluginWork, coldGeneration, validationTime, incrementalRequests, promptSize, deadGateway, bundlerBuild, examplesRun];
// Short names for --only.
const SHORT = { warm: warmBuildOverhead, plugin: pluginWork, cold: coldGeneration, validation: validationTime,
  incremental: incrementalRequests, prompt: promptSize, deadgateway: deadGateway, bundler: bundlerBuild, examples: examplesRun };

// --- Main -------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const args = { runs: 5, reuse: false, check: false, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') args.runs = Number(argv[++i]);
    else if (argv[i] === '--reuse') args.reuse = true;
    else if (argv[i] === '--check') args.check = true;
    else if (argv[i] === '--only') args.only = String(argv[++i]).split(',');
    else throw new Error(`unknown argument ${argv[i]} (expected --runs N, --reuse, --check, --only names)`);
  }
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error('--runs needs a positive integer');
  const unknown = (args.only ?? []).filter((n) => !SHORT[n]);
  if (unknown.length) throw new Error(`--only: unknown ${unknown.join(', ')} (expected ${Object.keys(SHORT).join(', ')})`);
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(ROOT, 'dist', 'transformer', 'plugin.js'))) {
    throw new Error('dist/ is missing: run `npm ci` (or `npm run build`) first');
  }
  const log = (line) => console.error(line);
  const cpus = os.cpus();
  const load = () => os.loadavg()[0].toFixed(1);
  const machine = `${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, node ${process.version}`;
  log(`machine: ${machine}; load average ${load()}`);

  let fixture;
  const stamp = path.join(DEFAULT_DIR, 'fixture.json');
  if (args.reuse && fs.existsSync(stamp)) {
    fixture = JSON.parse(fs.readFileSync(stamp, 'utf8'));
    log('reusing bench/.work/project');
  } else {
    log('generating bench/.work/project ...');
    fixture = generate(DEFAULT_DIR);
    fs.writeFileSync(stamp, JSON.stringify(fixture, null, 2));
  }
  log(`project: ${fixture.files} files, ${fixture.lines} lines, ${fixture.specs} specs (DAG depth ${fixture.depth}, ${fixture.crossFileEdges} cross-file edges), all cached`);

  const ctx = { dir: DEFAULT_DIR, runs: args.runs, fixture, log, warm: undefined };
  const rows = [];
  for (const bench of args.only ? BENCHMARKS.filter((b) => args.only.some((n) => SHORT[n] === b)) : BENCHMARKS) {
    log(`${bench.name} ...`);
    rows.push(...(await bench(ctx)));
  }

  console.log(`\nJaunt benchmarks: ${machine}; load average ${load()} at the end`);
  console.log(`project: ${fixture.files} files, ${fixture.lines} lines, ${fixture.specs} specs, warm cache\n`);
  console.log(table([['Metric', 'Measured', 'Target', 'Ratio / pass'], ...rows.map((r) => [r.metric, r.measured, r.target, r.note])]));
  const failed = rows.filter((r) => r.pass === false);
  if (failed.length) console.log(`\n${failed.length} target(s) missed${args.check ? '' : ' (informational; pass --check to fail on it)'}`);
  if (args.check && failed.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 2;
});
