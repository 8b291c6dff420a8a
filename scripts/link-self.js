// Dev checkouts only: makes `jaunt-ts` resolvable by name from fixtures/ and examples/, as a user's
// project resolves it from node_modules (ts-patch resolves plugins from the tsconfig's folder).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
if (root.split(path.sep).includes('node_modules')) process.exit(0); // installed as a dependency
const link = path.join(root, 'node_modules', 'jaunt-ts');
if (!fs.existsSync(path.join(root, 'node_modules'))) process.exit(0);
try {
  if (fs.realpathSync(link) === root) process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch {
  // not there yet
}
fs.symlinkSync(path.relative(path.dirname(link), root), link, 'dir');
