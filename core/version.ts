import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package root, found from this file both in dist/ and when run from source (ts-jest). */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'jaunt-ts') return dir;
    if (path.dirname(dir) === dir) throw new Error('jaunt-ts: cannot find its own package.json');
  }
}

export const PACKAGE_ROOT = packageRoot();
export const TOOL_NAME = 'jaunt-ts';
export const TOOL_VERSION: string = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
