import type { Endpoint } from '../config/endpoint';
import { TRUST_CONFIG_BASE_URL } from '../config/endpoint';
import { OptionsError, placeOf } from '../config/options-error';
import { CliError } from './cli-error';
import { ExitCode } from './exit-codes';

/** An options problem as the CLI prints it: `tsconfig.json:7: problem`, and the fix as the hint. */
export function optionsCliError(e: OptionsError, cwd: string): CliError {
  const where = e.location ? `${placeOf(e.location, cwd)}: ` : '';
  return new CliError(ExitCode.Config, `${where}${e.problem}`, { code: e.code, hint: e.fix });
}

/** Runs `load`, turning an options problem into the CLI's exit-3 error with its place and fix. */
export function withOptionsErrors<T>(load: () => T, cwd: string): T {
  try {
    return load();
  } catch (e) {
    throw e instanceof OptionsError ? optionsCliError(e, cwd) : e;
  }
}

/** Where the endpoint came from, in words: `from ANTHROPIC_BASE_URL`, `default`, `from tsconfig.json, …`. */
export function endpointOrigin(endpoint: Endpoint, configShown: string): string {
  const envName = endpoint.envName ?? 'ANTHROPIC_BASE_URL';
  switch (endpoint.source) {
    case 'default':
      return `the default; ${envName} is not set`;
    case 'environment':
      return `from ${envName} in the environment`;
    case 'tsconfig':
      return endpoint.trust === 'opt-in'
        ? `from ${configShown}, trusted because ${TRUST_CONFIG_BASE_URL} is set`
        : `from ${configShown}, same as ${envName}`;
  }
}

/** `https://gw.example/v1 (from ANTHROPIC_BASE_URL in the environment)`: never credentials. */
export function endpointLine(endpoint: Endpoint, configShown: string): string {
  return `${endpoint.shown} (${endpointOrigin(endpoint, configShown)})`;
}
