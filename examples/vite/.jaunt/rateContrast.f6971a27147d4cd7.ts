// Jaunt cache entry: the implementation of a @jaunt spec. Review it like source and commit it.
// Editing the body is allowed: Jaunt keeps hand edits and never overwrites them without --force.
/* @jaunt-entry
 * spec: rateContrast
 * file: src/rating.ts
 * hash: f6971a27147d4cd7
 * inputs: doc=c268ee9a sig=47f0b41a types=ac439a34 deps=contrastRatio:01910d1d36787358
 * model: authored offline (no model)
 * tool: jaunt-ts 0.1.0
 * created: 2026-11-28T09:44:31.689Z
 * checksum: d7542d7148cf435f
 */
const THRESHOLDS: readonly (readonly [number, ContrastRating])[] = [
  [7, 'AAA'],
  [4.5, 'AA'],
  [3, 'AA large'],
];

export function rateContrast(foreground: Rgb, background: Rgb): ContrastRating {
  const ratio = contrastRatio(foreground, background);
  for (const [minimum, rating] of THRESHOLDS) if (ratio >= minimum) return rating;
  return 'fail';
}
