/**
 * The node command line of a sandboxed child: Node's permission model (reads limited to the given
 * folders; no file writes, child processes, workers or native addons), a heap cap, and an environment
 * that holds nothing of the parent's (no API key, no NODE_OPTIONS).
 */

/** `--permission` from Node 22.13 / 23.5 on; `--experimental-permission` before (Node 20, early 22). */
export function permissionFlag(version: string = process.versions.node): string {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13) ? '--permission' : '--experimental-permission';
}

export interface SandboxLimits {
  /** Folders the code may read: the project, the run folder, the node_modules it resolves packages from. */
  readable: readonly string[];
  memoryMb: number;
}

export function sandboxArgs(script: string, limits: SandboxLimits, version?: string): string[] {
  return [
    permissionFlag(version),
    ...[...new Set(limits.readable)].map((dir) => `--allow-fs-read=${dir}`),
    `--max-old-space-size=${limits.memoryMb}`,
    // The permission model's own ExperimentalWarning would read as the code's output.
    '--disable-warning=ExperimentalWarning',
    script,
  ];
}

/** Only what makes runs reproducible; `extra` carries the harness's own variables. */
export function sandboxEnv(extra: Record<string, string>, parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return { ...(parent.TZ ? { TZ: parent.TZ } : {}), LANG: 'C.UTF-8', ...extra };
}
