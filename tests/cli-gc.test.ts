import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GcJson } from '../cli/json-shapes';
import { cacheFiles, copyProject, edit, jaunt, parseJson, recordInputs, removeProject, requireBuiltCli } from './support/cli-project';

beforeAll(() => requireBuiltCli());

describe('jaunt gc', () => {
  let dir: string;
  let oldSlugify: string;
  let oldSuffix: string;
  const removed = 'retiredSpec.0123456789abcdef.ts';

  beforeAll(() => {
    dir = copyProject('esm-nodenext');
    recordInputs(dir);
    oldSlugify = cacheFiles(dir).find((f) => f.startsWith('slugify.'))!;
    oldSuffix = cacheFiles(dir).find((f) => f.startsWith('slugWithSuffix.'))!;
    // Both old entries become orphans; the old slugify one is then edited by hand.
    edit(dir, 'src/slug.mts', ' * Lowercase `s`', ' * Lower-case `s`');
    edit(dir, `.jaunt/${oldSlugify}`, 'export function slugify', '// tuned by hand\nexport function slugify');
    // An entry whose spec no longer exists anywhere.
    fs.copyFileSync(path.join(dir, '.jaunt', cacheFiles(dir).find((f) => f.startsWith('sum.'))!), path.join(dir, '.jaunt', removed));
  });
  afterAll(() => removeProject(dir));

  test('lists old hashes of existing specs and entries of removed specs, and deletes nothing', async () => {
    const r = await jaunt(dir, ['gc']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\\.jaunt/${oldSuffix.replace(/\./g, '\\.')}\\s+earlier contract of slugWithSuffix`));
    expect(r.stdout).toMatch(/\.jaunt\/retiredSpec\.0123456789abcdef\.ts\s+no spec named 'retiredSpec'/);
    expect(r.stdout).toMatch(/earlier contract of slugify .*kept: edited by hand/);
    expect(r.stdout).toContain('3 unused entries');
    expect(cacheFiles(dir)).toHaveLength(6);
  });

  test('--json describes each unused entry', async () => {
    const json = parseJson<GcJson>((await jaunt(dir, ['gc', '--json'])).stdout);
    expect(json.entries).toBe(6);
    expect(json.used).toBe(3);
    expect(json.deleted).toBe(0);
    expect(json.orphans.map((o) => [o.spec, o.reason, o.edited, o.deleted]).sort()).toEqual([
      ['retiredSpec', 'spec-removed', false, false],
      ['slugWithSuffix', 'old-hash', false, false],
      ['slugify', 'old-hash', true, false],
    ]);
  });

  test('--delete removes the unused entries but keeps the hand-edited one', async () => {
    const r = await jaunt(dir, ['gc', '--delete']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Deleted 2 unused entries; kept 1 edited by hand (add --force to delete)');
    const left = cacheFiles(dir);
    expect(left).toContain(oldSlugify);
    expect(left).not.toContain(oldSuffix);
    expect(left).not.toContain(removed);
    // What current specs use is untouched.
    expect(left.filter((f) => /^(sum|later|toNumber)\./.test(f))).toHaveLength(3);
  });

  test('--delete --force removes the hand-edited one too', async () => {
    const r = await jaunt(dir, ['gc', '--delete', '--force', '--json']);
    expect(r.status).toBe(0);
    expect(parseJson<GcJson>(r.stdout).deleted).toBe(1);
    expect(cacheFiles(dir)).not.toContain(oldSlugify);
    expect(cacheFiles(dir)).toHaveLength(3);
  });
});
