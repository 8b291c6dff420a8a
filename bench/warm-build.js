#!/usr/bin/env node
// Warm build overhead: the generated project compiled by `tspc` with the jaunt plugin (every spec cached)
// and by the same `tspc` without it, so the ratio isolates the plugin. The plugin is timed twice over:
//   repeat build  verdicts remembered (node_modules/.cache/jaunt/verdicts): re-verification costs nothing
//   first build   JAUNT_VERDICT_CACHE=off: every spec file is type-checked with its splices, every build,
//                 as on a clean machine (or after any change to what the spec files see)
// Plain `tsc` is timed for reference (its gap to tspc is ts-patch's own cost). Each round runs the three
// compared variants in a rotated order and the next round mirrors it (ABC CBA BCA ACB CAB BAC), so over
// every pair of rounds each variant's mean position is the same and a linear drift in machine load
// hits them alike.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { ROOT, TSPC, TSC, runNode, hasGnuTime, median, seconds, megabytes } = require('./lib/measure');
const { DEFAULT_DIR } = require('./gen-fixture');

/** The environment without the verdict switch, whatever the caller's shell has set. */
function envWithVerdicts() {
  const env = { ...process.env };
  delete env.JAUNT_VERDICT_CACHE;
  return env;
}

const VARIANTS = {
  plugin: { label: 'tspc + plugin, repeat', script: TSPC, config: 'tsconfig.json', out: 'out-plugin', env: envWithVerdicts },
  first: { label: 'tspc + plugin, first', script: TSPC, config: 'tsconfig.first.json', out: 'out-first',
    env: () => ({ ...process.env, JAUNT_VERDICT_CACHE: 'off' }) },
  plain: { label: 'tspc, no plugin', script: TSPC, config: 'tsconfig.plain.json', env: envWithVerdicts },
  tsc: { label: 'tsc (reference)', script: TSC, config: 'tsconfig.plain.json', env: envWithVerdicts },
};
// The variants compared; tsc closes each round as a reference only.
const COMPARED = ['plain', 'plugin', 'first'];

/**
 * tsconfig.first.json: tsconfig.json with its own outDir, so the first-build variant's output is checked
 * on its own. Derived from tsconfig.json each time (like the generation benchmarks' tsconfig.gen.json),
 * so a project kept with --reuse gets it too and the two never differ in anything else.
 */
function writeFirstConfig(dir) {
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'));
  config.compilerOptions.outDir = VARIANTS.first.out;
  const text = JSON.stringify(config, null, 2) + '\n';
  const file = path.join(dir, VARIANTS.first.config);
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
}

function build(dir, variant) {
  const v = VARIANTS[variant];
  const r = runNode(v.script, ['-p', v.config], dir, v.env());
  if (r.error || r.status !== 0) {
    throw new Error(`${v.label} failed (exit ${r.status ?? r.error?.message}):\n${r.output.slice(0, 4000)}`);
  }
  return r;
}

/** The plugin build must really splice every spec from the cache, or the timing means nothing. */
function checkSpliced(dir, expectedSpecs, out = 'out-plugin') {
  const outDir = path.join(dir, out, 'pricing');
  let spliced = 0;
  for (const f of fs.readdirSync(outDir).filter((n) => n.endsWith('.js'))) {
    const text = fs.readFileSync(path.join(outDir, f), 'utf8');
    spliced += (text.match(/\/\* jaunt: \.jaunt\//g) ?? []).length;
    if (text.includes('Jaunt has no implementation')) throw new Error(`${out}/pricing/${f} has a stub: a spec missed the cache`);
  }
  if (spliced !== expectedSpecs) throw new Error(`expected ${expectedSpecs} spliced specs in ${out}, found ${spliced}`);
}

/** Where the plugin remembers verdicts for `dir` (dist's own rule), and how many it holds. */
function verdictCount(dir) {
  const { verdictDir } = require(path.join(ROOT, 'dist', 'validate', 'verdict-cache'));
  const where = verdictDir(dir);
  return { where, count: fs.existsSync(where) ? fs.readdirSync(where).length : 0 };
}

/** The newest modification time under dist/: a rebuild in the middle of a run makes its rounds disagree. */
function distStamp() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(path.join(ROOT, 'dist'));
  return newest;
}

/** Round `round`'s order of the compared variants: a rotation, then its mirror image. */
function roundOrder(round) {
  const k = Math.floor(round / 2) % COMPARED.length;
  const rotated = [...COMPARED.slice(k), ...COMPARED.slice(0, k)];
  return round % 2 === 0 ? rotated : rotated.reverse();
}

/**
 * Runs one warm-up build per variant, then `runs` rounds of each. Returns per-variant samples.
 * `log` gets a line per build, for the impatient.
 */
function warmBuild({ dir = DEFAULT_DIR, runs = 5, specs = 50, withTsc = true, log = () => {} } = {}) {
  writeFirstConfig(dir);
  const distBefore = distStamp();
  const variants = withTsc ? [...COMPARED, 'tsc'] : COMPARED;
  const samples = Object.fromEntries(variants.map((v) => [v, { label: VARIANTS[v].label, ms: [], cpuMs: [], rssKb: [] }]));
  // The repeat variant's warm-up runs with verdicts on, so it remembers them for the timed runs.
  for (const v of ['plain', 'plugin', 'first', ...(withTsc ? ['tsc'] : [])]) {
    const r = build(dir, v);
    log(`  warm-up  ${VARIANTS[v].label.padEnd(22)} ${seconds(r.ms)} wall  ${seconds(r.cpuMs)} cpu`);
  }
  checkSpliced(dir, specs, VARIANTS.plugin.out);
  checkSpliced(dir, specs, VARIANTS.first.out);
  const verdicts = { ...verdictCount(dir) };
  if (verdicts.count === 0) throw new Error(`the warm-up remembered no verdicts in ${verdicts.where}: the repeat build would verify everything`);
  verdicts.afterWarmUp = verdicts.count;
  for (let round = 0; round < runs; round++) {
    const order = roundOrder(round);
    if (withTsc) order.push('tsc');
    for (const v of order) {
      const r = build(dir, v);
      samples[v].ms.push(r.ms);
      samples[v].cpuMs.push(r.cpuMs);
      samples[v].rssKb.push(r.rssKb);
      log(`  run ${round + 1}/${runs} ${VARIANTS[v].label.padEnd(22)} ${seconds(r.ms)} wall  ${seconds(r.cpuMs)} cpu  ${megabytes(r.rssKb)}`);
    }
  }
  checkSpliced(dir, specs, VARIANTS.plugin.out);
  checkSpliced(dir, specs, VARIANTS.first.out);
  // Every key a repeat build looks up was remembered by the warm-up, so none is added (another process
  // sharing this node_modules could add some; the first build must not add any either).
  verdicts.added = verdictCount(dir).count - verdicts.afterWarmUp;
  const distAfter = distStamp();

  const summary = (s) => ({ ...s, medianMs: median(s.ms), medianCpuMs: median(s.cpuMs), medianRssKb: median(s.rssKb), peakRssKb: Math.max(...s.rssKb) });
  const result = Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, summary(s)]));
  const against = (v) => ({
    ratio: result[v].medianMs / result.plain.medianMs,
    cpuRatio: result[v].medianCpuMs / result.plain.medianCpuMs,
    // Paired ratios (each run against the no-plugin run of its round) show how noisy the machine was.
    pairedRatios: result[v].ms.map((ms, i) => ms / result.plain.ms[i]),
    pairedCpuRatios: result[v].cpuMs.map((ms, i) => ms / result.plain.cpuMs[i]),
    rssRatio: result[v].medianRssKb / result.plain.medianRssKb,
  });
  // Repeat build at the top level, as before; the first build under `first`.
  Object.assign(result, against('plugin'));
  result.firstBuild = against('first');
  result.verdicts = verdicts;
  // When dist/ was rebuilt during the run, the rounds timed different code.
  result.distRebuiltAt = distAfter !== distBefore ? new Date(distAfter).toISOString() : undefined;
  // N = no plugin, R = repeat build, F = first build.
  result.orders = Array.from({ length: runs }, (_, i) => roundOrder(i).map((v) => ({ plain: 'N', plugin: 'R', first: 'F' })[v]).join(''));
  result.rssSource = hasGnuTime() ? '/usr/bin/time -v' : 'process.resourceUsage()';
  return result;
}

module.exports = { warmBuild, checkSpliced, writeFirstConfig, roundOrder, VARIANTS };

if (require.main === module) {
  const runs = Number(process.argv[2] ?? 5);
  if (!fs.existsSync(path.join(DEFAULT_DIR, 'tsconfig.json'))) {
    console.error('no benchmark project: run `node bench/gen-fixture.js` first (or `npm run bench`)');
    process.exit(1);
  }
  const r = warmBuild({ runs, log: (l) => console.log(l) });
  for (const v of ['plugin', 'first', 'plain', 'tsc']) {
    if (r[v]) console.log(`${r[v].label.padEnd(22)} median ${seconds(r[v].medianMs)} wall, ${seconds(r[v].medianCpuMs)} cpu, peak RSS ${megabytes(r[v].peakRssKb)}`);
  }
  const fmt = (xs) => xs.map((x) => x.toFixed(3)).join(' ');
  for (const [name, x] of [['repeat build', r], ['first build', r.firstBuild]]) {
    console.log(`${name}: ratio ${x.cpuRatio.toFixed(3)} cpu (paired: ${fmt(x.pairedCpuRatios)}), ${x.ratio.toFixed(3)} wall (paired: ${fmt(x.pairedRatios)})`);
  }
  if (r.distRebuiltAt) console.log(`WARNING: dist/ was rebuilt during the run (${r.distRebuiltAt}): rounds timed different code`);
  console.log(`orders ${r.orders.join(' ')}; verdicts ${r.verdicts.afterWarmUp} after the warm-up, +${r.verdicts.added} during the timed runs; RSS via ${r.rssSource}`);
}
