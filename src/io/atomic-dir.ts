import { mkdirSync, renameSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { diag, NeuromeshError } from '../errors.js';
import { makeParents, tempSibling, tryRemove } from './atomic-write.js';
import { addPending, deletePending } from './pending-files.js';
import { fileWriteError, systemCode } from './file-error.js';
import { guardOutput } from './output-guard.js';

function existing(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * Write a directory output atomically: every file goes into a temporary sibling directory
 * (`.out.<pid>.<n>.tmp` next to `out`), which is renamed to `dir` at the end; into an existing
 * directory (a temporary directory inside it, on its file system) the finished files are renamed one by one (synchronously: no signal handler runs in
 * between, and a rename needs no space). On any failure, and on SIGINT/SIGTERM (the pending set
 * of atomic-write.ts), the temporary directory and any parent it created are removed: either
 * every file of the output is there, or none is (files of an earlier output in an existing
 * directory stay as they were).
 *
 * `names` are the files' names inside `dir` (no separators), known before anything is written so
 * that the output guard can refuse one that is a file the command reads; `content(name)` makes a
 * file's bytes (called once per name, in order, so only one file is in memory at a time).
 * Returns the written paths (`dir`/name).
 */
export function writeDirAtomic(dir: string, names: readonly string[], content: (name: string) => string | Uint8Array, what = 'output directory'): string[] {
  for (const n of names)
    if (!n || n === '.' || n === '..' || /[\\/]/.test(n)) throw new Error(`writeDirAtomic: bad file name '${n}'`);
  const files = names.map((n) => join(dir, n));
  guardOutput(dir, { files });
  const target = resolve(dir);
  const before = existing(target);
  if (before && !before.isDirectory())
    throw new NeuromeshError([diag('E_WRITE', `cannot write the ${what}: the path is a file, not a directory`, { file: dir, hint: 'give a directory path, or a file name ending in .json, .csv or .npy' })]);
  const made = before ? undefined : makeParents(dirname(target), dir, what);
  // a new directory: a temporary sibling renamed into place; an existing one (maybe a mount point,
  // where a sibling would be on another file system): a temporary directory inside it
  const tmp = before ? tempSibling(join(target, 'neuromesh')) : tempSibling(target);
  let done = false;
  try {
    mkdirSync(tmp);
    addPending(tmp);
    for (const n of names) writeFileSync(join(tmp, n), content(n));
    let merge = Boolean(before);
    if (!merge) {
      try {
        renameSync(tmp, target);
      } catch (e) {
        // someone made the directory meanwhile: merge into it
        if (!existing(target)?.isDirectory()) throw e;
        merge = true;
      }
    }
    if (merge) {
      for (const n of names) {
        guardOutput(join(dir, n));
        renameSync(join(tmp, n), join(target, n));
      }
      rmdirSync(tmp);
    }
    done = true;
  } catch (e) {
    if (e instanceof NeuromeshError || !systemCode(e)) throw e;
    throw new NeuromeshError([fileWriteError(dir, e, what)]);
  } finally {
    deletePending(tmp);
    if (!done) {
      tryRemove(tmp);
      if (made) tryRemove(made);
    }
  }
  return files;
}
