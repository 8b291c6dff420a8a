import type { OptionSpec, Parsed } from './args';
import type { ExitCodeValue } from './exit-codes';
import type { Output } from './output';

export interface CommandContext {
  parsed: Parsed;
  /** `--project` as given, if any. */
  project: string | undefined;
  json: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: Output;
}

/** One `jaunt <command>`: its help page and what it does. */
export interface Command {
  name: string;
  /** One line, for `jaunt --help`. */
  summary: string;
  /** Arguments after the options in the usage line, e.g. "[spec...]". */
  args: string;
  /** Paragraphs of the help page. */
  description: string[];
  /** The command's own options; -p, --json and -h are added to every command. */
  options: OptionSpec[];
  /** How many positional arguments it takes. */
  positionals: { min: number; max: number };
  examples: string[];
  run(ctx: CommandContext): Promise<ExitCodeValue>;
}

export const COMMON_OPTIONS: OptionSpec[] = [
  { name: 'project', short: 'p', type: 'string', value: '<tsconfig>', description: 'tsconfig.json, or a folder with one (default: the nearest tsconfig.json)' },
  { name: 'json', type: 'boolean', description: 'print JSON on stdout (shapes in cli/README.md)' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];
