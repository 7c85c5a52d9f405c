import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Why nothing can be created in directory `dir` (made with mkdir -p if missing), judged from its
 * nearest existing ancestor without touching the disk: a file in the way (ENOTDIR), or the
 * ancestor's own access error (EROFS for a read-only file system, EACCES). Undefined when it looks
 * writable (a full disk shows only when writing).
 */
export function whyNotWritable(dir: string): NodeJS.ErrnoException | undefined {
  for (let d = dir || '.', i = 0; i < 4096; i++, d = dirname(d)) {
    let s;
    try {
      s = statSync(d, { throwIfNoEntry: false });
    } catch (err) {
      return err as NodeJS.ErrnoException;
    }
    if (s) {
      if (!s.isDirectory()) return Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      try {
        accessSync(d, constants.W_OK);
      } catch (err) {
        return err as NodeJS.ErrnoException;
      }
      return undefined;
    }
    if (dirname(d) === d) break;
  }
  return undefined;
}
