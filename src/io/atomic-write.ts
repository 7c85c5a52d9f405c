import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { addPending, deletePending, removePending } from './pending-files.js';

/**
 * Write a file atomically: write a sibling temp file, then rename over the target. A crash or
 * Ctrl-C leaves either the old file or the new one, never a truncated one.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path) || '.', { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  addPending(tmp);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
    deletePending(tmp);
  }
}

/** Remove temp files of writes in progress (called on SIGINT). */
export function cleanupPendingWrites(): void {
  removePending();
}
