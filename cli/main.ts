#!/usr/bin/env node
import { Codes, formatCode, JauntError } from '../core/errors';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { parseArgs } from './args';
import { CliError, usageError } from './cli-error';
import { COMMON_OPTIONS, type Command } from './command';
import { authorCommand } from './commands/author';
import { buildCommand } from './commands/build';
import { checkCommand } from './commands/check';
import { doctorCommand } from './commands/doctor';
import { ejectCommand } from './commands/eject';
import { explainCommand } from './commands/explain';
import { gcCommand } from './commands/gc';
import { statusCommand } from './commands/status';
import { testCommand } from './commands/test';
import { ExitCode, type ExitCodeValue } from './exit-codes';
import { commandHelp, mainHelp } from './help';
import type { ErrorJson } from './json-shapes';
import { createOutput, displayPath, processIo, type CliIo, type Output } from './output';
import { didYouMean } from './suggest';

const COMMANDS: readonly Command[] = [buildCommand, statusCommand, checkCommand, testCommand, gcCommand, explainCommand, doctorCommand, authorCommand, ejectCommand];

/** The exit code of an error a feature threw: input problems are the user's, anything else is a bug. */
function exitCodeOf(e: unknown): ExitCodeValue {
  if (e instanceof CliError) return e.exitCode;
  if (e instanceof JauntError) {
    if (e.code === Codes.UnknownSpec) return ExitCode.Usage;
    return e.code >= 4000 && e.code < 5000 ? ExitCode.Config : ExitCode.Failed;
  }
  return ExitCode.Internal;
}

function report(e: unknown, out: Output, json: boolean, env: NodeJS.ProcessEnv, command?: string): ExitCodeValue {
  const exitCode = exitCodeOf(e);
  const code = e instanceof CliError ? e.code : e instanceof JauntError ? e.code : undefined;
  const hint = e instanceof CliError ? e.hint : undefined;
  const message = e instanceof Error ? e.message : String(e);
  if (json) {
    const body: ErrorJson = { error: { exitCode, code: code === undefined ? null : formatCode(code), message, hint: hint ?? null } };
    out.json(body);
  }
  const s = out.errStyle;
  if (exitCode === ExitCode.Internal) {
    out.err(`${s.red('jaunt: internal error:')} ${message}`);
    out.err(`This is a bug in ${TOOL_NAME} ${TOOL_VERSION}; please report it with the command you ran and this message.`);
    if (env.JAUNT_DEBUG && e instanceof Error && e.stack) out.err(s.dim(e.stack));
    return exitCode;
  }
  const where = e instanceof JauntError && e.location ? `${displayPath(out.cwd, e.location.file)}${e.location.line !== undefined ? `:${e.location.line}` : ''} - ` : '';
  out.err(`${where}${s.red('error')}${code !== undefined ? ` ${s.dim(formatCode(code))}` : ''}: ${message}`);
  if (hint) out.err(`  ${hint}`);
  if (exitCode === ExitCode.Usage && !hint) out.err(s.dim(`  (run \`jaunt ${command ? `${command} ` : ''}--help\` for usage)`));
  return exitCode;
}

async function runCommand(command: Command, argv: readonly string[], out: Output, env: NodeJS.ProcessEnv): Promise<ExitCodeValue> {
  const options = [...command.options, ...COMMON_OPTIONS];
  const beforeDashes = argv.indexOf('--') < 0 ? argv : argv.slice(0, argv.indexOf('--'));
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
    out.out(commandHelp(command, out.style));
    return ExitCode.Ok;
  }
  const json = beforeDashes.includes('--json');
  try {
    const parsed = parseArgs(argv, options);
    const n = parsed.positionals.length;
    if (n < command.positionals.min) throw usageError(`jaunt ${command.name} needs ${command.args}`, `usage: jaunt ${command.name} [options] ${command.args}`);
    if (n > command.positionals.max) {
      const max = command.positionals.max;
      throw usageError(`jaunt ${command.name} takes ${max === 0 ? 'no arguments' : `at most ${max}`}, got ${parsed.positionals.map((p) => `'${p}'`).join(' ')}`);
    }
    return await command.run({ parsed, project: parsed.values.get('project'), json, cwd: out.cwd, env, out });
  } catch (e) {
    return report(e, out, json, env, command.name);
  }
}

/**
 * `jaunt <argv>` run from `cwd` with `env`; resolves to the exit code and never exits the process, so it
 * can run inside another program (tests pass `io` to capture the output).
 */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string, io: CliIo = processIo()): Promise<ExitCodeValue> {
  const out = createOutput(env, cwd, io);
  const [first, ...rest] = argv;
  if (first === '-v' || first === '-V' || first === '--version') {
    out.out(TOOL_VERSION);
    return ExitCode.Ok;
  }
  if (first === undefined || first === '-h' || first === '--help' || (first === 'help' && rest.length === 0)) {
    const help = mainHelp(COMMANDS, TOOL_VERSION, first === undefined ? out.errStyle : out.style);
    if (first === undefined) out.err(help);
    else out.out(help);
    return first === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  const name = first === 'help' ? rest[0]! : first;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const e = usageError(`unknown command '${name}'.${didYouMean(name, COMMANDS.map((c) => c.name))}`);
    return report(e, out, argv.includes('--json'), env);
  }
  return runCommand(command, first === 'help' ? ['--help'] : rest, out, env);
}

if (require.main === module) {
  // `jaunt explain x | head`: a reader that stops early is not an error (without this, Node throws EPIPE).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    });
  }
  main(process.argv.slice(2), process.env, process.cwd()).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`jaunt: internal error: ${e instanceof Error ? e.message : String(e)}; please report it\n`);
      process.exitCode = ExitCode.Internal;
    },
  );
}
