import { parseArgs, type OptionSpec } from '../cli/args';
import { CliError } from '../cli/cli-error';
import { ExitCode } from '../cli/exit-codes';
import { colorsEnabled, createStyle } from '../cli/output';
import { choosePrice, costUsd, parseModel, tablePrice } from '../cli/pricing';
import { createLiveProgress } from '../cli/progress-display';
import { closest } from '../cli/suggest';

const OPTIONS: OptionSpec[] = [
  { name: 'project', short: 'p', type: 'string', value: '<tsconfig>', description: '' },
  { name: 'force', type: 'boolean', description: '' },
];

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).exitCode).toBe(ExitCode.Usage);
    return (e as CliError).message;
  }
  throw new Error('expected a usage error');
}

describe('argument parsing', () => {
  test('reads long, short and inline values, switches, positionals and everything after --', () => {
    const p = parseArgs(['a', '-p', 'x.json', '--force', '--project=y.json', '--', '--not-an-option'], OPTIONS);
    expect(p.values.get('project')).toBe('y.json');
    expect(p.flags.has('force')).toBe(true);
    expect(p.positionals).toEqual(['a', '--not-an-option']);
  });

  test('rejects an unknown option with the closest known one', () => {
    expect(usage(() => parseArgs(['--forse'], OPTIONS))).toBe('unknown option --forse. Did you mean --force?');
  });

  test('rejects a value option without its value and a switch given a value', () => {
    expect(usage(() => parseArgs(['-p'], OPTIONS))).toBe('option --project needs a value <tsconfig>');
    expect(usage(() => parseArgs(['--force=yes'], OPTIONS))).toBe('option --force takes no value');
  });
});

describe('close-name suggestions', () => {
  test('finds typos and substrings, best first, and nothing for unrelated names', () => {
    expect(closest('slugfy', ['slugify', 'slugWithSuffix', 'sum'])).toEqual(['slugify']);
    expect(closest('slug', ['slugify', 'slugWithSuffix', 'toNumber'])).toEqual(['slugify', 'slugWithSuffix']);
    expect(closest('zzzzzz', ['slugify', 'sum'])).toEqual([]);
  });
});

describe('colors', () => {
  test('are on for a terminal only, and never with NO_COLOR set', () => {
    expect(colorsEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorsEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorsEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
  });
});

describe('pricing', () => {
  test('reads family and version from both Claude naming schemes, ignoring date suffixes', () => {
    expect(parseModel('claude-3-5-haiku-20241022')).toEqual({ family: 'haiku', version: [3, 5] });
    expect(parseModel('claude-sonnet-4-5-20250929')).toEqual({ family: 'sonnet', version: [4, 5] });
    expect(parseModel('claude-opus-4-20250514')).toEqual({ family: 'opus', version: [4, 0] });
    expect(parseModel('gpt-4o')).toBeUndefined();
  });

  test('prices each family by version, and a newer model like the newest known one', () => {
    expect(tablePrice('claude-3-opus-20240229')).toEqual({ input: 15, output: 75 });
    expect(tablePrice('claude-opus-4-5')).toEqual({ input: 5, output: 25 });
    expect(tablePrice('claude-sonnet-5-5')).toEqual({ input: 3, output: 15 });
    expect(tablePrice('claude-3-haiku-20240307')).toEqual({ input: 0.25, output: 1.25 });
    expect(tablePrice('claude-haiku-4-5')).toEqual({ input: 1, output: 5 });
    expect(tablePrice('my-local-model')).toBeUndefined();
  });

  test('takes flags over JAUNT_PRICE over the plugin option over the table, and knows when it cannot price', () => {
    const env = { JAUNT_PRICE: '2/8' };
    const plugin = { input: 4, output: 9 };
    expect(choosePrice('claude-sonnet-4-5', { priceIn: 1, env, pluginOption: plugin })).toEqual({ price: { input: 1, output: 15 }, source: 'flags' });
    expect(choosePrice('claude-sonnet-4-5', { env, pluginOption: plugin })).toEqual({ price: { input: 2, output: 8 }, source: 'JAUNT_PRICE' });
    expect(choosePrice('claude-sonnet-4-5', { env: {}, pluginOption: plugin })).toEqual({ price: plugin, source: 'plugin option' });
    expect(choosePrice('mystery', { env: {} })).toEqual({ price: undefined, source: 'unknown' });
    expect(costUsd({ input: 3, output: 15 }, 1_000_000, 100_000)).toBeCloseTo(4.5);
  });
});

describe('the live progress display', () => {
  test('prints finished specs above a block it redraws in place, and erases the block at the end', () => {
    jest.useFakeTimers();
    let written = '';
    let now = 0;
    const stream = { isTTY: true, columns: 100, write: (s: string) => (written += s) };
    const display = createLiveProgress({ total: 2, stream, style: createStyle(false), now: () => now });
    display.event({ type: 'start', spec: 'a', attempt: 1, attempts: 3 });
    display.event({ type: 'start', spec: 'b', attempt: 1, attempts: 3 });
    jest.advanceTimersByTime(100);
    expect(written).toContain('0/2 specs · 2 running');
    expect(written).toContain('  a (attempt 1/3, 0:00)');
    now = 4000;
    display.event({ type: 'done', spec: 'a', inputTokens: 1000, outputTokens: 200, ms: 4000, attempts: 1 });
    jest.advanceTimersByTime(100);
    // Back up over the three live lines, erase, then the permanent line and the new block.
    expect(written).toContain('\x1b[3F\x1b[J✓ a  1,000 in / 200 out · 4.0s\n');
    expect(written).toContain('1/2 specs · 1 running · 1,000 in / 200 out tokens · 0:04 · ETA 0:04');
    display.finish();
    expect(written.endsWith('\x1b[2F\x1b[J\x1b[?25h')).toBe(true);
    jest.useRealTimers();
  });
});
