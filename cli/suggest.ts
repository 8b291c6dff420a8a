/** Levenshtein distance, case-insensitive: typos in spec and option names are mostly case and one key. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = row;
  }
  return prev[t.length]!;
}

/**
 * Candidates close enough to `input` to be what was meant, best first. A substring match counts too,
 * so `hash` finds `sha256` and `hashPassword`.
 */
export function closest(input: string, candidates: Iterable<string>, max = 5): string[] {
  const limit = Math.max(2, Math.floor(input.length / 3));
  const lower = input.toLowerCase();
  const scored: [string, number][] = [];
  for (const c of new Set(candidates)) {
    const d = editDistance(input, c);
    const contains = lower.length >= 3 && c.toLowerCase().includes(lower);
    if (d <= limit || contains) scored.push([c, contains ? Math.min(d, limit) : d]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, max).map(([c]) => c);
}

/** ` Did you mean "x" or "y"?`, or nothing. */
export function didYouMean(input: string, candidates: Iterable<string>, quote = (s: string) => `'${s}'`): string {
  const near = closest(input, candidates, 3).map(quote);
  if (near.length === 0) return '';
  const list = near.length === 1 ? near[0]! : `${near.slice(0, -1).join(', ')} or ${near[near.length - 1]!}`;
  return ` Did you mean ${list}?`;
}
