// Jaunt cache entry: the implementation of a @jaunt spec. Review it like source and commit it.
// Editing the body is allowed: Jaunt keeps hand edits and never overwrites them without --force.
/* @jaunt-entry
 * spec: contrastRatio
 * file: src/color.ts
 * hash: 01910d1d36787358
 * inputs: doc=eb877e92 sig=370953ad types=2846e69b deps=relativeLuminance:e2b1b09647484265
 * model: authored offline (no model)
 * tool: jaunt-ts 0.1.0
 * created: 2026-11-28T09:44:31.689Z
 * checksum: 65423e06b1e05a0e
 */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  const [lighter, darker] = la >= lb ? [la, lb] : [lb, la];
  return (lighter + 0.05) / (darker + 0.05);
}
