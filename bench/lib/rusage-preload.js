// Loaded with `node --require` into a measured child when GNU time is missing: tsc ends with
// process.exit, and the 'exit' event still fires, so the child can report its own peak RSS.
'use strict';

const fs = require('node:fs');

const target = process.env.JAUNT_BENCH_RUSAGE;
if (target) {
  process.on('exit', () => {
    fs.writeFileSync(target, JSON.stringify(process.resourceUsage()));
  });
}
