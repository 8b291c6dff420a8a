/**
 * The model providers Jaunt can talk to: what each is called, where its key and endpoint come from. Plain
 * data, so options can be checked without loading an SDK; each provider's code is in
 * generate/providers/<id>.ts. Adding a provider means adding a row here and that file.
 */
export interface ProviderInfo {
  id: string;
  /** How messages name the service: `Anthropic API`. */
  label: string;
  /** The environment variable that holds the key (read from the environment only, never from a tsconfig). */
  keyEnv: string;
  /** The environment variable that names the endpoint. */
  baseUrlEnv: string;
  /** Where the key goes when neither the environment nor the tsconfig names an endpoint. */
  defaultEndpoint: string;
  /** The model when the plugin entry names none; undefined: the entry must name one. */
  defaultModel: string | undefined;
}

export const PROVIDERS = {
  anthropic: {
    id: 'anthropic', label: 'Anthropic API', keyEnv: 'ANTHROPIC_API_KEY', baseUrlEnv: 'ANTHROPIC_BASE_URL',
    defaultEndpoint: 'https://api.anthropic.com',
    // A current Sonnet-class model that the pinned SDK does not flag as deprecated.
    defaultModel: 'claude-sonnet-5-5',
  },
  openai: {
    id: 'openai', label: 'OpenAI-compatible API', keyEnv: 'OPENAI_API_KEY', baseUrlEnv: 'OPENAI_BASE_URL',
    defaultEndpoint: 'https://api.openai.com/v1',
    // Local and hosted OpenAI-compatible servers name their models freely: the entry says which one.
    defaultModel: undefined,
  },
} as const satisfies Record<string, ProviderInfo>;

export type ProviderId = keyof typeof PROVIDERS;
export const PROVIDER_IDS = Object.keys(PROVIDERS) as ProviderId[];
export const DEFAULT_PROVIDER: ProviderId = 'anthropic';

export function isProviderId(v: unknown): v is ProviderId {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(PROVIDERS, v);
}

/** The key for `provider` from the environment, or undefined when it is unset or empty. */
export function apiKeyFrom(env: NodeJS.ProcessEnv, provider: ProviderId): string | undefined {
  const key = env[PROVIDERS[provider].keyEnv];
  return key === undefined || key === '' ? undefined : key;
}
