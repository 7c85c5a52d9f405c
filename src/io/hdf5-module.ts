/**
 * One h5wasm (HDF5 compiled to WebAssembly) instance, with its virtual file system, that can be
 * thrown away and replaced.
 *
 * HDF5 can abort on a hostile file (an Emscripten `abort()` or a wasm trap raises a
 * WebAssembly.RuntimeError and leaves the instance unusable). h5wasm's high-level module keeps its
 * wasm instance in a module-level variable and makes it once, when the module is evaluated; so a
 * fresh instance is a fresh evaluation of that module: we import it again under a new URL
 * (`hdf5_hl.js?instance=N`), which calls the Emscripten factory again. After any failure the
 * instance is checked (a tiny known-good file must still open and read) and replaced if it fails.
 *
 * h5wasm/node is built with NODERAWFS: its "virtual" file system is the real one. Temporary files
 * go to a private directory under os.tmpdir() (removed at exit). HDF5 prints its error stack
 * ("HDF5-DIAG: …") straight to file descriptor 2; each instance's stderr stream is pointed at the
 * null device instead (its errors become Diagnostics). Emscripten's own messages (an abort) go
 * through a console.error bound when the instance is made: we bind it to a router that stays
 * silent while neuromesh is calling HDF5.
 */
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as H5Types from 'h5wasm/node';

export type H5 = typeof H5Types;

let current: Promise<H5> | undefined;
let instances = 0;
let fileCounter = 0;
/** Depth of calls into HDF5 in progress; console output of the wasm instance is muted meanwhile. */
let muted = 0;
let healthBytes: Uint8Array | undefined;

/** Bytes of wasm memory above which an instance is replaced after use (it never shrinks). */
const MAX_RETAINED_MEMORY = 512 * 2 ** 20;

const originalConsoleError = console.error;
const originalConsoleLog = console.log;

function route(original: (...a: unknown[]) => void): (...a: unknown[]) => void {
  return (...a: unknown[]) => {
    if (muted === 0) original.apply(console, a);
  };
}

async function instantiate(): Promise<H5> {
  instances++;
  const url = `${import.meta.resolve('h5wasm/node')}?instance=${instances}`;
  // The Emscripten factory binds console.error/console.log when it runs: give it routers.
  const errBefore = console.error;
  const logBefore = console.log;
  console.error = route(originalConsoleError);
  console.log = route(originalConsoleLog);
  let mod: H5;
  try {
    mod = (await import(url)) as H5;
    await mod.ready;
  } finally {
    console.error = errBefore;
    console.log = logBefore;
  }
  silenceStderr(mod);
  if (!healthBytes) healthBytes = makeHealthFile(mod);
  return mod;
}

let nullFd: number | undefined;

/** Point the instance's stderr stream (HDF5's error stack) at the null device. */
function silenceStderr(h5: H5): void {
  const fs = h5.FS as unknown as { streams?: ({ nfd?: number } | null)[] };
  const s = fs.streams?.[2];
  if (!s || typeof s.nfd !== 'number') return;
  try {
    nullFd ??= openSync(devNull, 'w');
    s.nfd = nullFd;
  } catch {
    // keep stderr: noisy but harmless
  }
}

let dir: string | undefined;

/**
 * Use `d` (created and removed by the caller) for this thread's HDF5 files. Worker threads get
 * their directory from the main thread, which removes it when the worker ends: a terminated
 * worker runs no exit handlers.
 */
export function setHdf5TempDir(d: string): void {
  dir = d;
}

/** Private directory for the instance's files (NODERAWFS: the real file system). */
function tempDir(): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'neuromesh-h5-'));
    const d = dir;
    process.once('exit', () => rmSync(d, { recursive: true, force: true }));
  }
  return dir;
}

/** A tiny valid HDF5 file written by HDF5 itself: the liveness probe for an instance. */
function makeHealthFile(h5: H5): Uint8Array {
  const name = join(tempDir(), 'health.h5');
  const f = new h5.File(name, 'w');
  try {
    f.create_dataset({ name: 'x', data: new Float64Array([1, 2]) });
  } finally {
    f.close();
  }
  const bytes = h5.FS!.readFile(name);
  h5.FS!.unlink(name);
  return bytes;
}

/** True if the instance can still open and read a valid file. */
function healthy(h5: H5): boolean {
  if (!healthBytes) return false;
  const name = join(tempDir(), 'probe.h5');
  muted++;
  const exitCode = process.exitCode;
  try {
    h5.FS!.writeFile(name, healthBytes);
    const f = new h5.File(name, 'r');
    try {
      const d = f.get('x');
      const v = d instanceof h5.Dataset ? d.value : null;
      return v instanceof Float64Array && v.length === 2 && v[1] === 2;
    } finally {
      f.close();
    }
  } catch {
    return false;
  } finally {
    try {
      h5.FS!.unlink(name);
    } catch {
      // the instance is gone: nothing to clean
    }
    process.exitCode = exitCode;
    muted--;
  }
}

function memoryBytes(h5: H5): number {
  const heap = (h5.Module as unknown as { HEAPU8?: Uint8Array }).HEAPU8;
  return heap ? heap.buffer.byteLength : 0;
}

async function instance(): Promise<H5> {
  if (!current) {
    current = instantiate();
    current.catch(() => {
      current = undefined;
    });
  }
  return current;
}

/** Drop the current instance (the next call makes a fresh one). Exposed for tests. */
export function discardHdf5Instance(): void {
  current = undefined;
}

/** How many wasm instances this process has made (tests check that aborts cause a fresh one). */
export function hdf5InstanceCount(): number {
  return instances;
}

/**
 * A unique path for the instance's file system. Files made there must be unlinked by the
 * caller (runHdf5 does this for the names it hands out).
 */
function tempName(kind: string): string {
  return join(tempDir(), `${kind}-${++fileCounter}.h5`);
}

export interface Hdf5Session {
  h5: H5;
  /** A fresh virtual path (removed after the session). */
  path(kind: string): string;
}

/**
 * Run `fn` synchronously against the HDF5 instance. Temporary files are removed afterwards. The
 * instance is replaced after a wasm abort or trap, after any other failure that leaves it unable
 * to read a known-good file, and when its memory has grown past MAX_RETAINED_MEMORY. HDF5's own stderr output is muted during the call, and process.exitCode (which the
 * Emscripten runtime may set on an abort) is restored.
 */
export async function runHdf5<T>(fn: (s: Hdf5Session) => T): Promise<T> {
  const h5 = await instance();
  const names: string[] = [];
  const session: Hdf5Session = {
    h5,
    path: (kind) => {
      const n = tempName(kind);
      names.push(n);
      return n;
    },
  };
  const exitCode = process.exitCode;
  let failed = false;
  let aborted = false;
  muted++;
  try {
    return fn(session);
  } catch (e) {
    failed = true;
    // a trap or abort mid-call can leave HDF5's internal state half-updated even if a probe passes
    aborted = isWasmAbort(e);
    throw e;
  } finally {
    for (const n of names) {
      try {
        h5.FS!.unlink(n);
      } catch {
        // not created, or the instance is dead
      }
    }
    muted--;
    process.exitCode = exitCode;
    if (current && (await current) === h5) {
      if (aborted || memoryBytes(h5) > MAX_RETAINED_MEMORY || (failed && !healthy(h5))) discardHdf5Instance();
    }
  }
}

const WasmRuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: new (...a: unknown[]) => Error } }).WebAssembly.RuntimeError;

/** A wasm trap or an Emscripten abort: the instance that threw it is dead. */
export function isWasmAbort(e: unknown): e is Error {
  return e instanceof WasmRuntimeError;
}
