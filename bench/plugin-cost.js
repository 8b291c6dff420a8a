#!/usr/bin/env node
// The plugin's own work in a warm build, timed in-process: a wall-clock ratio of two 20-second builds
// on a busy machine cannot resolve a 1% difference, but the plugin's share can be timed directly.
// Times are CPU time of this process (user + system), which other processes on the machine inflate far
// less than wall time. As in tsc, the program is fully checked before emit, so the checker is warm.
// Prints JSON with `--json` (how run.js calls it, in a child of its own), else a summary.
'use strict';

const path = require('node:path');
const { ROOT, median } = require('./lib/measure');
const { DEFAULT_DIR } = require('./gen-fixture');

/** CPU milliseconds `fn` takes (this process, all threads). */
function cpuTime(fn) {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function pluginCost({ dir = DEFAULT_DIR, rounds = 5 } = {}) {
  const ts = require('typescript');
  const { loadProject } = require(path.join(ROOT, 'dist', 'core', 'load-program'));
  const { resolveOptions } = require(path.join(ROOT, 'dist', 'config', 'options'));
  const { prepareProgram } = require(path.join(ROOT, 'dist', 'core', 'prepare-program'));
  const plugin = require(path.join(ROOT, 'dist', 'transformer', 'plugin'));

  const project = loadProject(ts, path.join(dir, 'tsconfig.json'));
  const program = project.program;
  const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) throw new Error(`the benchmark project has ${errors.length} type errors, e.g. ${ts.flattenDiagnosticMessageText(errors[0].messageText, '\n')}`);
  const options = resolveOptions(project.pluginConfig, dir);

  // Analysis, DAG, hashes and cache lookups: what the plugin does once per program.
  const prepareMs = [];
  let specs = 0;
  for (let i = 0; i < rounds; i++) {
    let prepared;
    prepareMs.push(cpuTime(() => {
      prepared = prepareProgram(ts, program, options);
    }));
    const problems = prepared.diagnostics.filter((d) => d.severity === 'error');
    if (problems.length) throw new Error(`jaunt reports ${problems.length} errors, e.g. ${problems[0].message}`);
    specs = prepared.analysis.specs.length;
  }

  // Splicing: emitting the spec files with the transformer versus without. Other files only cost the
  // transformer a map lookup. The plugin prepares once per program (then memoizes), so it is created
  // outside the timed loop.
  const diagnostics = [];
  // The extras ts-patch 3 hands a transformer (plugin-types.d.ts), with this array as tsc's diagnostics.
  const extras = { ts, diagnostics, addDiagnostic: (d) => diagnostics.push(d), removeDiagnostic: (i) => diagnostics.splice(i, 1) };
  const factory = plugin(program, project.pluginConfig, extras);
  const specFiles = program.getSourceFiles().filter((sf) => sf.text.includes('@jaunt') && !sf.isDeclarationFile);
  const discard = () => {};
  const emitAll = (transformers) => cpuTime(() => {
    for (const sf of specFiles) program.emit(sf, discard, undefined, false, transformers);
  });
  emitAll(undefined);
  emitAll({ before: [factory] });
  const withMs = [];
  const withoutMs = [];
  for (let i = 0; i < rounds; i++) {
    withoutMs.push(emitAll(undefined));
    withMs.push(emitAll({ before: [factory] }));
  }
  if (diagnostics.length) throw new Error(`the plugin reported: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}`);
  const spliceMs = Math.max(0, median(withMs) - median(withoutMs));
  return { specs, specFiles: specFiles.length, prepareMs: median(prepareMs), spliceMs, totalMs: median(prepareMs) + spliceMs,
    emitSpecFilesMs: { with: withMs, without: withoutMs } };
}

module.exports = { pluginCost };

if (require.main === module) {
  const r = pluginCost();
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(r));
  else console.log(`${r.specs} specs in ${r.specFiles} files: prepare ${r.prepareMs.toFixed(1)} ms, splice ${r.spliceMs.toFixed(1)} ms, total ${r.totalMs.toFixed(1)} ms`);
}
