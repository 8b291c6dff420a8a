// Dev checkouts only: installs the TypeScript 7 fixture's own dependencies (typescript@7 and
// @typescript/typescript6) into its own node_modules, from its lockfile. They cannot be root devDependencies:
// every copy of TypeScript has a `tsc` bin, and a hoisted one would take over the repo's `tsc`.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
if (root.split(path.sep).includes('node_modules')) process.exit(0); // installed as a dependency
const fixture = path.join(root, 'fixtures', 'bundlers-ts7');
const lock = JSON.parse(fs.readFileSync(path.join(fixture, 'package-lock.json'), 'utf8'));
const installed = (name) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(fixture, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
};
const wanted = ['typescript', '@typescript/typescript6'];
if (wanted.every((name) => installed(name) === lock.packages[`node_modules/${name}`]?.version)) process.exit(0);
const npm = process.env.npm_execpath;
const args = ['ci', '--prefix', fixture, '--no-audit', '--no-fund', '--ignore-scripts'];
execFileSync(npm ? process.execPath : 'npm', npm ? [npm, ...args] : args, { stdio: 'inherit' });
