import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { diag, NeuromeshError } from '../errors.js';
import { fileWriteError } from './file-error.js';
import { whyNotWritable } from './writable.js';

/**
 * The one output-path guard (docs/semantics.md §7: "never an overwritten input"). Every command
 * calls guardOutput() on its output before working, and every writer (writeFileAtomic, saveModel,
 * writeDirAtomic) calls it again on each file it is about to replace. An output is refused with
 * E_OUTPUT_IS_INPUT (exit 2, the input untouched) when it is, by device and inode, a file the
 * command reads: the same path, another spelling (`./m.nir`, `../x/m.nir`), a hard link or a
 * symlink. A path that does not exist yet cannot be an input.
 *
 * What the command reads comes from two places: the paths it names (model, --chip file, --rates)
 * and every file read while tracking is on (the readers call noteInput; the CLI turns tracking on
 * for each command), so an --input file, a profile or an .nmp is covered without each command
 * listing them. Library callers are not tracked: saving over a model one has loaded is an API
 * user's choice.
 */

interface Identity {
  key: string;
  path: string;
}

/** Files read by the current command (device:inode → how it was named), while tracking is on. */
let tracked: Map<string, { path: string; role: string }> | undefined;

/** Start (or restart) recording the files a command reads; the CLI calls it before each command. */
export function trackInputs(): void {
  tracked = new Map();
}

/** Stop recording (tests that call commands in-process). */
export function stopTrackingInputs(): void {
  tracked = undefined;
}

function identity(path: string): Identity | undefined {
  try {
    const s = statSync(path, { throwIfNoEntry: false });
    return s ? { key: `${s.dev}:${s.ino}`, path } : undefined;
  } catch {
    // ENOTDIR, EACCES…: not a file anyone read; a writer reports it as E_WRITE
    return undefined;
  }
}

/** Record that the command read `path` in the role `role` ("model file", "input file", …); `shown` is how the user named it. */
export function noteInput(path: string, role: string, shown = path): void {
  if (!tracked) return;
  const id = identity(path);
  if (id && !tracked.has(id.key)) tracked.set(id.key, { path: shown, role });
}

/** A usage error for `-o ''`: an empty path names no file (never a silent exit 0). */
function emptyOutput(): NeuromeshError {
  return new NeuromeshError([diag('E_BAD_OPTION', 'the output path is empty', { field: 'output', hint: 'give a file name after -o, or leave -o out' })]);
}

export interface GuardOptions {
  /** Files the command reads, by the paths it was given, with their roles ("model file"); undefined paths are skipped. */
  inputs?: ReadonlyArray<readonly [path: string | undefined, role: string]>;
  /** For a directory output: the files it would write into it (checked one by one). */
  files?: readonly string[];
  /**
   * Also refuse, before any work, an output that cannot be created: a read-only file system, a
   * parent that is a file, no permission (E_WRITE naming the cause; a full disk shows only when
   * writing). The CLI asks for it once per command.
   */
  writable?: boolean;
}

/**
 * Refuse an output that would overwrite a file the command reads (see above), or an empty output
 * path. `output` undefined means "no output": nothing to check.
 */
export function guardOutput(output: string | undefined, opts: GuardOptions = {}): void {
  if (output === undefined) return;
  if (output === '') throw emptyOutput();
  const inputs = new Map<string, { path: string; role: string }>(tracked ?? []);
  for (const [p, role] of opts.inputs ?? []) {
    if (!p) continue;
    const id = identity(p);
    if (id && !inputs.has(id.key)) inputs.set(id.key, { path: p, role });
  }
  for (const target of inputs.size ? [output, ...(opts.files ?? [])] : []) {
    const id = identity(target);
    const hit = id && inputs.get(id.key);
    if (!hit) continue;
    const how = hit.path === target ? '' : ' (by device and inode: another spelling, a hard link or a symlink)';
    throw new NeuromeshError([diag('E_OUTPUT_IS_INPUT', `the output is the same file as the ${hit.role} ${hit.path}${how}; nothing was written`, {
      file: target, field: 'output', hint: 'write the output to a different path',
    })]);
  }
  if (opts.writable) {
    const why = unwritable(output);
    if (why) throw new NeuromeshError([fileWriteError(output, why)]);
  }
}

/** Why an output path cannot be created, judged without writing (see whyNotWritable). */
function unwritable(output: string): NodeJS.ErrnoException | undefined {
  let s;
  try {
    s = statSync(output, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR, ELOOP…: the writer names it
  }
  if (s && !s.isFile() && !s.isDirectory()) return undefined; // /dev/null, a FIFO: written into
  return whyNotWritable(s?.isDirectory() || /[\\/]$/.test(output) ? output : dirname(output));
}
