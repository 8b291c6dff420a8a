/**
 * Bad plugin options are refused when the options load, by tspc and by every CLI command, with the code,
 * the tsconfig line and what to do, before anything is sent: the fake server must see no request and the
 * key must appear in no output.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DoctorJson, ErrorJson } from '../cli/json-shapes';
import { cleanEnv, parseJson, requireBuiltCli, type CliResult } from './support/cli-project';
import { answerEverything, entryProject, printed, type EntryProject } from './support/entry-project';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic';

const KEY = 'sk-ant-api03-HOSTILE-OPTIONS-7c1d9e';
let server: FakeAnthropic;
const env = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url, ...extra });

beforeAll(async () => {
  requireBuiltCli();
  server = await startFakeAnthropic();
});
afterAll(async () => server?.close());

type Via = 'tspc' | 'build' | 'explain' | 'status' | 'doctor';

interface BadCase {
  title: string;
  entry: Record<string, unknown>;
  /** The key the error must point at. */
  key: string;
  via: Via;
  /** What the message must say (the problem and the fix). */
  says: RegExp[];
}

const BAD: BadCase[] = [
  { title: 'an unknown key "Mode" is refused by tspc, suggesting mode', entry: { Mode: 'never' }, key: 'Mode', via: 'tspc', says: [/unknown option "Mode"/, /Did you mean "mode"\?/, /Rename it to "mode"/] },
  { title: 'an unknown key "modle" is refused by jaunt build, suggesting model rather than mode', entry: { modle: 'claude-x' }, key: 'modle', via: 'build', says: [/unknown option "modle"/, /Did you mean "model"\?/] },
  { title: 'an unknown key with no near name lists the options', entry: { flavour: 'vanilla' }, key: 'flavour', via: 'doctor', says: [/unknown option "flavour"/, /Remove it, or use one of Jaunt's options: cacheDir/] },
  { title: 'a timeoutMs past what Node timers can wait is refused by tspc', entry: { timeoutMs: 2 ** 31 }, key: 'timeoutMs', via: 'tspc', says: [/"timeoutMs" must be a whole number from 100 to 3600000/, /got 2147483648/, /remove it for the default \(120000\)/] },
  { title: 'a timeoutMs of 0 is refused by jaunt doctor', entry: { timeoutMs: 0 }, key: 'timeoutMs', via: 'doctor', says: [/"timeoutMs" must be a whole number from 100/] },
  { title: 'an exampleTimeoutMs of 50 is refused by tspc', entry: { exampleTimeoutMs: 50 }, key: 'exampleTimeoutMs', via: 'tspc', says: [/"exampleTimeoutMs" must be a whole number from 100 to 600000/, /got 50/, /remove it for the default \(10000\)/] },
  { title: 'an exampleTimeoutMs over ten minutes is refused by jaunt doctor', entry: { exampleTimeoutMs: 600_001 }, key: 'exampleTimeoutMs', via: 'doctor', says: [/"exampleTimeoutMs" must be a whole number from 100 to 600000 \(milliseconds a sandboxed run/] },
  { title: 'a maxTokens of 0 is refused by jaunt build', entry: { maxTokens: 0 }, key: 'maxTokens', via: 'build', says: [/"maxTokens" must be a whole number from 1 to 128000, got 0/] },
  { title: 'a maxTokens of a million is refused by jaunt explain', entry: { maxTokens: 1_000_000 }, key: 'maxTokens', via: 'explain', says: [/"maxTokens" must be a whole number from 1 to 128000/] },
  { title: 'negative retries are refused by tspc', entry: { retries: -1 }, key: 'retries', via: 'tspc', says: [/"retries" must be a whole number from 0 to 20, got -1/] },
  { title: 'fractional retries are refused by jaunt status', entry: { retries: 2.5 }, key: 'retries', via: 'status', says: [/"retries" must be a whole number from 0 to 20, got 2\.5/] },
  { title: 'zero attempts are refused by jaunt build', entry: { attempts: 0 }, key: 'attempts', via: 'build', says: [/"attempts" must be a whole number from 1 to 10, got 0/] },
  { title: 'eleven attempts are refused by jaunt doctor', entry: { attempts: 11 }, key: 'attempts', via: 'doctor', says: [/"attempts" must be a whole number from 1 to 10, got 11/] },
  { title: 'a concurrency of 0 is refused by tspc', entry: { concurrency: 0 }, key: 'concurrency', via: 'tspc', says: [/"concurrency" must be a whole number from 1 to 64, got 0/] },
  { title: 'a concurrency written as a string is refused by jaunt build', entry: { concurrency: '4' }, key: 'concurrency', via: 'build', says: [/"concurrency" must be a whole number from 1 to 64, got the string "4"/] },
  { title: 'a concurrency of 1000 is refused by jaunt explain', entry: { concurrency: 1000 }, key: 'concurrency', via: 'explain', says: [/"concurrency" must be a whole number from 1 to 64/] },
  { title: 'a mode that is not one of its values is refused by jaunt build', entry: { mode: 'Force' }, key: 'mode', via: 'build', says: [/"mode" must be one of "auto", "never", "force", got "Force"/, /Did you mean "force"\?/] },
  { title: 'a baseURL that is not a URL fails when the options load, not at request time', entry: { baseURL: 'not a url' }, key: 'baseURL', via: 'tspc', says: [/option "baseURL" "not a url" is not a URL/, /https:\/\/api\.anthropic\.com/] },
  { title: 'a cacheDir that climbs out of the project with .. is refused by tspc', entry: { cacheDir: '../shared-cache' }, key: 'cacheDir', via: 'tspc', says: [/"cacheDir" "\.\.\/shared-cache" leaves the tsconfig's folder/, /"allowCacheOutsideProject": true/] },
  { title: 'an absolute cacheDir is refused by jaunt build', entry: { cacheDir: path.join(os.tmpdir(), 'jaunt-elsewhere') }, key: 'cacheDir', via: 'build', says: [/"cacheDir" ".*jaunt-elsewhere" is an absolute path/, /"allowCacheOutsideProject": true/] },
  { title: 'a temperature above 1 is refused by jaunt doctor', entry: { temperature: 2 }, key: 'temperature', via: 'doctor', says: [/"temperature" must be a number from 0 to 1, got 2/] },
  { title: 'a negative price is refused by jaunt build', entry: { price: { input: -1, output: 15 } }, key: 'price', via: 'build', says: [/"price" must be \{ "input": <USD>, "output": <USD> \}/] },
  { title: 'an allowCacheOutsideProject that is not a boolean is refused by jaunt status', entry: { allowCacheOutsideProject: 'yes' }, key: 'allowCacheOutsideProject', via: 'status', says: [/"allowCacheOutsideProject" must be true or false, got "yes"/] },
];

function run(p: EntryProject, via: Via): Promise<CliResult> {
  switch (via) {
    case 'tspc': return p.tspc(env());
    case 'build': return p.jaunt(['build'], env());
    case 'explain': return p.jaunt(['explain', 'clamp'], env());
    case 'status': return p.jaunt(['status'], env());
    case 'doctor': return p.jaunt(['doctor'], env());
  }
}

describe('a bad plugin option is refused with its code, its tsconfig line and the fix, and nothing is sent', () => {
  test.each(BAD)('$title', async (c) => {
    const p = entryProject(c.entry);
    try {
      const before = server.requests.length;
      const r = await run(p, c.via);
      const where = `tsconfig.json:${p.lineOf(c.key)}`;
      const all = printed(r);
      if (c.via === 'tspc') {
        expect(r.status).not.toBe(0);
        expect(r.stdout).toContain(`error TS994001: JAUNT4001: ${where}: `);
      } else if (c.via === 'doctor') {
        expect(r.status).toBe(1);
        expect(r.stdout).toMatch(new RegExp(`✗ ${where}: .*\\(JAUNT4001\\)`));
        expect(r.stdout).toMatch(/^ {4}fix: /m);
      } else {
        expect(r.status).toBe(3);
        expect(r.stderr).toContain(`error JAUNT4001: ${where}: `);
      }
      for (const text of c.says) expect(all).toMatch(text);
      expect(server.requests.length).toBe(before);
      expect(all).not.toContain(KEY);
      expect(all).not.toMatch(/\n\s+at .*\.js:\d+/);
    } finally {
      p.remove();
    }
  });
});

describe('how options errors are reported', () => {
  test('several bad options: the CLI names the first and counts the rest, and doctor lists each on its own line', async () => {
    const p = entryProject({ modle: 'x', retries: 99, concurrency: -2 });
    const before = server.requests.length;
    try {
      const [build, doctor] = await Promise.all([p.jaunt(['build', '--json'], env()), p.jaunt(['doctor', '--json'], env())]);
      expect(build.status).toBe(3);
      const error = parseJson<ErrorJson>(build.stdout).error;
      expect(error).toMatchObject({ exitCode: 3, code: 'JAUNT4001' });
      expect(error.message).toBe(`tsconfig.json:${p.lineOf('modle')}: unknown option "modle" in the jaunt-ts plugin entry. Did you mean "model"?`);
      expect(error.hint).toContain('2 more problems in the plugin entry: `jaunt doctor` lists them all.');
      const checks = parseJson<DoctorJson>(doctor.stdout).checks.filter((c) => c.id === 'options');
      expect(checks.map((c) => [c.status, c.title.split(':').slice(0, 2).join(':')])).toEqual([
        ['fail', `tsconfig.json:${p.lineOf('modle')}`], ['fail', `tsconfig.json:${p.lineOf('retries')}`], ['fail', `tsconfig.json:${p.lineOf('concurrency')}`],
      ]);
      expect(printed(build, doctor)).not.toContain(KEY);
      expect(server.requests.length).toBe(before);
    } finally {
      p.remove();
    }
  });

  test('an entry inherited through extends is located in the base tsconfig that holds it', async () => {
    const p = entryProject({ Concurrency: 2 });
    const before = server.requests.length;
    try {
      fs.renameSync(path.join(p.dir, 'tsconfig.json'), path.join(p.dir, 'tsconfig.base.json'));
      fs.writeFileSync(path.join(p.dir, 'tsconfig.json'), '{\n  "extends": "./tsconfig.base.json"\n}\n');
      const line = fs.readFileSync(path.join(p.dir, 'tsconfig.base.json'), 'utf8').split('\n').findIndex((l) => l.includes('"Concurrency"')) + 1;
      const r = await p.tspc(env());
      expect(r.status).not.toBe(0);
      expect(r.stdout).toContain(`JAUNT4001: tsconfig.base.json:${line}: unknown option "Concurrency"`);
      expect(r.stdout).toContain('Did you mean "concurrency"?');
      expect(server.requests.length).toBe(before);
    } finally {
      p.remove();
    }
  });

  test('jaunt build --concurrency obeys the same bounds as the option', async () => {
    const p = entryProject({});
    const before = server.requests.length;
    try {
      const r = await p.jaunt(['build', '--concurrency', '1000'], env());
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('--concurrency must be a whole number from 1 to 64, got 1000');
      expect(server.requests.length).toBe(before);
    } finally {
      p.remove();
    }
  });
});

describe('what the options accept', () => {
  test("ts-patch's own keys in the entry are accepted, and tspc builds from the committed cache", async () => {
    const p = entryProject({ type: 'program', after: false, afterDeclarations: false, transformProgram: false, isEsm: false, resolvePathAliases: false, name: 'jaunt' }, { keepCache: true });
    try {
      const [tspc, doctor] = await Promise.all([p.tspc(cleanEnv({ CI: '1' })), p.jaunt(['doctor'], cleanEnv())]);
      expect(tspc.output).toBe('');
      expect(tspc.status).toBe(0);
      expect(fs.readFileSync(path.join(p.dir, 'out', 'math.js'), 'utf8')).toContain('jaunt: .jaunt/clamp.');
      expect(doctor.stdout).toContain('✓ plugin options valid (model claude-');
    } finally {
      p.remove();
    }
  });

  test('allowCacheOutsideProject lets cacheDir leave the project, with .. and as an absolute path', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'jaunt-shared-cache-'));
    const p = entryProject({ cacheDir: `../${path.basename(outside)}`, allowCacheOutsideProject: true }, { keepCache: true });
    try {
      fs.cpSync(path.join(p.dir, '.jaunt'), outside, { recursive: true });
      fs.rmSync(path.join(p.dir, '.jaunt'), { recursive: true });
      const relative = await p.tspc(cleanEnv({ CI: '1' }));
      expect(relative.output).toBe('');
      expect(relative.status).toBe(0);
      fs.writeFileSync(path.join(p.dir, 'tsconfig.json'), fs.readFileSync(path.join(p.dir, 'tsconfig.json'), 'utf8').replace(`"../${path.basename(outside)}"`, JSON.stringify(outside)));
      const absolute = await p.jaunt(['status'], cleanEnv());
      expect(absolute.status).toBe(0);
      expect(absolute.stdout).toMatch(/clamp\s+fresh/);
      expect(absolute.stdout).toMatch(/sha256\s+fresh/);
    } finally {
      p.remove();
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('values at the bounds are accepted and a build with them reaches the server', async () => {
    const p = entryProject({ timeoutMs: 100_000, maxTokens: 128_000, retries: 0, attempts: 1, concurrency: 64, temperature: 1, mode: 'auto', exampleTimeoutMs: 600_000 });
    try {
      answerEverything(server, p.dir);
      const before = server.requests.length;
      const r = await p.jaunt(['build'], env());
      expect(r.stdout + r.stderr).not.toContain(KEY);
      expect(r.status).toBe(0);
      const sent = server.requests.slice(before);
      expect(sent.map((q) => q.spec).sort()).toEqual(['clamp', 'sha256']);
      expect(sent.every((q) => q.body?.max_tokens === 128_000 && q.apiKey === KEY)).toBe(true);
    } finally {
      p.remove();
    }
  });
});
