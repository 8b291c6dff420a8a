/**
 * What requests cost: prices per million tokens and the token estimates used before a request is sent
 * (`jaunt build --plan`, budgets). Real counts come from the provider's reply; these are estimates.
 */
export interface Price {
  /** USD per million input tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
}

/** Typical English and code: about 4 characters per token. Plans use it. */
export const CHARS_PER_TOKEN = 4;
/** Budgets reserve on the safe side: code with many short identifiers runs nearer 3 characters per token. */
export const CHARS_PER_TOKEN_CAUTIOUS = 3;

export function estimateTokens(chars: number, charsPerToken = CHARS_PER_TOKEN): number {
  return Math.ceil(chars / charsPerToken);
}

export function costUsd(price: Price, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}

/** `$0.0123`: cents are too coarse for one spec, so small sums keep more digits. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : usd < 1 ? `$${usd.toFixed(3)}` : `$${usd.toFixed(2)}`;
}

interface Row {
  family: 'opus' | 'sonnet' | 'haiku';
  /** First version of the family this price applies to, as [major, minor]. */
  from: [number, number];
  price: Price;
}

// List prices without batch or cache discounts. Newest first within a family: the first row at or below the
// model's version wins, so a newer model of a known family is priced like the latest one we know.
const TABLE: Row[] = [
  { family: 'opus', from: [4, 5], price: { input: 5, output: 25 } },
  { family: 'opus', from: [0, 0], price: { input: 15, output: 75 } },
  { family: 'sonnet', from: [0, 0], price: { input: 3, output: 15 } },
  { family: 'haiku', from: [4, 5], price: { input: 1, output: 5 } },
  { family: 'haiku', from: [3, 5], price: { input: 0.8, output: 4 } },
  { family: 'haiku', from: [0, 0], price: { input: 0.25, output: 1.25 } },
];

/**
 * Family and version of a Claude model id, in either naming scheme: `claude-3-5-haiku-20241022`
 * (version first) or `claude-sonnet-4-5-20250929` (family first). Date suffixes are not versions.
 */
export function parseModel(model: string): { family: Row['family']; version: [number, number] } | undefined {
  const m = /^claude-(?:(\d+)(?:[-.](\d))?-)?(opus|sonnet|haiku)(?:-(\d+)(?:[-.](\d{1,2})(?!\d))?)?/i.exec(model.trim());
  if (!m) return undefined;
  const family = m[3]!.toLowerCase() as Row['family'];
  const major = m[1] ?? m[4];
  const minor = m[1] !== undefined ? m[2] : m[5];
  return { family, version: [Number(major ?? 0), Number(minor ?? 0)] };
}

/** The table price of a model, or undefined for a model we do not know (every non-Claude model). */
export function tablePrice(model: string): Price | undefined {
  const parsed = parseModel(model);
  if (!parsed) return undefined;
  const [major, minor] = parsed.version;
  const row = TABLE.find((r) => r.family === parsed.family && (major > r.from[0] || (major === r.from[0] && minor >= r.from[1])));
  return row?.price;
}
