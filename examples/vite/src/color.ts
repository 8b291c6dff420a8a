/** A colour as 8-bit sRGB channels, each an integer from 0 to 255. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/**
 * Reads a CSS hex colour: "#rgb" or "#rrggbb", case-insensitive, the "#" required. "#0af" is
 * { r: 0, g: 170, b: 255 } (each short digit doubled).
 * Throws SyntaxError naming the input for anything else ("0af", "#12345", "#ggg", "").
 * @jaunt
 */
export declare function parseHexColor(text: string): Rgb;

/**
 * The WCAG 2.x relative luminance of a colour, from 0 (black) to 1 (white): each channel c / 255 is
 * linearized (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ^ 2.4), then 0.2126 R + 0.7152 G + 0.0722 B.
 * @jaunt
 */
export declare function relativeLuminance(color: Rgb): number;

/**
 * The WCAG contrast ratio of two colours, (L1 + 0.05) / (L2 + 0.05) with L1 the lighter
 * {@link relativeLuminance}: from 1 (same luminance) to 21 (black on white), in either argument order.
 * @jaunt
 */
export declare function contrastRatio(a: Rgb, b: Rgb): number;
