import * as fs from 'node:fs';
import * as path from 'node:path';

/** The marker ts-patch writes at the top of each compiler module it patches (see its patch-detail.js). */
const TSP_HEADER = '/// tsp-module:';

function leadingLines(file: string, bytes = 8192): string[] {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buffer, 0, bytes, 0);
    return buffer.toString('utf8', 0, n).split('\n');
  } catch {
    return [];
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Whether `ts-patch install` patched this TypeScript's `tsc`, read the way ts-patch's own `check` does:
 * the patched module starts with a `///` header block carrying the ts-patch version. Since TS 5.7,
 * lib/tsc.js is a shim and the compiler lives in lib/_tsc.js.
 */
export function tscPatch(typescriptDir: string): { patched: boolean; tspVersion?: string } {
  const shimmed = path.join(typescriptDir, 'lib', '_tsc.js');
  const file = fs.existsSync(shimmed) ? shimmed : path.join(typescriptDir, 'lib', 'tsc.js');
  const header = [];
  for (const line of leadingLines(file)) {
    if (!line.startsWith('///')) break;
    header.push(line);
  }
  if (!header.some((l) => l.trim() === TSP_HEADER)) return { patched: false };
  const version = header.map((l) => /"tspVersion":\s*"([^"]+)"/.exec(l)?.[1]).find((v) => v !== undefined);
  return { patched: true, tspVersion: version };
}

/** The ts-patch package the project resolves, if any. */
export function resolveTsPatch(projectDir: string): { version: string; dir: string } | undefined {
  try {
    const pkg = require.resolve('ts-patch/package.json', { paths: [projectDir] });
    const { version } = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: unknown };
    return { version: typeof version === 'string' ? version : 'unknown', dir: path.dirname(pkg) };
  } catch {
    return undefined;
  }
}

/** The scripts of the package.json nearest the project, to see whether builds run tsc or tspc. */
export function packageScripts(projectDir: string): Record<string, string> {
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      try {
        const { scripts } = JSON.parse(fs.readFileSync(file, 'utf8')) as { scripts?: unknown };
        if (!scripts || typeof scripts !== 'object') return {};
        return Object.fromEntries(Object.entries(scripts).filter((e): e is [string, string] => typeof e[1] === 'string'));
      } catch {
        return {};
      }
    }
    if (path.dirname(dir) === dir) return {};
  }
}
