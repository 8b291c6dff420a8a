// Shared helpers for the benchmarks: timed child runs with peak RSS, statistics, formatting.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const TSPC = path.join(ROOT, 'node_modules', 'ts-patch', 'bin', 'tspc.js');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const PRELOAD = path.join(__dirname, 'rusage-preload.js');
const GNU_TIME = '/usr/bin/time';

let gnuTime;
/**
 * Whether GNU time is installed (Debian package `time`): it reports the child's peak RSS from wait4.
 * JAUNT_BENCH_NO_GNU_TIME=1 forces the fallback, to test it.
 */
function hasGnuTime() {
  if (gnuTime === undefined && process.env.JAUNT_BENCH_NO_GNU_TIME === '1') gnuTime = false;
  if (gnuTime === undefined) {
    const r = fs.existsSync(GNU_TIME) ? spawnSync(GNU_TIME, ['-v', process.execPath, '-e', '0'], { encoding: 'utf8' }) : undefined;
    gnuTime = r !== undefined && r.status === 0 && /Maximum resident set size/.test(r.stderr);
  }
  return gnuTime;
}

/** How a timed child is started: under GNU time, or with the rusage hook preloaded. */
function timedCommand(script, args, env) {
  const report = path.join(os.tmpdir(), `jaunt-bench-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const viaTime = hasGnuTime();
  return {
    report,
    viaTime,
    command: viaTime ? GNU_TIME : process.execPath,
    argv: viaTime ? ['-v', '-o', report, process.execPath, script, ...args] : ['--require', PRELOAD, script, ...args],
    env: viaTime ? env : { ...env, JAUNT_BENCH_RUSAGE: report },
  };
}

/** CPU time and peak RSS from the child's report (NaN when it died before writing one); removes it. */
function readReport({ report, viaTime }) {
  let rssKb = NaN;
  let cpuMs = NaN;
  try {
    const text = fs.readFileSync(report, 'utf8');
    if (viaTime) {
      const field = (name) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(text)?.[1]);
      rssKb = field('Maximum resident set size \\(kbytes\\)');
      cpuMs = (field('User time \\(seconds\\)') + field('System time \\(seconds\\)')) * 1000;
    } else {
      const usage = JSON.parse(text);
      rssKb = usage.maxRSS;
      cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    }
  } catch {
    // no report: the child died before exit; the caller sees its status
  } finally {
    fs.rmSync(report, { force: true });
  }
  return { cpuMs, rssKb };
}

/**
 * Runs `node <script> ...args` in `cwd` and returns its wall time, CPU time (user + system) and peak RSS.
 * CPU time and RSS come from GNU `time -v` when present, else from `process.resourceUsage()` reported by
 * a preloaded hook at exit. CPU time suffers less than wall time when other processes compete for cores.
 * Both wrap the child the same way for every variant, so they cancel out of the ratios.
 */
function runNode(script, args, cwd, env = process.env) {
  const t = timedCommand(script, args, env);
  const start = process.hrtime.bigint();
  const r = spawnSync(t.command, t.argv, { cwd, env: t.env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, ...readReport(t), status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

/**
 * runNode without blocking this process: needed whenever this process also serves the child (the fake
 * Anthropic server), which spawnSync would starve. Resolves, never rejects, with the same fields.
 */
function runNodeAsync(script, args, cwd, env = process.env) {
  const t = timedCommand(script, args, env);
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    const chunks = [];
    let error;
    const child = spawn(t.command, t.argv, { cwd, env: t.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('error', (e) => {
      error = e;
    });
    child.on('close', (status) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      resolve({ ms, ...readReport(t), status, output: Buffer.concat(chunks).toString('utf8'), error });
    });
  });
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (kb) => `${(kb / 1024).toFixed(0)} MB`;

/** Prints rows as one aligned text table; `rows` are arrays of cells, the first row the header. */
function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) => r.map((cell, c) => String(cell).padEnd(widths[c])).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

module.exports = { ROOT, TSPC, TSC, runNode, runNodeAsync, hasGnuTime, median, seconds, megabytes, table };
