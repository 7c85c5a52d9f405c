/**
 * Temporary files (or directories) of outputs being written, not yet renamed into place. On an
 * interrupt they are removed, so no half-written output is ever left (docs/semantics.md §7).
 *
 * When the CLI runs a command in a worker thread (src/cli/command-process.ts), the main thread
 * removes them after stopping the worker: `observePending` forwards every change to it, and a
 * path is announced before the file is created, so the main thread always knows it in time.
 */
import { rmSync } from 'node:fs';

const pending = new Set<string>();
let observer: ((op: 'add' | 'delete', path: string) => void) | undefined;

/** Announce a temporary path before creating it. */
export function addPending(path: string): void {
  pending.add(path);
  observer?.('add', path);
}

/** The temporary path was renamed into place or removed. */
export function deletePending(path: string): void {
  pending.delete(path);
  observer?.('delete', path);
}

/** Forward additions and removals (the CLI's command worker posts them to the main thread). */
export function observePending(fn: ((op: 'add' | 'delete', path: string) => void) | undefined): void {
  observer = fn;
}

/** Remove every temporary path still pending (files or directories). */
export function removePending(paths: Iterable<string> = pending): void {
  for (const p of [...paths]) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      /* best effort: the process is ending */
    }
  }
  pending.clear();
}
