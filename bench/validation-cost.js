#!/usr/bin/env node
// What validating one generated implementation costs, in-process, with dist's validator as the
// generation engine uses it: the candidate is overlaid on its spec's file and only that file is checked,
// reusing the loaded program. Compared (by run.js) with a full `tsc --noEmit` of the same project.
// Also times a full in-process check (program.getSemanticDiagnostics()) of a fresh program, for reference.
// Prints JSON with `--json` (how run.js calls it, in a child of its own), else a summary.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { ROOT, median } = require('./lib/measure');
const { DEFAULT_DIR } = require('./gen-fixture');

/** Wall and CPU milliseconds of `fn` (CPU: this process, all threads), and its result. */
function timed(fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

function validationCost({ dir = DEFAULT_DIR, repeats = 5 } = {}) {
  const ts = require('typescript');
  const { loadProject } = require(path.join(ROOT, 'dist', 'core', 'load-program'));
  const { analyzeProgram } = require(path.join(ROOT, 'dist', 'core', 'analyze-program'));
  const { createValidator } = require(path.join(ROOT, 'dist', 'validate', 'validate-candidate'));
  const config = path.join(dir, 'tsconfig.json');

  const program = loadProject(ts, config).program;
  const analysis = analyzeProgram(ts, program, dir);
  const candidate = (spec) => fs.readFileSync(path.join(dir, 'impl', `${spec.ir.name}.ts`), 'utf8');
  // A spec with the most to check: referenced project types and a dependency imported from another file.
  const spec = [...analysis.specs].reverse().find((s) => s.typeSources.length > 0 && s.ir.deps.length > 0) ?? analysis.specs[0];

  const validator = createValidator(ts, program, analysis);
  const validate = (s) => {
    const t = timed(() => validator.validate(s, candidate(s)));
    if (!t.value.ok) throw new Error(`impl/${s.ir.name}.ts was rejected: ${t.value.errors.join('; ')}`);
    return t;
  };
  // The first call also pays for the checker and the spec file's baseline diagnostics.
  const first = validate(spec);
  const again = Array.from({ length: repeats }, () => validate(spec));
  // Every spec once, as a cold generation validates them (each other file's first call pays its baseline).
  const each = analysis.specs.filter((s) => s !== spec).map(validate);

  // Reference: a full check in-process, on a fresh program so nothing above warms it.
  const fresh = loadProject(ts, config).program;
  const full = timed(() => fresh.getSemanticDiagnostics());
  if (full.value.length) throw new Error(`the project has ${full.value.length} type errors`);

  const stats = (samples) => ({ ms: median(samples.map((t) => t.ms)), cpuMs: median(samples.map((t) => t.cpuMs)) });
  return {
    spec: spec.ir.name, file: spec.ir.file,
    first: { ms: first.ms, cpuMs: first.cpuMs },
    repeat: { ...stats(again), n: again.length },
    eachSpec: { ...stats(each), n: each.length, maxMs: Math.max(...each.map((t) => t.ms)) },
    fullCheck: { ms: full.ms, cpuMs: full.cpuMs },
  };
}

module.exports = { validationCost };

if (require.main === module) {
  const r = validationCost();
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(r));
  else console.log(JSON.stringify(r, null, 2));
}
