// Jaunt cache entry: the implementation of a @jaunt spec. Review it like source and commit it.
// Editing the body is allowed: Jaunt keeps hand edits and never overwrites them without --force.
/* @jaunt-entry
 * spec: relativeLuminance
 * file: src/color.ts
 * hash: e2b1b09647484265
 * inputs: doc=35b8a2b1 sig=188895b3 types=2846e69b deps=-
 * model: authored offline (no model)
 * tool: jaunt-ts 0.1.0
 * created: 2026-11-28T09:44:31.688Z
 * checksum: cc3991775408e218
 */
const WEIGHTS = { r: 0.2126, g: 0.7152, b: 0.0722 } as const;

function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance(color: Rgb): number {
  return WEIGHTS.r * linear(color.r) + WEIGHTS.g * linear(color.g) + WEIGHTS.b * linear(color.b);
}
