#!/usr/bin/env node
// What running executable examples costs: the sandboxed child per candidate (as generation runs it), one
// batched child for every cached entry of a project (as a first build runs it), and a bare `node -e 0`
// for reference. Uses fixtures/examples (6 specs, 20 assertions, 5 spec files) copied into bench/.work.
// Prints JSON with `--json`, else a summary. `--runs N` (default 7).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const { ROOT, median } = require('./lib/measure');

const dist = (p) => require(path.join(ROOT, 'dist', p));

async function examplesCost({ runs = 7 } = {}) {
  const ts = require('typescript');
  const dir = path.join(ROOT, 'bench', '.work', 'examples');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'fixtures', 'examples'), dir, { recursive: true });
  dist('core/author-offline').authorOffline(ts, path.join(dir, 'tsconfig.json'), path.join(dir, 'impl'));
  const { program } = dist('core/load-program').loadProject(ts, path.join(dir, 'tsconfig.json'));
  const analysis = dist('core/analyze-program').analyzeProgram(ts, program, dir);
  const cacheDir = path.join(dir, '.jaunt');
  const validator = dist('validate/validate-candidate').createValidator(ts, program, analysis, { cacheDir });
  const body = (spec) => fs.readFileSync(path.join(dir, 'impl', `${spec.ir.name}.ts`), 'utf8');

  const bare = [];
  const candidate = [];
  const batched = [];
  const never = { has: () => false, remember: () => undefined };
  const { classifySpecs } = dist('core/classify-specs');
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t);
    for (const spec of analysis.specs) {
      t = performance.now();
      const r = await validator.checkBehaviour(spec, body(spec));
      candidate.push(performance.now() - t);
      if (!r.ok) throw new Error(`${spec.ir.name}: ${r.errors.join('; ')}`);
    }
    t = performance.now();
    const c = classifySpecs({ ts, program, analysis, cacheDir, missingHint: '', verdicts: never });
    batched.push(performance.now() - t);
    if (c.exampleRuns.size !== analysis.specs.length) throw new Error('not every spec ran its examples');
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    specs: analysis.specs.length,
    bareNodeMs: median(bare),
    perCandidateMs: median(candidate),
    firstBuildAllSpecsMs: median(batched),
    runs,
  };
}

if (require.main === module) {
  const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
  examplesCost({ runs }).then((r) => {
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(r)}\n`);
    else {
      console.log(`node -e 0: ${r.bareNodeMs.toFixed(0)} ms; one candidate's examples in the sandbox: ${r.perCandidateMs.toFixed(0)} ms (median of ${r.runs * r.specs});`);
      console.log(`classification of ${r.specs} cached specs, examples batched in one child (type checks included): ${r.firstBuildAllSpecsMs.toFixed(0)} ms`);
    }
  }, (e) => {
    console.error(e);
    process.exitCode = 1;
  });
}

module.exports = { examplesCost };
