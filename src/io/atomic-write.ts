import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { NeuromeshError } from '../errors.js';
import { fileWriteError, systemCode } from './file-error.js';
import { guardOutput } from './output-guard.js';
import { whyNotWritable } from './writable.js';
import { addPending, deletePending, removePending } from './pending-files.js';

/**
 * mkdir -p for an output's directory. Returns the first directory it created (undefined if it
 * existed), so that a failed write can take away what it made. A failure is E_WRITE.
 */
export function makeParents(dir: string, output: string, what: string): string | undefined {
  try {
    return mkdirSync(dir || '.', { recursive: true });
  } catch (e) {
    throw new NeuromeshError([fileWriteError(output, whyNotWritable(dir || '.') ?? e, what)]);
  }
}

let serial = 0;

/**
 * A temporary sibling of `path` (same directory, so a rename is atomic): `.<name>.<pid>.<n>.tmp`,
 * with the name cut to 100 characters so that a 255-character output name still has a legal
 * temporary name; `suffix` keeps an extension a writer needs.
 */
export function tempSibling(path: string, suffix = ''): string {
  return join(dirname(path), `.${basename(path).slice(0, 100)}.${process.pid}.${serial++}.tmp${suffix}`);
}

/** An existing path that is neither a regular file nor a directory (a device, a FIFO, a socket). */
function isSpecial(path: string): boolean {
  try {
    const s = statSync(path, { throwIfNoEntry: false });
    return Boolean(s && !s.isFile() && !s.isDirectory());
  } catch {
    return false;
  }
}

/**
 * Write a file atomically: write a sibling temp file, then rename over the target. A crash or
 * Ctrl-C leaves either the old file or the new one, never a truncated one. The target is first
 * checked by the output guard (never a file the command reads); a file-system failure (read-only,
 * permissions, a parent that is a file, a full disk) is E_WRITE naming the cause, and whatever
 * was written or created for it is removed.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, what = 'output'): void {
  guardOutput(path);
  if (/[\\/]$/.test(path)) throw new NeuromeshError([fileWriteError(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }), what)]);
  if (isSpecial(path)) {
    // /dev/null, /dev/stdout, a FIFO: write into it; renaming a file over it would replace the device
    try {
      writeFileSync(path, data);
    } catch (e) {
      if (systemCode(e)) throw new NeuromeshError([fileWriteError(path, e, what)]);
      throw e;
    }
    return;
  }
  const made = makeParents(dirname(path), path, what);
  const tmp = tempSibling(path);
  addPending(tmp);
  let ok = false;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
    ok = true;
  } catch (e) {
    if (systemCode(e)) throw new NeuromeshError([fileWriteError(path, e, what)]);
    throw e;
  } finally {
    deletePending(tmp);
    if (!ok) {
      tryRemove(tmp);
      if (made) tryRemove(made);
    }
  }
}

/** Remove a file or directory if it is there; a failure to remove is not worth a second error. */
export function tryRemove(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    /* read-only or gone: nothing was written there */
  }
}

/** Remove temp files and directories of writes in progress (called on SIGINT/SIGTERM). */
export function cleanupPendingWrites(): void {
  removePending();
}
