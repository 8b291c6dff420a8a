import * as fs from 'node:fs';
import * as path from 'node:path';
import { JauntError, type Location } from '../core/errors';

/**
 * A bad plugin option or endpoint: what is wrong, where it is written, and what to do. The message is
 * self-contained (tsc prints it with no file of its own: a tsconfig is not a source file of the program);
 * the CLI and doctor use the parts.
 */
export class OptionsError extends JauntError {
  /** What is wrong, without the place. */
  readonly problem: string;
  /** What to do about it. */
  readonly fix: string;
  /** The option at fault, when there is one. */
  readonly key: string | undefined;
  constructor(code: number, problem: string, fix: string, location?: Location, key?: string) {
    super(code, `${location ? `${placeOf(location, process.cwd())}: ` : ''}${problem} ${fix}`, location, undefined);
    this.name = 'OptionsError';
    this.problem = problem;
    this.fix = fix;
    this.key = key;
  }
}

/** `tsconfig.json:7`, relative to `cwd` as tsc prints paths. */
export function placeOf(location: Location, cwd: string): string {
  const rel = path.relative(cwd, location.file);
  const shown = rel === '' || path.isAbsolute(rel) ? location.file : rel.split(path.sep).join('/');
  return location.line !== undefined ? `${shown}:${location.line}` : shown;
}

const MAX_EXTENDS = 8;

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The configs a tsconfig extends, in the order tsc consults them for `plugins` (nearest first). */
function extendedFiles(file: string, text: string): string[] {
  const m = /"extends"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])/.exec(text);
  if (!m) return [];
  const names = [...m[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]!).reverse();
  const dir = path.dirname(file);
  return names.flatMap((name) => {
    const candidates = name.startsWith('.') || path.isAbsolute(name)
      ? [path.resolve(dir, name), path.resolve(dir, `${name}.json`)]
      : [];
    if (candidates.length === 0) {
      // A package's config: resolved as node would, which is what tsc does for the common cases.
      for (const spec of [name, `${name}.json`, `${name}/tsconfig.json`]) {
        try {
          candidates.push(require.resolve(spec, { paths: [dir] }));
        } catch {
          // not this form
        }
      }
    }
    const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    return found ? [found] : [];
  });
}

const lineAt = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/**
 * Where an option of the jaunt-ts entry is written: the first config of the `extends` chain that has
 * `plugins` (tsc takes the whole array from it), and the line of `"key"` after `"plugins"`, else the line of
 * `"plugins"`. A text scan, not a parse: cheap, and right for the usual one entry per file.
 */
export function locateOption(configFile: string | undefined, key: string | undefined): Location | undefined {
  if (configFile === undefined) return undefined;
  const queue = [path.resolve(configFile)];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < MAX_EXTENDS) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readText(file);
    if (text === undefined) continue;
    const plugins = text.search(/"plugins"\s*:/);
    if (plugins < 0) {
      queue.push(...extendedFiles(file, text));
      continue;
    }
    if (key !== undefined) {
      const quoted = JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const at = text.slice(plugins).search(new RegExp(`${quoted}\\s*:`));
      if (at >= 0) return { file, line: lineAt(text, plugins + at) };
    }
    return { file, line: lineAt(text, plugins) };
  }
  return undefined;
}
