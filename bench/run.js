#!/usr/bin/env node
// `npm run bench`: generates the benchmark project (bench/.work/, gitignored), runs every benchmark and
// prints one table. Needs only `npm ci` (which builds dist/). Not part of `npm test`: it takes minutes.
//   --runs N   timed builds per variant after the warm-up (default 5)
//   --reuse    keep an existing bench/.work/project instead of regenerating it
//   --check    exit 1 when a measured value misses its target
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ROOT, seconds, megabytes, table } = require('./lib/measure');
const { generate, DEFAULT_DIR } = require('./gen-fixture');
const { warmBuild } = require('./warm-build');

/** A table row. `pass` is true/false for rows with a target, undefined otherwise. */
const row = (metric, measured, target = '', note = '', pass = undefined) => ({ metric, measured, target, note, pass });
const pending = (metric) => row(metric, '-', '-', 'not measured yet');

// --- Benchmarks -------------------------------------------------------------------------------------

async function warmBuildOverhead(ctx) {
  const r = warmBuild({ dir: ctx.dir, runs: ctx.runs, specs: ctx.fixture.specs, log: ctx.log });
  ctx.warm = r;
  const n = `median of ${ctx.runs}`;
  const spread = (s) => `range ${seconds(Math.min(...s.ms))} .. ${seconds(Math.max(...s.ms))}`;
  const paired = [...r.pairedRatios].sort((a, b) => a - b);
  const pass = r.ratio <= 1.03;
  // When rounds disagree by more than twice the tolerance, the verdict is luck: say so.
  const noisy = paired[paired.length - 1] - paired[0] > 0.06 ? '; too noisy to resolve 3%, see in-process row' : '';
  return [
    row(`Warm build, tspc + plugin (${n})`, seconds(r.plugin.medianMs), '', spread(r.plugin)),
    row(`Warm build, tspc without plugin (${n})`, seconds(r.plain.medianMs), '', spread(r.plain)),
    row('Warm build overhead, wall (plugin / no plugin)', r.ratio.toFixed(3), '<= 1.03',
      `${pass ? 'PASS' : 'FAIL'} (rounds ${paired[0].toFixed(2)} .. ${paired[paired.length - 1].toFixed(2)}${noisy})`, pass),
    row('Warm build overhead, CPU time (user + sys)', r.cpuRatio.toFixed(3), '', `${seconds(r.plugin.medianCpuMs)} / ${seconds(r.plain.medianCpuMs)}`),
    row('Warm build, plain tsc (reference)', seconds(r.tsc.medianMs), '', `tspc / tsc ${(r.plain.medianMs / r.tsc.medianMs).toFixed(3)}`),
    row('Peak RSS, tspc + plugin', megabytes(r.plugin.medianRssKb), '', `via ${r.rssSource}`),
    row('Peak RSS, tspc without plugin', megabytes(r.plain.medianRssKb), '', `plugin / no plugin ${(r.plugin.medianRssKb / r.plain.medianRssKb).toFixed(3)}`),
  ];
}

/** The plugin's share timed in-process (see plugin-cost.js): resolves what the wall-clock ratio cannot. */
async function pluginWork(ctx) {
  // A child of its own, so its heap and JIT state do not mix with this process.
  const out = execFileSync(process.execPath, [path.join(__dirname, 'plugin-cost.js'), '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20 });
  const r = JSON.parse(out);
  // CPU time against CPU time: both suffer little from other load on the machine.
  const share = ctx.warm ? `; ${((r.totalMs / ctx.warm.plain.medianCpuMs) * 100).toFixed(1)}% of a build's CPU time` : '';
  return [row('  plugin work in-process, CPU (analysis + splice)', `${r.totalMs.toFixed(0)} ms`, '', `${r.prepareMs.toFixed(0)} + ${r.spliceMs.toFixed(0)} ms${share}`)];
}

// Slots for the benchmarks still to come. Each gets `ctx` (dir, runs, fixture, log) and returns rows;
// until it is written, its row stays in the table as a reminder.

/** Cold build: all 50 specs generated through a fake Anthropic server (no network, no key). */
async function coldGeneration(ctx) {
  return [pending('Cold generation, 50 specs (fake server)')];
}

/** Time spent validating generated implementations (type check and tests) per spec. */
async function validationTime(ctx) {
  return [pending('Validation time per spec')];
}

/** Requests sent after one spec's contract changes: only it and its dependents should be regenerated. */
async function incrementalRequests(ctx) {
  return [pending('Requests after editing one spec')];
}

/** Size of the prompt sent for a spec (contract, types, dependency contracts). */
async function promptSize(ctx) {
  return [pending('Prompt size per spec')];
}

const BENCHMARKS = [warmBuildOverhead, pluginWork, coldGeneration, validationTime, incrementalRequests, promptSize];

// --- Main -------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const args = { runs: 5, reuse: false, check: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') args.runs = Number(argv[++i]);
    else if (argv[i] === '--reuse') args.reuse = true;
    else if (argv[i] === '--check') args.check = true;
    else throw new Error(`unknown argument ${argv[i]} (expected --runs N, --reuse, --check)`);
  }
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error('--runs needs a positive integer');
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
  for (const bench of BENCHMARKS) {
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
