import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/** Temporary files not yet renamed into place; removed on interrupt (no half-written outputs). */
const pending = new Set<string>();

/**
 * Write a file atomically: write a sibling temp file, then rename over the target. A crash or
 * Ctrl-C leaves either the old file or the new one, never a truncated one.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path) || '.', { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  pending.add(tmp);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } finally {
    pending.delete(tmp);
    rmSync(tmp, { force: true });
  }
}

/** Remove temp files of writes in progress (called on SIGINT). */
export function cleanupPendingWrites(): void {
  for (const p of pending) rmSync(p, { force: true });
  pending.clear();
}
