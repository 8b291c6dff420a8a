import { usageError } from './cli-error';
import { didYouMean } from './suggest';

export interface OptionSpec {
  /** Long name without dashes, e.g. "project". */
  name: string;
  /** One-letter alias, e.g. "p". */
  short?: string;
  /** A string option takes a value; a boolean one is a switch. */
  type: 'boolean' | 'string';
  /** Placeholder shown in help, e.g. "<tsconfig>". */
  value?: string;
  description: string;
}

export interface Parsed {
  /** Switches that were given. */
  flags: Set<string>;
  /** Values of string options, last one wins. */
  values: Map<string, string>;
  positionals: string[];
}

/**
 * Parses argv for one command. Hand-written rather than node:util's parseArgs so that mistakes get
 * short messages with a suggestion instead of parseArgs' generic text.
 */
export function parseArgs(argv: readonly string[], options: readonly OptionSpec[]): Parsed {
  const byLong = new Map(options.map((o) => [o.name, o]));
  const byShort = new Map(options.flatMap((o) => (o.short ? [[o.short, o] as const] : [])));
  const parsed: Parsed = { flags: new Set(), values: new Map(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const eq = arg.indexOf('=');
    const key = arg.slice(long ? 2 : 1, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const spec = long ? byLong.get(key) : byShort.get(key);
    if (!spec) {
      const names = options.map((o) => `--${o.name}`);
      throw usageError(`unknown option ${long ? '--' : '-'}${key}.${didYouMean(`--${key}`, names, (s) => s)}`);
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw usageError(`option --${spec.name} takes no value`);
      parsed.flags.add(spec.name);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw usageError(`option --${spec.name} needs a value ${spec.value ?? ''}`.trim());
    }
    parsed.values.set(spec.name, value);
  }
  return parsed;
}

/** A positive whole number option, or undefined when absent. */
export function intOption(p: Parsed, name: string): number | undefined {
  const raw = p.values.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) throw usageError(`--${name} must be a positive whole number, got '${raw}'`);
  return n;
}

/** A non-negative number option (prices), or undefined when absent. */
export function numberOption(p: Parsed, name: string): number | undefined {
  const raw = p.values.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw usageError(`--${name} must be a number >= 0, got '${raw}'`);
  return n;
}

/** The option table of a help page, aligned. */
export function formatOptions(options: readonly OptionSpec[]): string[] {
  const left = options.map((o) => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`);
  const width = Math.max(...left.map((l) => l.length));
  return options.map((o, i) => `  ${left[i]!.padEnd(width)}  ${o.description}`);
}
