/**
 * A synthetic project with many trivially implementable specs, for fault and process tests that need
 * more specs than a hand-written fixture has. Spec `specK(x)` returns `x + K` plus the results of its
 * dependencies for the same `x`, so the emitted program's output shows which implementations ran.
 *
 * Layout: specs are spread over dependency levels 0..depth; a spec of level L > 0 depends on one or two
 * specs of level L - 1 (named in `@jauntDeps`). Specs are placed in files in level order, so a file
 * only imports from files before it (no import cycles), and some dependencies are in the same file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listEntries, lookupEntry, type EntryLookup } from '../../cache/cache-store';
import { REPO } from './temp-project';

export interface SyntheticSpec {
  name: string;
  /** The K of `x + K`. */
  index: number;
  level: number;
  /** Module specifier of the spec's file from src/, e.g. './m2'. */
  module: string;
  /** Names of the specs it depends on. */
  deps: string[];
}

export interface ManySpecsProject {
  /** Project folder (it holds tsconfig.json). */
  dir: string;
  specs: SyntheticSpec[];
  byName(name: string): SyntheticSpec;
  /** The correct implementation of a spec, as a model would answer it (imports of other files' deps included). */
  implementation(name: string): string;
  /** What `specK(INPUT)` returns when every implementation is correct. */
  expectedValue(name: string): number;
  /** Every spec that depends on `name`, directly or not. */
  dependentsOf(name: string): string[];
  /** One line of main.js's output per spec: `name=value`, or `name threw` when its call throws. */
  parseOutput(stdout: string): Map<string, string>;
}

/** The argument main.ts passes to every spec. */
export const INPUT = 1;

export interface ManySpecsOptions {
  /** Number of specs; default 30. */
  count?: number;
  /** Number of spec files; default 5. */
  files?: number;
  /** Deepest dependency level (a chain has depth + 1 specs); default 3. */
  depth?: number;
  /** Settings of the jaunt plugin entry, besides `transform`. */
  plugin?: Record<string, unknown>;
  /** Prefix of the temp folder's name. */
  label?: string;
}

function layout(count: number, files: number, depth: number): SyntheticSpec[] {
  const levels = depth + 1;
  const levelOf = (k: number) => Math.floor((k * levels) / count);
  const perFile = Math.ceil(count / files);
  const specs: SyntheticSpec[] = [];
  for (let k = 0; k < count; k++) {
    const level = levelOf(k);
    const below = specs.filter((s) => s.level === level - 1).map((s) => s.name);
    const deps = below.length === 0 ? [] : [...new Set([below[k % below.length]!, ...(k % 3 === 0 ? [] : [below[(k * 7 + 3) % below.length]!])])];
    specs.push({ name: `spec${k}`, index: k, level, module: `./m${Math.floor(k / perFile)}`, deps });
  }
  return specs;
}

function contract(s: SyntheticSpec): string {
  const deps = s.deps.length === 0 ? '' : `, plus the sum of ${s.deps.map((d) => `{@link ${d}}(x)`).join(' and ')}`;
  return [
    '/**',
    ` * Returns \`x + ${s.index}\`${deps}.`,
    ...(s.deps.length > 0 ? [` * @jauntDeps ${s.deps.join(', ')}`] : []),
    ' * @jaunt',
    ' */',
    `export declare function ${s.name}(x: number): number;`,
  ].join('\n');
}

/** Writes the project under the repo's ignored `.tmp-tests/`; remove it with removeProject. */
export function createManySpecs(o: ManySpecsOptions = {}): ManySpecsProject {
  const count = o.count ?? 30;
  const specs = layout(count, o.files ?? 5, o.depth ?? 3);
  const byName = new Map(specs.map((s) => [s.name, s]));
  const get = (name: string): SyntheticSpec => {
    const s = byName.get(name);
    if (!s) throw new Error(`no synthetic spec named ${name}`);
    return s;
  };

  const root = path.join(REPO, '.tmp-tests');
  fs.mkdirSync(root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, `${o.label ?? 'many-specs'}-`));
  const src = path.join(dir, 'src');
  fs.mkdirSync(src);

  const modules = [...new Set(specs.map((s) => s.module))];
  for (const mod of modules) {
    const own = specs.filter((s) => s.module === mod);
    const imports = new Map<string, string[]>();
    for (const s of own) {
      for (const d of s.deps.map(get).filter((d) => d.module !== mod)) {
        const names = imports.get(d.module) ?? [];
        if (!names.includes(d.name)) names.push(d.name);
        imports.set(d.module, names);
      }
    }
    const head = [...imports].map(([m, names]) => `import { ${names.join(', ')} } from '${m}';`);
    fs.writeFileSync(path.join(src, `${mod.slice(2)}.ts`), [...head, ...(head.length ? [''] : []), own.map(contract).join('\n\n'), ''].join('\n'));
  }

  const main = [
    ...modules.map((m) => `import { ${specs.filter((s) => s.module === m).map((s) => s.name).join(', ')} } from '${m}';`),
    '',
    '// The project has no DOM and no @types/node (see its tsconfig): the one global main needs.',
    'declare const console: { log(message: string): void };',
    `const all: [string, (x: number) => number][] = [${specs.map((s) => `['${s.name}', ${s.name}]`).join(', ')}];`,
    'for (const [name, fn] of all) {',
    '  try {',
    `    console.log(\`\${name}=\${fn(${INPUT})}\`);`,
    '  } catch {',
    '    console.log(`${name} threw`);',
    '  }',
    '}',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(src, 'main.ts'), main);

  const tsconfig = {
    compilerOptions: {
      target: 'ES2022', module: 'commonjs', strict: true, outDir: 'out', rootDir: 'src', skipLibCheck: true,
      // No @types/node and no DOM: a smaller program makes each of the many builds these tests run cheaper.
      lib: ['ES2022'], types: [],
      plugins: [{ transform: 'jaunt-ts/transformer', ...o.plugin }],
    },
    include: ['src'],
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'synthetic-many-specs', private: true }) + '\n');

  const values = new Map<string, number>();
  const expectedValue = (name: string): number => {
    const known = values.get(name);
    if (known !== undefined) return known;
    const s = get(name);
    const v = INPUT + s.index + s.deps.reduce((n, d) => n + expectedValue(d), 0);
    values.set(name, v);
    return v;
  };

  return {
    dir,
    specs,
    byName: get,
    implementation(name) {
      const s = get(name);
      const foreign = new Map<string, string[]>();
      for (const d of s.deps.map(get).filter((d) => d.module !== s.module)) foreign.set(d.module, [...(foreign.get(d.module) ?? []), d.name]);
      const head = [...foreign].map(([m, names]) => `import { ${names.join(', ')} } from '${m}';\n`).join('');
      const sum = ['x', String(s.index), ...s.deps.map((d) => `${d}(x)`)].join(' + ');
      return `${head}${head ? '\n' : ''}export function ${s.name}(x: number): number {\n  return ${sum};\n}\n`;
    },
    expectedValue,
    dependentsOf(name) {
      const out = new Set<string>();
      const visit = (n: string): void => {
        for (const s of specs) {
          if (s.deps.includes(n) && !out.has(s.name)) {
            out.add(s.name);
            visit(s.name);
          }
        }
      };
      visit(name);
      return [...out];
    },
    parseOutput(stdout) {
      const out = new Map<string, string>();
      for (const line of stdout.split('\n')) {
        const m = /^(spec\d+)(?:=(.*)| (threw))$/.exec(line.trim());
        if (m) out.set(m[1]!, m[2] ?? 'threw');
      }
      return out;
    },
  };
}

/** One file of the cache folder that is named like an entry, with what a lookup makes of it. */
export interface CachedEntry {
  file: string;
  name: string;
  hash: string;
  lookup: EntryLookup;
}

/** Every entry-named file of the project's `.jaunt/`, each looked up the way a build looks it up. */
export function cachedEntries(dir: string): CachedEntry[] {
  const cacheDir = path.join(dir, '.jaunt');
  return listEntries(cacheDir).map((e) => ({ file: path.basename(e.path), name: e.name, hash: e.hash, lookup: lookupEntry(cacheDir, e.name, e.hash) }));
}

/** Files of `.jaunt/` left by an interrupted atomic write. */
export function tmpLeftovers(dir: string): string[] {
  const cacheDir = path.join(dir, '.jaunt');
  return fs.existsSync(cacheDir) && fs.statSync(cacheDir).isDirectory() ? fs.readdirSync(cacheDir).filter((f) => f.endsWith('.tmp')) : [];
}

/** A V8 stack frame line, as `Error.stack` prints it. */
export const STACK_FRAME = /^\s{4}at \S/m;
