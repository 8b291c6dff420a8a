/**
 * Cost estimates for `jaunt build`. Prices are USD per million tokens, list prices without batch or
 * cache discounts; they change, so every figure printed is labelled an estimate and can be overridden.
 */
import { tablePrice, type Price } from '../config/cost';

export { costUsd, formatUsd, parseModel, tablePrice, type Price } from '../config/cost';

export interface PriceChoice {
  price: Price | undefined;
  /** Where the price came from: `flags`, `JAUNT_PRICE`, `plugin option`, `price table`, or `unknown`. */
  source: string;
}

/** `3/15` or `3,15`: input and output USD per million tokens. */
export function parsePricePair(text: string): Price | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*[/,]\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  return m ? { input: Number(m[1]), output: Number(m[2]) } : undefined;
}

function pluginPrice(raw: unknown): Price | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const { input, output } = raw as Record<string, unknown>;
  return typeof input === 'number' && typeof output === 'number' && input >= 0 && output >= 0 ? { input, output } : undefined;
}

/**
 * The price to estimate with. Each source may give both figures; flags beat JAUNT_PRICE, which beats
 * the plugin's `price: { input, output }`, which beats the table.
 */
export function choosePrice(model: string, o: { priceIn?: number; priceOut?: number; env: NodeJS.ProcessEnv; pluginOption?: unknown }): PriceChoice {
  const table = tablePrice(model);
  if (o.priceIn !== undefined || o.priceOut !== undefined) {
    const input = o.priceIn ?? table?.input;
    const output = o.priceOut ?? table?.output;
    return input !== undefined && output !== undefined ? { price: { input, output }, source: 'flags' } : { price: undefined, source: 'unknown' };
  }
  const fromEnv = o.env.JAUNT_PRICE ? parsePricePair(o.env.JAUNT_PRICE) : undefined;
  if (fromEnv) return { price: fromEnv, source: 'JAUNT_PRICE' };
  const fromPlugin = pluginPrice(o.pluginOption);
  if (fromPlugin) return { price: fromPlugin, source: 'plugin option' };
  return table ? { price: table, source: 'price table' } : { price: undefined, source: 'unknown' };
}
