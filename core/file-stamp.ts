import * as fs from 'node:fs';

/** A file's size and mtime, or undefined when it cannot be read: enough to tell that it was written since. */
export function fileStamp(file: string): string | undefined {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}
