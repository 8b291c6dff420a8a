/** A replacement of the text from `pos` to `end`. */
export type Edit = { pos: number; end: number; text: string };

/** Applies non-overlapping edits, last first, so earlier offsets stay valid. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.pos - a.pos)) out = out.slice(0, e.pos) + e.text + out.slice(e.end);
  return out;
}

/** `text.slice(start, end)` with the edits that fall inside that range applied. */
export function applyEditsInRange(text: string, start: number, end: number, edits: readonly Edit[]): string {
  const inside = edits.filter((e) => e.pos >= start && e.end <= end).map((e) => ({ ...e, pos: e.pos - start, end: e.end - start }));
  return applyEdits(text.slice(start, end), inside);
}

/** `base_1`, `base_2`, …: the first that `used` does not hold. */
export function freshName(base: string, used: ReadonlySet<string>): string {
  for (let i = 1; ; i++) {
    const candidate = `${base}_${i}`;
    if (!used.has(candidate)) return candidate;
  }
}
