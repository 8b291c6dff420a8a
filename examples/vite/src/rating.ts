import { contrastRatio, type Rgb } from './color';

/** WCAG 2.x conformance of text at a contrast ratio. */
export type ContrastRating = 'AAA' | 'AA' | 'AA large' | 'fail';

/**
 * The best WCAG rating text of `foreground` on `background` earns by their {@link contrastRatio}:
 * "AAA" from 7, "AA" from 4.5, "AA large" (large or bold text only) from 3, else "fail".
 * @jaunt
 */
export declare function rateContrast(foreground: Rgb, background: Rgb): ContrastRating;
