// Prints the contrast of a few colour pairs: `npm start` builds this with vite and runs the bundle.
import { contrastRatio, parseHexColor } from './color';
import { rateContrast } from './rating';

const pairs: [string, string][] = [['#000', '#fff'], ['#777777', '#ffffff'], ['#0af', '#fff'], ['#1a1a2e', '#e0e0e0']];
for (const [fg, bg] of pairs) {
  const a = parseHexColor(fg);
  const b = parseHexColor(bg);
  console.log(`${fg} on ${bg}: ${contrastRatio(a, b).toFixed(2)}:1 ${rateContrast(a, b)}`);
}
