/**
 * When Jaunt cannot run at all for a project (a bad option, an internal error), its specs still ship as
 * functions that throw the build's error: a module never silently lacks them.
 */
import { FixtureProject } from './support/fixture-project';

test('with a bad plugin option, tspc reports it and every spec throws that error instead of being left out', async () => {
  const p = FixtureProject.copy('basic-cjs');
  try {
    p.edit('tsconfig.json', (t) => t.replace('{ "transform": "jaunt-ts/transformer" }', '{ "transform": "jaunt-ts/transformer", "mode": "sometimes" }'));
    const build = await p.tspc();
    expect(build.status).not.toBe(0);
    expect(build.output).toMatch(/JAUNT4001: .*"?mode"?.*sometimes/);
    const run = await p.eval("try { require('./out/math.js').clamp(1, 0, 2); } catch (e) { console.log(e.message); }");
    expect(run.stdout).toMatch(/Jaunt has no implementation for spec 'clamp': JAUNT4001: .*sometimes/);
  } finally {
    p.cleanup();
  }
});
