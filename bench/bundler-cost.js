#!/usr/bin/env node
// The bundler plugin's cost on the 300-file benchmark project: esbuild with jaunt-ts/esbuild against esbuild
// alone on the same project with every spec ejected (`jaunt eject`: the same code written into the sources;
// esbuild alone cannot bundle the project as it is, its imports of specs have no export). Two shapes: the
// app bundle (src/index.ts and what it imports) and a transpile of every source file (what a dev server or
// vitest does file by file). Each timed run is a child of its own (a cold start, as on
// the command line), alternating ABBA so load drift cancels; medians of wall and CPU time, and their ratios.
// The plugin reads the cache only; verdicts are remembered after the warm-up (a repeat build).
//   node bench/bundler-cost.js [--runs N] [--reuse]     (run.js runs it as `--only bundler`)
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ROOT, runNode, median, seconds } = require('./lib/measure');
const { generate, DEFAULT_DIR } = require('./gen-fixture');

const DRIVER = `// Written by bench/bundler-cost.js: node bundle.mjs <bundle|transpile> <plain|jaunt> <outdir>
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import jaunt from 'jaunt-ts/esbuild';

const [shape, variant, outdir] = process.argv.slice(2);
const all = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? all(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
await esbuild.build({
  entryPoints: shape === 'bundle' ? ['src/index.ts'] : all('src'),
  bundle: shape === 'bundle', platform: 'node', format: 'cjs', outdir, logLevel: 'error',
  plugins: variant === 'jaunt' ? [jaunt()] : [],
});
`;

/** The spec functions a bundle defines: the plugin's output has them, esbuild alone drops them. */
function definedSpecs(file, names) {
  const text = fs.readFileSync(file, 'utf8');
  return names.filter((n) => new RegExp(`function ${n}\\(`).test(text));
}

function bundlerCost({ dir = DEFAULT_DIR, runs = 5, log = () => undefined } = {}) {
  fs.writeFileSync(path.join(dir, 'bundle.mjs'), DRIVER);
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  // `jaunt-ts` and `esbuild` resolve through bench/.work/../../node_modules: the repo's.
  const specNames = fs.readdirSync(path.join(dir, 'impl')).map((f) => f.replace(/\.ts$/, ''));
  // The baseline: a sibling copy with every spec ejected, bundled without the plugin.
  const ejected = `${dir}-ejected`;
  fs.rmSync(ejected, { recursive: true, force: true });
  fs.cpSync(dir, ejected, { recursive: true, filter: (src) => !/[\\/]out[^\\/]*$/.test(src) });
  execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli', 'main.js'), 'eject', ...specNames, '-p', ejected], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  const out = {};
  for (const shape of ['bundle', 'transpile']) {
    const variants = { plain: [], jaunt: [] };
    const run = (variant) => {
      const outdir = `out-esbuild-${shape}-${variant}`;
      const cwd = variant === 'plain' ? ejected : dir;
      fs.rmSync(path.join(cwd, outdir), { recursive: true, force: true });
      const r = runNode('bundle.mjs', [shape, variant, outdir], variant === 'plain' ? ejected : dir, { ...process.env, CI: '1' });
      if (r.status !== 0) throw new Error(`esbuild ${shape} ${variant} failed:\n${r.output}`);
      return { ...r, outdir: path.join(cwd, outdir) };
    };
    // Warm-up: fills the verdict cache and the OS file cache; checks what each variant ships.
    run('plain');
    const warm = run('jaunt');
    if (shape === 'bundle') {
      const bundle = path.join(warm.outdir, 'index.js');
      const plain = path.join(ejected, 'out-esbuild-bundle-plain', 'index.js');
      // Both bundles compute the same results.
      const results = (file) => JSON.stringify(require(file).results);
      if (results(bundle) !== results(plain)) throw new Error(`the bundles disagree: ${results(bundle)} vs ${results(plain)}`);
      out.results = results(bundle);
      out.bundledSpecs = definedSpecs(bundle, specNames).length;
      out.plainSpecs = definedSpecs(plain, specNames).length;
    } else {
      const files = (d) => fs.readdirSync(d, { recursive: true }).filter((f) => String(f).endsWith('.js')).map((f) => path.join(d, String(f)));
      out.transpiledSpecs = files(warm.outdir).reduce((n, f) => n + definedSpecs(f, specNames).length, 0);
    }
    for (let i = 0; i < runs; i++) {
      for (const variant of i % 2 === 0 ? ['plain', 'jaunt', 'jaunt', 'plain'] : ['jaunt', 'plain', 'plain', 'jaunt']) {
        const r = run(variant);
        variants[variant].push(r);
        log(`  esbuild ${shape} ${variant}: ${seconds(r.ms)} (CPU ${seconds(r.cpuMs)})`);
      }
    }
    const m = (variant, key) => median(variants[variant].map((r) => r[key]));
    out[shape] = {
      plainMs: m('plain', 'ms'), jauntMs: m('jaunt', 'ms'), plainCpuMs: m('plain', 'cpuMs'), jauntCpuMs: m('jaunt', 'cpuMs'),
      runs: variants.plain.length,
    };
    out[shape].ratio = out[shape].jauntMs / out[shape].plainMs;
    out[shape].cpuRatio = out[shape].jauntCpuMs / out[shape].plainCpuMs;
  }
  return out;
}

module.exports = { bundlerCost };

if (require.main === module) {
  const argv = process.argv.slice(2);
  const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 3;
  if (!argv.includes('--reuse') || !fs.existsSync(path.join(DEFAULT_DIR, 'tsconfig.json'))) {
    fs.rmSync(DEFAULT_DIR, { recursive: true, force: true });
    generate(DEFAULT_DIR);
  }
  const r = bundlerCost({ runs, log: (s) => process.stderr.write(`${s}\n`) });
  for (const shape of ['bundle', 'transpile']) {
    const x = r[shape];
    console.log(`esbuild ${shape}: ${seconds(x.plainMs)} without the plugin, ${seconds(x.jauntMs)} with it: wall ${x.ratio.toFixed(2)}x, CPU ${seconds(x.plainCpuMs)} / ${seconds(x.jauntCpuMs)} = ${x.cpuRatio.toFixed(2)}x (median of ${x.runs})`);
  }
  console.log(`specs defined: bundle ${r.bundledSpecs} with the plugin, ${r.plainSpecs} in the ejected baseline; transpile ${r.transpiledSpecs} with the plugin; results ${r.results}`);
  void ROOT;
}
