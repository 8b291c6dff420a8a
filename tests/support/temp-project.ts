import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
export const TSPC = path.join(REPO, 'node_modules', 'ts-patch', 'bin', 'tspc.js');

/**
 * Copies a fixture into a fresh folder inside the repo (ignored by git), so `jaunt-ts/transformer`
 * resolves from it through the repo's node_modules as it does from a user's project.
 */
export function copyFixture(name: string, o: { withCache?: boolean } = {}): string {
  const root = path.join(REPO, '.tmp-tests');
  fs.mkdirSync(root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, `${name}-`));
  fs.cpSync(path.join(REPO, 'fixtures', name), dir, {
    recursive: true,
    filter: (src) => !/[\\/](out|node_modules)$/.test(src) && (o.withCache !== false || !/[\\/]\.jaunt$/.test(src)),
  });
  return dir;
}

export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function cacheEntries(dir: string): string[] {
  const cache = path.join(dir, '.jaunt');
  return fs.existsSync(cache) ? fs.readdirSync(cache).filter((f) => f.endsWith('.ts')).sort() : [];
}
