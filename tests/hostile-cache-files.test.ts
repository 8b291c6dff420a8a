/**
 * Hostile and broken files where Jaunt reads: in the cache folder and behind `jaunt author --from`. Each is
 * refused with a code, the file and what to do, without blocking or reading without bound. Everything that
 * reads runs as a child process with a time limit well under jest's, since a blocked read would freeze a
 * jest worker past any timeout; a preloaded probe reports each child's peak RSS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GcFilesJson } from '../cli/commands/gc';
import type { StatusJson } from '../cli/json-shapes';
import { MAX_FILE_BYTES } from '../cache/read-bounded';
import { JAUNT, parseJson } from './support/cli-project';
import { FixtureProject, TSPC, childEnv, run, type RunResult } from './support/fixture-project';
import { jauntInProcess } from './support/jaunt-in-process';

const CHILD_MS = 45_000;
const TEST_MS = 100_000;
/** Peak RSS a child may reach: a small project's tsc needs far less; reading /dev/zero needs far more. */
const MAX_RSS_KIB = 700 * 1024;
const doc = (text: string) => `/**\n * ${text}\n * @jaunt\n */\n`;

const FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'commonjs', strict: true, outDir: 'out', rootDir: 'src', skipLibCheck: true, types: [], plugins: [{ transform: 'jaunt-ts/transformer' }] },
    include: ['src'],
  }),
  'src/math.ts': `${doc('Clamp `value` into the inclusive range [min, max].')}export declare function clamp(value: number, min: number, max: number): number;\n\n`
    + `${doc('Twice `n`.')}export declare function double(n: number): number;\n`,
  'src/intl.ts': `${doc('`s` with its first character upper-cased.')}export declare function función(s: string): string;\n\n`
    + `${doc('How many code points `s` has.')}export declare function 数え(s: string): number;\n\n`
    + `${doc('`s` reversed by code point.')}export declare function $ünïcode(s: string): string;\n`,
  'impl/clamp.ts': 'export function clamp(value: number, min: number, max: number): number {\n  return Math.min(max, Math.max(min, value));\n}\n',
  'impl/double.ts': 'export function double(n: number): number {\n  return n * 2;\n}\n',
  'impl/función.ts': 'export function función(s: string): string {\n  return s.charAt(0).toUpperCase() + s.slice(1);\n}\n',
  'impl/数え.ts': 'export function 数え(s: string): number {\n  return [...s].length;\n}\n',
  'impl/$ünïcode.ts': 'export function $ünïcode(s: string): string {\n  return [...s].reverse().join(\'\');\n}\n',
  // Loaded into every child: its peak RSS, printed at exit, proves no read ran without bound.
  'rss-probe.cjs': "process.on('exit', () => process.stderr.write('\\nrss-probe maxrss-kib=' + process.resourceUsage().maxRSS + '\\n'));\n",
};

let p: FixtureProject;
let pristine: Map<string, Buffer>;
/** Project-relative entry path of each spec, as authored. */
const entries = new Map<string, string>();
const entry = (spec: string): string => entries.get(spec)!;
const hashOf = (spec: string): string => /\.([0-9a-f]{16})\.ts$/.exec(entry(spec))![1]!;
const outside: string[] = [];

beforeAll(() => {
  p = FixtureProject.fromFiles('hostile', FILES);
  // Verdicts are remembered under the nearest node_modules: this project's own.
  fs.mkdirSync(p.path('node_modules'));
  const { missing } = p.authorOffline();
  expect(missing).toEqual([]);
  for (const e of p.entries()) entries.set(path.basename(e).split('.')[0]!.normalize('NFC'), e);
  pristine = new Map(fs.readdirSync(p.path('.jaunt')).map((f) => [f, fs.readFileSync(p.path('.jaunt', f))]));
});

beforeEach(() => {
  p.remove('.jaunt');
  fs.mkdirSync(p.path('.jaunt'));
  for (const [f, bytes] of pristine) fs.writeFileSync(p.path('.jaunt', f), bytes);
  p.write('src/intl.ts', FILES['src/intl.ts']!);
});

afterAll(() => {
  p?.cleanup();
  for (const dir of outside) fs.rmSync(dir, { recursive: true, force: true });
});

function withProbe(args: readonly string[]): Promise<RunResult> {
  return run(process.execPath, ['--require', p.path('rss-probe.cjs'), ...args], { cwd: p.dir, env: childEnv(), timeoutMs: CHILD_MS });
}
const jaunt = (...args: string[]) => withProbe([JAUNT, ...args]);
/** Where the process's memory is not in question: the CLI's main() in this process. */
const jauntHere = (...args: string[]) => jauntInProcess(args, { cwd: p.dir, env: childEnv() });
const tspc = () => withProbe([TSPC, '-p', '.']);

/** The child ended by itself (not killed at the time limit) and its peak memory stayed small. */
function expectBounded(r: RunResult): void {
  expect({ signal: r.signal, killed: r.signal !== null }).toEqual({ signal: null, killed: false });
  const rss = Number(/rss-probe maxrss-kib=(\d+)/.exec(r.stderr)?.[1]);
  expect(rss).toBeGreaterThan(0);
  expect(rss).toBeLessThan(MAX_RSS_KIB);
}

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
  expect(fs.statSync(file).isFIFO()).toBe(true);
}

/** Replaces a spec's entry with a symlink to `target`. */
function linkEntry(spec: string, target: string): void {
  p.remove(entry(spec));
  fs.symlinkSync(target, p.path(entry(spec)));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The build error of an entry that is refused, as tsc prints it. */
const refusedEntry = (spec: string, why: string) => new RegExp(
  `error TS992002: JAUNT2002: cache entry ${escape(entry(spec))} for spec '${escape(spec)}' is unusable \\(${why}; Jaunt does not read it\\); delete it and run \`jaunt build\``);

function status(r: RunResult): Map<string, StatusJson['specs'][number]> {
  expect(r.status).toBe(0);
  return new Map(parseJson<StatusJson>(r.stdout).specs.map((s) => [s.name, s]));
}

describe('cache entries that are not regular files, too large or outside are refused without being read', () => {
  test('tspc fails an entry that is a symlink to a FIFO with JAUNT2002 instead of hanging', async () => {
    mkfifo(p.path('pipe'));
    linkEntry('clamp', p.path('pipe'));
    const r = await tspc();
    expectBounded(r);
    expect(r.stdout).toMatch(refusedEntry('clamp', `is a symlink to ${escape(p.path('pipe'))}, a named pipe \\(FIFO\\), not a regular file`));
    expect(r.stdout).not.toMatch(/spec 'double'/);
    expect(r.status).not.toBe(0);
  }, TEST_MS);

  test('jaunt check fails on a FIFO at an entry path with its reason and what to do, without blocking', async () => {
    fs.rmSync(p.path(entry('double')));
    mkfifo(p.path(entry('double')));
    const r = await jaunt('check');
    expectBounded(r);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/double\s+corrupt \(is a named pipe \(FIFO\), not a regular file; Jaunt does not read it\)/);
    expect(r.stdout).toContain('Run `jaunt build` locally and commit .jaunt/');
  }, TEST_MS);

  test('jaunt status reports an entry that is a symlink to /dev/zero as corrupt and never reads it', async () => {
    linkEntry('clamp', '/dev/zero');
    const r = await jaunt('status', '--json');
    expectBounded(r);
    expect(status(r).get('clamp')).toMatchObject({
      status: 'corrupt', entry: entry('clamp'), reasons: ['is a symlink to /dev/zero, a character device, not a regular file; Jaunt does not read it'],
    });
    expect(status(r).get('double')!.status).toBe('fresh');
  }, TEST_MS);

  test('tspc fails an entry that is a folder with JAUNT2002 naming it', async () => {
    p.remove(entry('double'));
    fs.mkdirSync(p.path(entry('double')));
    // Nothing here can be read without bound: the build thread's tspc will do.
    const r = await p.tspc();
    expect(r.stdout).toMatch(refusedEntry('double', 'is a folder, not a regular file'));
  }, TEST_MS);

  test('tspc fails an entry over 256 KiB with JAUNT2002 without reading it', async () => {
    const file = p.path(entry('clamp'));
    fs.appendFileSync(file, `// ${'x'.repeat(300 * 1024)}\n`);
    const r = await tspc();
    expectBounded(r);
    expect(r.stdout).toMatch(refusedEntry('clamp', 'is 30\\d KiB, over the 256 KiB limit'));
  }, TEST_MS);

  test('jaunt check refuses a valid entry reached through a symlink out of the project, naming the target', async () => {
    const away = fs.mkdtempSync(path.join(os.tmpdir(), 'jaunt-outside-'));
    outside.push(away);
    const target = path.join(away, path.basename(entry('clamp')));
    fs.copyFileSync(p.path(entry('clamp')), target);
    linkEntry('clamp', target);
    // A small regular file at the end of the link: no memory in question, so no child either.
    const r = await jauntHere('check');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`clamp  corrupt (is a symlink to ${fs.realpathSync(target)}, outside the cache folder ${p.path('.jaunt')}; Jaunt does not read it)`);
    const build = await p.tspc();
    expect(build.stdout).toMatch(refusedEntry('clamp', `is a symlink to ${escape(fs.realpathSync(target))}, outside the cache folder ${escape(p.path('.jaunt'))}`));
  }, TEST_MS);

  test('jaunt status reports a socket at an entry path as corrupt', async () => {
    const sock = p.path(entry('double'));
    p.remove(entry('double'));
    const server = net.createServer().listen(sock);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      // Opening a socket fails at once (ENXIO): no memory in question.
      const r = await jauntHere('status', '--json');
      expect(status(r).get('double')).toMatchObject({ status: 'corrupt', reasons: ['is a socket, not a regular file; Jaunt does not read it'] });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, TEST_MS);
});

describe('jaunt author --from reads only a regular file of at most 256 KiB', () => {
  const authorFrom = async (from: string) => {
    const r = await jaunt('author', 'clamp', '--from', from);
    expectBounded(r);
    expect(r.status).toBe(2);
    // Nothing was written over the entry.
    expect(fs.readFileSync(p.path(entry('clamp')))).toEqual(pristine.get(path.basename(entry('clamp'))));
    return r.stderr;
  };

  test('a FIFO is refused at once with JAUNT2009', async () => {
    mkfifo(p.path('impl-pipe'));
    const err = await authorFrom('impl-pipe');
    expect(err).toContain('error JAUNT2009: impl-pipe is a named pipe (FIFO), not a regular file: Jaunt does not read it');
    expect(err).toContain('pass the .ts file that holds the implementation');
  }, TEST_MS);

  test('/dev/zero is refused with JAUNT2009 and never read', async () => {
    const err = await authorFrom('/dev/zero');
    expect(err).toContain('error JAUNT2009: /dev/zero is a character device, not a regular file: Jaunt does not read it');
  }, TEST_MS);

  test('a file over the limit is refused with JAUNT2010', async () => {
    p.write('impl/huge.ts', `${fs.readFileSync(p.path('impl/clamp.ts'), 'utf8')}// ${'y'.repeat(257 * 1024)}\n`);
    const err = await authorFrom('impl/huge.ts');
    expect(err).toMatch(/error JAUNT2010: impl\/huge\.ts is 25\d KiB, over the 256 KiB limit for an implementation: Jaunt does not read it/);
    expect(err).toContain('split the spec');
  }, TEST_MS);

  test('a file under the limit whose entry would be over it is refused with JAUNT2010 and not written', async () => {
    p.write('impl/edge.ts', `${fs.readFileSync(p.path('impl/clamp.ts'), 'utf8')}// ${'z'.repeat(MAX_FILE_BYTES - 200)}\n`);
    const r = await jaunt('author', 'clamp', '--from', 'impl/edge.ts', '--no-verify');
    expectBounded(r);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${entry('clamp')} - error JAUNT2010: the implementation of spec 'clamp' would make an entry of 257 KiB, over the 256 KiB limit`);
    expect(fs.readFileSync(p.path(entry('clamp')))).toEqual(pristine.get(path.basename(entry('clamp'))));
  }, TEST_MS);
});

describe('jaunt gc deletes only real entries and cleans up after interrupted writes', () => {
  /** In a child whose memory is measured where the folder holds a FIFO or an oversized file, else in this process. */
  const gc = async (where: 'child' | 'here', ...args: string[]) => {
    const r = where === 'child' ? await jaunt('gc', ...args) : await jauntHere('gc', ...args);
    if (where === 'child') expectBounded(r);
    expect(r.status).toBe(0);
    return r;
  };

  test('files named like entries that are not entries are listed with JAUNT2011 and kept by --delete', async () => {
    const orphan = `.jaunt/retired.${'0'.repeat(16)}.ts`;
    fs.copyFileSync(p.path(entry('double')), p.path(orphan));
    const plain = `.jaunt/notes.${'1'.repeat(16)}.ts`;
    p.write(plain, 'export const mine = "my own file, no header";\n');
    const folder = `.jaunt/dir.${'2'.repeat(16)}.ts`;
    fs.mkdirSync(p.path(folder));
    mkfifo(p.path(`.jaunt/pipe.${'3'.repeat(16)}.ts`));
    const big = `.jaunt/big.${'4'.repeat(16)}.ts`;
    fs.writeFileSync(p.path(big), Buffer.concat([pristine.get(path.basename(entry('double')))!, Buffer.alloc(300 * 1024, 0x20)]));

    const listed = await gc('child');
    expect(listed.stdout).toContain(`JAUNT2011 ${plain} is named like a cache entry but is not one (no @jaunt-entry header): kept. Remove or rename it yourself: gc deletes only Jaunt entries.`);
    expect(listed.stdout).toContain(`JAUNT2011 ${folder} is named like a cache entry but is not one (is a folder, not a regular file; Jaunt does not read it): kept.`);
    expect(listed.stdout).toContain(`JAUNT2011 .jaunt/pipe.${'3'.repeat(16)}.ts is named like a cache entry but is not one (is a named pipe (FIFO), not a regular file;`);
    expect(listed.stdout).toMatch(new RegExp(`JAUNT2011 ${escape(big)} is named like a cache entry but is not one \\(is 30\\d KiB, over the 256 KiB limit;`));

    const json = parseJson<GcFilesJson>((await gc('child', '--delete', '--force', '--json')).stdout);
    expect(json.orphans.map((o) => [o.path, o.deleted])).toEqual([[orphan, true]]);
    expect(json.notEntries.map((n) => [n.path, n.code]).sort()).toEqual([folder, big, plain, `.jaunt/pipe.${'3'.repeat(16)}.ts`].sort().map((f) => [f, 'JAUNT2011']));
    for (const kept of [plain, folder, big, `.jaunt/pipe.${'3'.repeat(16)}.ts`]) expect(fs.existsSync(p.path(kept))).toBe(true);
    expect(p.read(plain)).toContain('my own file');
    expect(fs.existsSync(p.path(orphan))).toBe(false);
  }, TEST_MS);

  test('--delete removes temp files whose writer is gone or that are old, and keeps one being written', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    const tmp = (pid: number, tag: string) => `${entry('clamp')}.${pid}.${tag}.tmp`;
    const [stale, dead, fresh] = [tmp(process.pid, 'old1'), tmp(deadPid, 'dead1'), tmp(process.pid, 'new1')];
    for (const f of [stale, dead, fresh]) p.write(f, 'partial');
    const hourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(p.path(stale), hourAgo, hourAgo);

    const listed = await gc('here');
    expect(listed.stdout).toMatch(new RegExp(`${escape(stale)}  temp file of an interrupted write \\(36\\d\\d s old\\)  \`jaunt gc --delete\` removes it`));
    expect(listed.stdout).toContain(`${dead}  temp file of an interrupted write (process ${deadPid} is gone)`);
    expect(listed.stdout).toMatch(new RegExp(`${escape(fresh)}  temp file of a write in progress \\(process ${process.pid}, \\d+ s old\\): kept`));
    for (const f of [stale, dead, fresh]) expect(p.exists(f)).toBe(true);

    const json = parseJson<GcFilesJson>((await gc('here', '--delete', '--json')).stdout);
    expect(json.tempFiles.map((t) => [t.path, t.leftover, t.deleted]).sort()).toEqual([[dead, true, true], [fresh, false, false], [stale, true, true]].sort());
    expect([stale, dead, fresh].map((f) => p.exists(f))).toEqual([false, false, true]);
    // Entries are untouched, and no temp file ever counted as one.
    expect(json.entries).toBe(pristine.size - 1);
    expect(json.orphans).toEqual([]);
  }, TEST_MS);

  test('a temp file holding a whole entry is never used as the entry', async () => {
    const file = entry('double');
    fs.renameSync(p.path(file), p.path(`${file}.${process.pid}.whole1.tmp`));
    const s = status(await jauntHere('status', '--json'));
    expect(s.get('double')).toMatchObject({ status: 'missing', entry: null });
    const r = await p.tspc();
    expect(r.stdout).toMatch(new RegExp(`error TS992001: JAUNT2001: spec 'double' \\(src/math\\.ts:\\d+\\) has no cached implementation`));
  }, TEST_MS);

  test('the cache folder Jaunt creates ignores temp files for git', async () => {
    p.remove('.jaunt');
    const r = await jauntHere('author', 'clamp', '--from', 'impl/clamp.ts');
    expect(r.status).toBe(0);
    expect(p.read('.jaunt/.gitignore')).toMatch(/^\*\.tmp$/m);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: p.dir, encoding: 'utf8' });
    git('init', '-q');
    p.write(`${entry('clamp')}.999999.left1.tmp`, 'partial');
    git('add', '.jaunt');
    const staged = git('diff', '--cached', '--name-only', '-z').split('\0').filter(Boolean).sort();
    expect(staged).toEqual(['.jaunt/.gitignore', entry('clamp')]);
    p.remove('.git');
  }, TEST_MS);
});

describe('spec names outside ASCII are entry names', () => {
  test('jaunt status tells stale from missing for función and 数え, and $ünïcode is fresh', async () => {
    p.edit('src/intl.ts', (t) => t.replace('first character upper-cased', 'first character in upper case'));
    p.remove(entry('数え'));
    const s = status(await jauntHere('status', '--json'));
    expect(s.get('función')).toMatchObject({ status: 'stale', reasons: ['JSDoc'], previousEntry: entry('función') });
    expect(s.get('数え')).toMatchObject({ status: 'missing' });
    expect(s.get('$ünïcode')).toMatchObject({ status: 'fresh', entry: entry('$ünïcode') });

    const json = parseJson<GcFilesJson>((await jauntHere('gc', '--delete', '--json')).stdout);
    expect(json.orphans.map((o) => [o.spec, o.hash, o.reason, o.deleted])).toEqual([['función', hashOf('función'), 'old-hash', true]]);
    expect(p.exists(entry('función'))).toBe(false);
    p.edit('src/intl.ts', (t) => t.replace('first character in upper case', 'first character upper-cased'));
  }, TEST_MS);

  test('gc counts an entry whose file name is decomposed (as macOS lists it) as used, never as unused', async () => {
    const composed = entry('función');
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    fs.renameSync(p.path(composed), p.path(decomposed));
    const json = parseJson<GcFilesJson>((await jauntHere('gc', '--delete', '--json')).stdout);
    expect({ orphans: json.orphans, notEntries: json.notEntries, used: json.used }).toEqual({ orphans: [], notEntries: [], used: pristine.size - 1 });
    expect(p.exists(decomposed)).toBe(true);
  }, TEST_MS);
});
