import type { ResolvedOptions } from '../config/options';
import { PROVIDERS, apiKeyFrom } from '../config/providers';

/** `CI` counts as set unless it is empty, "0" or "false", as most CI-aware tools read it. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * Whether the tsc plugin may generate on a miss, and if not, the hint the miss diagnostic gives.
 * The key is read from the environment only, so it never sits in a tsconfig that gets committed.
 */
export function generationDecision(options: ResolvedOptions, env: NodeJS.ProcessEnv): { generate: true } | { generate: false; hint: string } {
  if (options.mode === 'never') {
    return { generate: false, hint: 'Generation is off (mode "never"): run `jaunt build` and commit .jaunt/.' };
  }
  if (isCi(env)) {
    return { generate: false, hint: 'CI is set, so the build never generates: run `jaunt build` locally and commit .jaunt/ (`jaunt check` lists what is stale).' };
  }
  if (!apiKeyFrom(env, options.provider)) {
    return { generate: false, hint: `Set ${PROVIDERS[options.provider].keyEnv} and rebuild, or run \`jaunt build\`, to generate it.` };
  }
  return { generate: true };
}
