/** What each plugin-entry key may hold. Values come from JSON someone else may have written. */

/** Jaunt's own options. */
export const JAUNT_KEYS = [
  'cacheDir', 'allowCacheOutsideProject', 'mode', 'model', 'maxTokens', 'temperature', 'timeoutMs',
  'retries', 'attempts', 'concurrency', 'baseURL', 'price', 'provider', 'budget', 'tests', 'exampleTimeoutMs',
] as const;

/** Keys ts-patch reads from the same entry (ts-patch's PluginConfig), plus tsserver's `name`. */
export const HOST_KEYS = [
  'transform', 'type', 'import', 'after', 'afterDeclarations', 'transformProgram', 'isEsm',
  'resolvePathAliases', 'tsConfig', 'name',
] as const;

export interface IntRule {
  min: number;
  max: number;
  fallback: number;
  /** Said after the bounds, e.g. why the maximum is what it is. */
  note?: string;
}

/**
 * Whole-number options. timeoutMs: Node's timers fire after 1 ms for any delay above 2**31-1, so an
 * overlarge timeout would fail every request at once; an hour is longer than any single answer takes.
 * exampleTimeoutMs: examples are meant to be quick; ten minutes is already a hung test rather than a slow one.
 */
export const INT_RULES = {
  maxTokens: { min: 1, max: 128_000, fallback: 4096 },
  timeoutMs: { min: 100, max: 3_600_000, fallback: 120_000, note: 'milliseconds, at most one hour' },
  retries: { min: 0, max: 20, fallback: 4 },
  attempts: { min: 1, max: 10, fallback: 3 },
  concurrency: { min: 1, max: 64, fallback: 4 },
  exampleTimeoutMs: { min: 100, max: 600_000, fallback: 10_000, note: 'milliseconds a sandboxed run of examples may take once node is up, at most ten minutes' },
} as const satisfies Record<string, IntRule>;

export type IntOption = keyof typeof INT_RULES;

/** Returns the problem with `value`, or undefined when it is a whole number in range. */
export function intProblem(name: IntOption, value: unknown): string | undefined {
  const rule: IntRule = INT_RULES[name];
  if (typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max) return undefined;
  const got = typeof value === 'string' ? `the string ${JSON.stringify(value)}` : JSON.stringify(value) ?? String(value);
  return `option "${name}" must be a whole number from ${rule.min} to ${rule.max}${rule.note ? ` (${rule.note})` : ''}, got ${got}.`;
}

/** Optimal string alignment distance, case-insensitive: a swapped pair ("modle") costs one edit. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[s.length]![t.length]!;
}

/** The known name `input` most likely meant; ties go to the same length (`modle` → `model`, not `mode`). */
export function suggestName(input: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(input.length / 3));
  const scored = known
    .map((k) => ({ k, d: distance(input, k), len: Math.abs(k.length - input.length) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.len - b.len || a.k.localeCompare(b.k));
  return scored[0]?.k;
}
