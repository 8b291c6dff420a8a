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
