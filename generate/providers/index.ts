/**
 * The provider for a run, by id. Each provider's SDK is loaded only when a run uses it, so a build that
 * generates nothing never loads one.
 */
import type { ProviderId } from '../../config/providers';
import type { Provider, ProviderOptions } from '../provider';

const FACTORIES: Record<ProviderId, () => (o: ProviderOptions) => Provider> = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  anthropic: () => (require('./anthropic') as typeof import('./anthropic')).createAnthropicProvider,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  openai: () => (require('./openai') as typeof import('./openai')).createOpenAIProvider,
};

export function createProvider(id: ProviderId, o: ProviderOptions): Provider {
  return FACTORIES[id]()(o);
}
