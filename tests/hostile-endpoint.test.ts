/**
 * Where the API key may go. Two fake servers: `server`, the one the environment names, and `other`, one
 * that only a tsconfig names (as a hostile pull request would). Refusals must happen before any request,
 * name their code, place and fix, and print neither the key nor a URL's credentials.
 */
import type { BuildJson, DoctorJson, ExplainJson } from '../cli/json-shapes';
import { cleanEnv, parseJson, requireBuiltCli, type CliResult } from './support/cli-project';
import { answerEverything, entryProject, printed, type EntryProject } from './support/entry-project';
import { startFakeAnthropic, type FakeAnthropic } from './support/fake-anthropic';

const KEY = 'sk-ant-api03-HOSTILE-ENDPOINT-4b8a2f';
const PASSWORD = 'S3cretPa55w0rd';
let server: FakeAnthropic;
let other: FakeAnthropic;
const env = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url, ...extra });
const projects: EntryProject[] = [];
const project = (entry: Record<string, unknown>): EntryProject => {
  const p = entryProject(entry);
  projects.push(p);
  return p;
};
const sent = () => server.requests.length + other.requests.length;

beforeAll(async () => {
  requireBuiltCli();
  [server, other] = await Promise.all([startFakeAnthropic(), startFakeAnthropic()]);
});
afterEach(() => projects.splice(0).forEach((p) => p.remove()));
afterAll(async () => Promise.all([server?.close(), other?.close()]));

/** The output carries none of the secrets, and no stack trace. */
function expectClean(...runs: CliResult[]): void {
  const all = printed(...runs);
  expect(all).not.toContain(KEY);
  expect(all).not.toContain(PASSWORD);
  expect(all).not.toMatch(/\n\s+at .*\.js:\d+/);
}

function endpointCheck(r: CliResult): DoctorJson['checks'][number] | undefined {
  return parseJson<DoctorJson>(r.stdout).checks.find((c) => c.id === 'endpoint');
}

describe('a tsconfig baseURL receives the key only when the environment agrees', () => {
  test('a tsconfig baseURL that differs from ANTHROPIC_BASE_URL is refused by tspc and jaunt build, and neither server gets a request', async () => {
    const p = project({ baseURL: other.url });
    const before = sent();
    const [tspc, build] = await Promise.all([p.tspc(env()), p.jaunt(['build'], env())]);
    const where = `tsconfig.json:${p.lineOf('baseURL')}`;
    expect(tspc.status).not.toBe(0);
    expect(tspc.stdout).toContain(`error TS994004: JAUNT4004: ${where}: option "baseURL" "${other.url}" would receive ANTHROPIC_API_KEY`);
    expect(build.status).toBe(3);
    expect(build.stderr).toContain(`error JAUNT4004: ${where}: `);
    expect(build.stderr).toContain(`(ANTHROPIC_BASE_URL is "${server.url}")`);
    for (const r of [tspc, build]) {
      expect(r.stdout + r.stderr).toContain(`export ANTHROPIC_BASE_URL=${other.url}`);
      expect(r.stdout + r.stderr).toContain('JAUNT_TRUST_CONFIG_BASE_URL=1');
    }
    expect(sent()).toBe(before);
    expectClean(tspc, build);
  });

  test('with ANTHROPIC_BASE_URL unset, a tsconfig baseURL is refused as well, and doctor fails the endpoint check', async () => {
    const p = project({ baseURL: other.url });
    const before = sent();
    const noBase = cleanEnv({ ANTHROPIC_API_KEY: KEY });
    const [build, doctor] = await Promise.all([p.jaunt(['build'], noBase), p.jaunt(['doctor', '--json'], noBase)]);
    expect(build.status).toBe(3);
    expect(build.stderr).toContain(`error JAUNT4004: tsconfig.json:${p.lineOf('baseURL')}: `);
    expect(build.stderr).toContain('(ANTHROPIC_BASE_URL is not set)');
    expect(doctor.status).toBe(1);
    expect(endpointCheck(doctor)).toMatchObject({ status: 'fail', title: expect.stringMatching(/^API endpoint refused: tsconfig\.json:\d+: .*\(JAUNT4004\)$/), fix: expect.stringContaining('Remove "baseURL"') });
    expect(sent()).toBe(before);
    expectClean(build, doctor);
  });

  test('JAUNT_TRUST_CONFIG_BASE_URL=0 is not an opt-in', async () => {
    const p = project({ baseURL: other.url });
    const r = await p.jaunt(['status'], env({ JAUNT_TRUST_CONFIG_BASE_URL: '0' }));
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('JAUNT4004');
    expectClean(r);
  });

  test('a tsconfig baseURL equal to ANTHROPIC_BASE_URL, up to a trailing slash, receives the key and is shown with its source', async () => {
    const p = project({ baseURL: `${server.url}/` });
    answerEverything(server, p.dir);
    const before = server.requests.length;
    const r = await p.jaunt(['build'], env());
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`Generating 2 specs with claude-sonnet-5-5 at ${server.url}/ (from tsconfig.json, same as ANTHROPIC_BASE_URL)`);
    const got = server.requests.slice(before);
    expect(got.map((q) => q.spec).sort()).toEqual(['clamp', 'sha256']);
    expect(got.every((q) => q.apiKey === KEY)).toBe(true);
    expect(other.requests).toHaveLength(0);
    expectClean(r);
  });

  test('JAUNT_TRUST_CONFIG_BASE_URL=1 sends the key to the tsconfig baseURL through tspc, and doctor warns about the opt-in', async () => {
    const p = project({ baseURL: other.url });
    answerEverything(other, p.dir);
    const before = server.requests.length;
    const trust = env({ JAUNT_TRUST_CONFIG_BASE_URL: '1' });
    const tspc = await p.tspc(trust);
    expect(tspc.status).toBe(0);
    expect(other.requests.map((q) => q.spec).sort()).toEqual(['clamp', 'sha256']);
    expect(other.requests.every((q) => q.apiKey === KEY)).toBe(true);
    expect(server.requests.length).toBe(before);
    const doctor = await p.jaunt(['doctor', '--json'], trust);
    expect(endpointCheck(doctor)).toMatchObject({
      status: 'warn',
      title: `API endpoint ${other.url} (from tsconfig.json, trusted because JAUNT_TRUST_CONFIG_BASE_URL is set): the key goes wherever that file says`,
      fix: expect.stringContaining(`export ANTHROPIC_BASE_URL=${other.url}`),
    });
    expectClean(tspc, doctor);
  });
});

describe('an endpoint must be https, or plain http to this machine', () => {
  test('plain http to another host from ANTHROPIC_BASE_URL is refused by jaunt build before any request', async () => {
    const p = project({});
    const before = sent();
    const r = await p.jaunt(['build'], env({ ANTHROPIC_BASE_URL: 'http://api.example.test/v1' }));
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('error JAUNT4005: ANTHROPIC_BASE_URL "http://api.example.test/v1" is plain http to api.example.test, which is not this machine');
    expect(r.stderr).toContain('Use an https:// URL in your environment');
    expect(sent()).toBe(before);
    expectClean(r);
  });

  test('plain http to another host in the tsconfig is refused by tspc even with the opt-in', async () => {
    const p = project({ baseURL: 'http://10.1.2.3:8080' });
    const r = await p.tspc(env({ JAUNT_TRUST_CONFIG_BASE_URL: '1' }));
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain(`error TS994005: JAUNT4005: tsconfig.json:${p.lineOf('baseURL')}: option "baseURL" "http://10.1.2.3:8080" is plain http to 10.1.2.3`);
    expect(r.stdout).toContain('plain http is accepted only for localhost, 127.0.0.0/8 and [::1]');
    expectClean(r);
  });

  test('a scheme other than http and https is refused by jaunt doctor', async () => {
    const p = project({ baseURL: 'ftp://files.example/anthropic' });
    const r = await p.jaunt(['doctor', '--json'], env({ JAUNT_TRUST_CONFIG_BASE_URL: '1' }));
    expect(r.status).toBe(1);
    expect(endpointCheck(r)).toMatchObject({ status: 'fail', title: expect.stringMatching(/tsconfig\.json:\d+: option "baseURL" "ftp:\/\/files\.example\/anthropic" uses ftp:, not https:\. \(JAUNT4005\)$/) });
    expectClean(r);
  });

  test('loopback http is accepted for localhost, 127.0.0.0/8 and [::1]', async () => {
    const p = project({});
    const urls = ['http://localhost:9', 'http://127.45.6.7:9', 'http://[::1]:9'];
    const runs = await Promise.all(urls.map((u) => p.jaunt(['doctor', '--json'], env({ ANTHROPIC_BASE_URL: u }))));
    runs.forEach((r, i) => expect(endpointCheck(r)).toMatchObject({ status: 'ok', title: `API endpoint ${urls[i]} (from ANTHROPIC_BASE_URL in the environment)` }));
    expectClean(...runs);
  });
});

describe('credentials in an endpoint URL are refused and never printed', () => {
  const withCredentials = `https://jaunt-user:${PASSWORD}@gateway.example/v1`;

  test('a tsconfig baseURL with a user and password is refused, redacted, in doctor, explain and tspc', async () => {
    const p = project({ baseURL: withCredentials });
    const trust = env({ JAUNT_TRUST_CONFIG_BASE_URL: '1' });
    const [doctor, explain, tspc] = await Promise.all([p.jaunt(['doctor'], trust), p.jaunt(['explain', 'clamp', '--json'], trust), p.tspc(trust)]);
    const where = `tsconfig.json:${p.lineOf('baseURL')}`;
    expect(doctor.stdout).toContain(`✗ API endpoint refused: ${where}: option "baseURL" "https://***@gateway.example/v1" has a user name or password in it. (JAUNT4006)`);
    expect(explain.status).toBe(3);
    expect(parseJson<{ error: { code: string; message: string } }>(explain.stdout).error).toMatchObject({ code: 'JAUNT4006', message: expect.stringContaining(`${where}: option "baseURL" "https://***@gateway.example/v1"`) });
    expect(tspc.stdout).toContain(`JAUNT4006: ${where}: option "baseURL" "https://***@gateway.example/v1" has a user name or password in it. Remove them from the URL`);
    expect(printed(doctor, explain, tspc)).not.toContain('jaunt-user');
    expectClean(doctor, explain, tspc);
  });

  test('an ANTHROPIC_BASE_URL with credentials is refused before any request', async () => {
    const p = project({});
    const before = sent();
    const r = await p.jaunt(['build'], env({ ANTHROPIC_BASE_URL: server.url.replace('http://', `http://u:${PASSWORD}@`) }));
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`error JAUNT4006: ANTHROPIC_BASE_URL "http://***@${new URL(server.url).host}/" has a user name or password in it.`);
    expect(sent()).toBe(before);
    expectClean(r);
  });

  test('a query string in the endpoint is shown as ?*** by explain', async () => {
    const p = project({});
    const r = await p.jaunt(['explain', 'clamp'], env({ ANTHROPIC_BASE_URL: `https://gateway.example/v1?token=${PASSWORD}` }));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('at https://gateway.example/v1?*** (from ANTHROPIC_BASE_URL in the environment)');
    expectClean(r);
  });
});

describe('where the endpoint is shown', () => {
  test('doctor names the endpoint and its source: default, environment or tsconfig', async () => {
    const plain = project({});
    const same = project({ baseURL: server.url });
    const [byDefault, byEnv, byConfig] = await Promise.all([
      plain.jaunt(['doctor', '--json'], cleanEnv()), plain.jaunt(['doctor', '--json'], env()), same.jaunt(['doctor', '--json'], env()),
    ]);
    expect(endpointCheck(byDefault)).toMatchObject({ status: 'ok', title: 'API endpoint https://api.anthropic.com (the default; ANTHROPIC_BASE_URL is not set)' });
    expect(endpointCheck(byEnv)).toMatchObject({ status: 'ok', title: `API endpoint ${server.url} (from ANTHROPIC_BASE_URL in the environment)` });
    expect(endpointCheck(byConfig)).toMatchObject({ status: 'ok', title: `API endpoint ${server.url} (from tsconfig.json, same as ANTHROPIC_BASE_URL)` });
    expectClean(byDefault, byEnv, byConfig);
  });

  test('explain --json and build --json carry the endpoint and its source', async () => {
    const p = project({});
    answerEverything(server, p.dir);
    const explain = await p.jaunt(['explain', 'clamp', '--json'], env());
    expect(parseJson<ExplainJson>(explain.stdout)).toMatchObject({ endpoint: server.url, endpointSource: 'environment' });
    const build = await p.jaunt(['build', '--json'], env());
    expect(build.status).toBe(0);
    expect(parseJson<BuildJson>(build.stdout)).toMatchObject({ endpoint: server.url, endpointSource: 'environment', counts: { generated: 2 } });
    expect(build.stderr).toContain(`at ${server.url} (from ANTHROPIC_BASE_URL in the environment)`);
    expectClean(explain, build);
  });

  test('a baseURL that is not a string, and an ANTHROPIC_BASE_URL that is not a URL, fail when the options load', async () => {
    const numeric = project({ baseURL: 42 });
    const plain = project({});
    const before = sent();
    const [explain, tspc] = await Promise.all([numeric.jaunt(['explain', 'clamp'], env()), plain.tspc(env({ ANTHROPIC_BASE_URL: 'gateway.example/v1' }))]);
    expect(explain.status).toBe(3);
    expect(explain.stderr).toContain(`error JAUNT4001: tsconfig.json:${numeric.lineOf('baseURL')}: option "baseURL" must be a URL string, got 42.`);
    expect(tspc.stdout).toContain('error TS994001: JAUNT4001: ANTHROPIC_BASE_URL "gateway.example/v1" is not a URL.');
    expect(sent()).toBe(before);
    expectClean(explain, tspc);
  });
});
