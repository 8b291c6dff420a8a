/**
 * The supervisor of a synchronous sandboxed run: a process of Jaunt's own (never sandboxed, running no
 * generated code) that reads one SandboxRequest on stdin, runs it with the asynchronous runner and prints the
 * outcome as JSON. Inside tsc the caller can only block in spawnSync, which cannot see the child's ready line:
 * through this process the run's time limit counts from the moment node is up, exactly as in the engine,
 * instead of covering node's start as well.
 */
import { runSandboxed, type SandboxRequest } from './run-sandboxed';

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const outcome = await runSandboxed(JSON.parse(input) as SandboxRequest);
  process.stdout.write(JSON.stringify(outcome));
}

if (require.main === module) void main();
