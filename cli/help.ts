import { formatOptions } from './args';
import { COMMON_OPTIONS, type Command } from './command';
import type { Style } from './output';

/** `jaunt --help`. */
export function mainHelp(commands: readonly Command[], version: string, style: Style): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `${style.bold('jaunt')} ${version} — spec-driven code generation for TypeScript`,
    '',
    `Usage: jaunt <command> [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Common options:',
    ...formatOptions(COMMON_OPTIONS),
    '  -v, --version             print the version',
    '',
    'Exit codes: 0 ok · 1 check failed or specs failed · 2 usage error · 3 project/config error',
    '            4 ANTHROPIC_API_KEY missing (build) · 5 internal error',
    '',
    'Run `jaunt <command> --help` for a command\'s options. Docs: cli/README.md in the jaunt-ts repository.',
  ].join('\n');
}

/** `jaunt <command> --help`. */
export function commandHelp(c: Command, style: Style): string {
  const lines = [
    `${style.bold(`jaunt ${c.name}`)} — ${c.summary}`,
    '',
    `Usage: jaunt ${c.name} [options]${c.args ? ` ${c.args}` : ''}`,
    '',
    ...c.description,
    '',
    'Options:',
    ...formatOptions([...c.options, ...COMMON_OPTIONS]),
  ];
  if (c.examples.length > 0) lines.push('', 'Examples:', ...c.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}
