#!/usr/bin/env node
// Warm build overhead: the generated project compiled by `tspc` with the jaunt plugin (every spec cached)
// and by the same `tspc` without it, so the ratio isolates the plugin. Plain `tsc` is timed for reference
// (its gap to tspc is ts-patch's own cost). Runs alternate between variants so drift in machine load hits
// both alike.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { TSPC, TSC, runNode, hasGnuTime, median, seconds, megabytes } = require('./lib/measure');
const { DEFAULT_DIR } = require('./gen-fixture');

const VARIANTS = {
  plugin: { label: 'tspc + jaunt plugin', script: TSPC, config: 'tsconfig.json' },
  plain: { label: 'tspc, no plugin', script: TSPC, config: 'tsconfig.plain.json' },
  tsc: { label: 'tsc (reference)', script: TSC, config: 'tsconfig.plain.json' },
};

function build(dir, variant) {
  const v = VARIANTS[variant];
  const r = runNode(v.script, ['-p', v.config], dir);
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

/**
 * Runs one warm-up build per variant, then `runs` rounds of each. Returns per-variant samples.
 * `log` gets a line per build, for the impatient.
 */
function warmBuild({ dir = DEFAULT_DIR, runs = 5, specs = 50, withTsc = true, log = () => {} } = {}) {
  const variants = withTsc ? ['plain', 'plugin', 'tsc'] : ['plain', 'plugin'];
  const samples = Object.fromEntries(variants.map((v) => [v, { label: VARIANTS[v].label, ms: [], cpuMs: [], rssKb: [] }]));
  for (const v of variants) {
    const r = build(dir, v);
    log(`  warm-up  ${VARIANTS[v].label.padEnd(20)} ${seconds(r.ms)}`);
  }
  checkSpliced(dir, specs);
  for (let round = 0; round < runs; round++) {
    // ABBA order between the two variants compared; tsc is only a reference.
    const order = round % 2 === 0 ? ['plain', 'plugin'] : ['plugin', 'plain'];
    if (withTsc) order.push('tsc');
    for (const v of order) {
      const r = build(dir, v);
      samples[v].ms.push(r.ms);
      samples[v].cpuMs.push(r.cpuMs);
      samples[v].rssKb.push(r.rssKb);
      log(`  run ${round + 1}/${runs} ${VARIANTS[v].label.padEnd(20)} ${seconds(r.ms)} wall  ${seconds(r.cpuMs)} cpu  ${megabytes(r.rssKb)}`);
    }
  }
  const summary = (s) => ({ ...s, medianMs: median(s.ms), medianCpuMs: median(s.cpuMs), medianRssKb: median(s.rssKb), peakRssKb: Math.max(...s.rssKb) });
  const result = Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, summary(s)]));
  result.ratio = result.plugin.medianMs / result.plain.medianMs;
  result.cpuRatio = result.plugin.medianCpuMs / result.plain.medianCpuMs;
  // Paired ratios (each plugin run against the no-plugin run of its round) show how noisy the machine was.
  result.pairedRatios = result.plugin.ms.map((ms, i) => ms / result.plain.ms[i]);
  result.rssSource = hasGnuTime() ? '/usr/bin/time -v' : 'process.resourceUsage()';
  return result;
}

module.exports = { warmBuild, checkSpliced, VARIANTS };

if (require.main === module) {
  const runs = Number(process.argv[2] ?? 5);
  if (!fs.existsSync(path.join(DEFAULT_DIR, 'tsconfig.json'))) {
    console.error('no benchmark project: run `node bench/gen-fixture.js` first (or `npm run bench`)');
    process.exit(1);
  }
  const r = warmBuild({ runs, log: (l) => console.log(l) });
  for (const v of ['plugin', 'plain', 'tsc']) {
    if (r[v]) console.log(`${r[v].label.padEnd(20)} median ${seconds(r[v].medianMs)} wall, ${seconds(r[v].medianCpuMs)} cpu, peak RSS ${megabytes(r[v].peakRssKb)}`);
  }
  console.log(`ratio ${r.ratio.toFixed(3)} wall (paired: ${r.pairedRatios.map((x) => x.toFixed(3)).join(' ')}), ${r.cpuRatio.toFixed(3)} cpu; RSS via ${r.rssSource}`);
}
