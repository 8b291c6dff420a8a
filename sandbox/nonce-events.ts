/**
 * The channel from a harness to Jaunt: JSON events, one per line, each prefixed with a nonce the code under
 * test never sees. Other output (the code's own printing, forged lines without the nonce) is ignored.
 */
export function nonceEvents<E>(stdout: string, nonce: string): E[] {
  return stdout.split('\n').flatMap((line) => {
    if (!line.startsWith(nonce)) return [];
    try {
      return [JSON.parse(line.slice(nonce.length)) as E];
    } catch {
      return [];
    }
  });
}
