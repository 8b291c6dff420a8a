/**
 * Where the API key may go. The rule, decided here once for the plugin, the worker and the CLI, for every
 * provider (ANTHROPIC_* or OPENAI_*, see providers.ts):
 * - the key goes to the provider's base URL variable from the environment, or to its default host;
 * - a `baseURL` in the tsconfig (a committed file anyone can change in a pull request) receives the key
 *   only when it is the same URL as that variable, or when the environment opts in with
 *   JAUNT_TRUST_CONFIG_BASE_URL=1; otherwise loading the options fails (JAUNT4004);
 * - whatever its source, an endpoint must be https, or plain http to this machine (JAUNT4005), and must
 *   not carry a user name or password (JAUNT4006).
 */
import { Codes, type Location } from '../core/errors';
import { OptionsError } from './options-error';
import { PROVIDERS, type ProviderInfo } from './providers';

export const DEFAULT_ENDPOINT = PROVIDERS.anthropic.defaultEndpoint;
/** Set to 1 (or true) in the environment to let a tsconfig `baseURL` receive the key. */
export const TRUST_CONFIG_BASE_URL = 'JAUNT_TRUST_CONFIG_BASE_URL';

export type EndpointSource = 'environment' | 'tsconfig' | 'default';

export interface Endpoint {
  /** What the SDK is given; undefined means its default host. */
  baseURL: string | undefined;
  /** For display: credentials and query redacted. */
  shown: string;
  source: EndpointSource;
  /** Why a tsconfig URL may receive the key; undefined for the other sources. */
  trust: 'same-as-environment' | 'opt-in' | undefined;
  /** The environment variable that names the provider's endpoint (ANTHROPIC_BASE_URL, OPENAI_BASE_URL). */
  envName?: string;
}

/**
 * `https://user:pass@host/p?key=v` → `https://***@host/p?***`. Text that is no URL still loses whatever
 * precedes an `@` and follows a `?`, since a typo can sit next to a real password.
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text.replace(/[^\s/"@]+@/g, '***@').replace(/\?[^\s"]*/, '?***');
  }
  if (url.username === '' && url.password === '' && url.search === '') return text;
  return `${url.protocol}//${url.username !== '' || url.password !== '' ? '***@' : ''}${url.host}${url.pathname}${url.search !== '' ? '?***' : ''}`;
}

/** localhost, 127.0.0.0/8 and [::1]: plain http to these never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  // URL has already normalized the host: `127.1` and `0x7f.0.0.1` arrive as dotted quads.
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Same scheme, host, port and path; a trailing slash and default ports do not count. */
function sameUrl(a: URL, b: URL): boolean {
  const norm = (u: URL): string => `${u.protocol}//${u.username}:${u.password}@${u.host}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  return norm(a) === norm(b);
}

export function trustsConfigBaseURL(env: NodeJS.ProcessEnv): boolean {
  return /^(1|true)$/i.test(env[TRUST_CONFIG_BASE_URL]?.trim() ?? '');
}

interface Origin {
  /** How the message names the URL's place: `"baseURL"` or `ANTHROPIC_BASE_URL`. */
  name: string;
  provider: ProviderInfo;
  location: Location | undefined;
  key: string | undefined;
  /** Where to fix it. */
  fixWhere: string;
}

/** Parses and checks one endpoint URL from either source; throws the coded error. */
function checkedUrl(text: string, o: Origin): URL {
  const shown = redactUrl(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OptionsError(Codes.BadConfig, `${o.name} ${JSON.stringify(shown)} is not a URL.`,
      `Set it to the API's base URL, e.g. "${o.provider.defaultEndpoint}", in ${o.fixWhere}.`, o.location, o.key);
  }
  if (url.username !== '' || url.password !== '') {
    throw new OptionsError(Codes.BaseURLCredentials, `${o.name} ${JSON.stringify(shown)} has a user name or password in it.`,
      `Remove them from the URL in ${o.fixWhere}: Jaunt authenticates with ${o.provider.keyEnv} only, and never prints URL credentials.`, o.location, o.key);
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    const problem = url.protocol === 'http:'
      ? `${o.name} ${JSON.stringify(shown)} is plain http to ${url.hostname}, which is not this machine: the API key would cross the network unencrypted.`
      : `${o.name} ${JSON.stringify(shown)} uses ${url.protocol}, not https:.`;
    throw new OptionsError(Codes.InsecureBaseURL, problem,
      `Use an https:// URL in ${o.fixWhere} (plain http is accepted only for localhost, 127.0.0.0/8 and [::1]).`, o.location, o.key);
  }
  return url;
}

/**
 * The endpoint the key goes to, from the tsconfig's `baseURL` (raw, untrusted) and the environment.
 * `location` is where the tsconfig writes `baseURL`. Throws an OptionsError per the rule above.
 */
export function resolveEndpoint(
  rawBaseURL: unknown, env: NodeJS.ProcessEnv, location: Location | undefined, provider: ProviderInfo = PROVIDERS.anthropic,
): Endpoint {
  const { baseUrlEnv, keyEnv } = provider;
  const envText = env[baseUrlEnv]?.trim() || undefined;
  const envOrigin: Origin = { name: baseUrlEnv, provider, location: undefined, key: undefined, fixWhere: 'your environment' };
  const envUrl = envText !== undefined ? checkedUrl(envText, envOrigin) : undefined;
  if (rawBaseURL === undefined) {
    return envText !== undefined
      ? { baseURL: envText, shown: redactUrl(envText), source: 'environment', trust: undefined, envName: baseUrlEnv }
      : { baseURL: undefined, shown: provider.defaultEndpoint, source: 'default', trust: undefined, envName: baseUrlEnv };
  }
  const origin: Origin = { name: 'option "baseURL"', provider, location, key: 'baseURL', fixWhere: 'the jaunt-ts entry of compilerOptions.plugins' };
  if (typeof rawBaseURL !== 'string' || rawBaseURL.trim() === '') {
    throw new OptionsError(Codes.BadConfig, `option "baseURL" must be a URL string, got ${redactUrl(JSON.stringify(rawBaseURL) ?? String(rawBaseURL))}.`,
      `Remove it (the default is ${baseUrlEnv} from your environment) or set it to an https:// URL.`, location, 'baseURL');
  }
  const text = rawBaseURL.trim();
  const url = checkedUrl(text, origin);
  if (envUrl && sameUrl(url, envUrl)) return { baseURL: text, shown: redactUrl(text), source: 'tsconfig', trust: 'same-as-environment', envName: baseUrlEnv };
  if (trustsConfigBaseURL(env)) return { baseURL: text, shown: redactUrl(text), source: 'tsconfig', trust: 'opt-in', envName: baseUrlEnv };
  const envSays = envText !== undefined ? `${baseUrlEnv} is ${JSON.stringify(redactUrl(envText))}` : `${baseUrlEnv} is not set`;
  throw new OptionsError(Codes.UntrustedBaseURL,
    `option "baseURL" ${JSON.stringify(redactUrl(text))} would receive ${keyEnv}, but it comes from a project file, not from your environment (${envSays}).`,
    `Remove "baseURL" from the tsconfig, or export ${baseUrlEnv}=${redactUrl(text)} if you trust that server, or set ${TRUST_CONFIG_BASE_URL}=1 to trust the tsconfig's URL.`,
    location, 'baseURL');
}
