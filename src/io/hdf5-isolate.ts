/**
 * Runs HDF5 reads in a worker thread with a watchdog. HDF5 is synchronous WebAssembly: a corrupt
 * file that makes it loop would hang the process, and nothing in the same thread can interrupt
 * it. The worker (hdf5-worker.ts, from the build output when running from sources) is reused
 * across reads, terminated when a read exceeds its time limit (E_HDF5_TIMEOUT) or dies, and
 * replaced on the next read. Without a compiled worker (sources never built), reads run in the
 * calling thread, without the watchdog.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { diag, NeuromeshError, type ErrorCode } from '../errors.js';
import { runnableUrl } from '../runtime/runnable-url.js';
import type { TreeReply, TreeRequest, WorkerInit } from './hdf5-worker.js';
import type { NirReadResult } from './nir-read.js';
import { readNirTreeInThread } from './nir-tree.js';

/**
 * Limit for one read in CPU milliseconds of this process (the main thread idles while it waits,
 * so this is the worker's HDF5 time): a base plus a share per MiB. CPU time, not wall time, so a
 * loaded machine does not turn slow valid reads into timeouts. Wall time is a backstop only.
 */
const BASE_LIMIT_MS = 10_000;
const MS_PER_MIB = 100;
/** Wall-clock backstop: this many times the CPU limit. */
const WALL_FACTOR = 20;
/** A worker that has not started reading after this long (wall) is replaced. */
const STARTUP_LIMIT_MS = 120_000;

export interface IsolateOptions {
  /** Override the limit (CPU ms); NEUROMESH_HDF5_TIMEOUT_MS does the same from the environment. */
  timeoutMs?: number;
}

let worker: Worker | undefined;
/** Temp directories of running workers (removed when they exit, or when this process exits). */
const liveDirs = new Set<string>();
process.once('exit', () => {
  for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
});
let nextId = 1;
/** Reads are serialized: one in flight per worker. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Looked up on every new worker, never remembered as missing: a build that is being rewritten at
 * that moment must not switch the process to unguarded in-thread reads for good.
 */
function workerUrl(): URL | undefined {
  try {
    return runnableUrl(new URL('./hdf5-worker.js', import.meta.url));
  } catch {
    return undefined;
  }
}

function getWorker(): Worker | undefined {
  if (worker) return worker;
  const url = workerUrl();
  if (!url) return undefined;
  const tempDir = mkdtempSync(join(tmpdir(), 'neuromesh-h5-'));
  liveDirs.add(tempDir);
  const w = new Worker(url, { workerData: { tempDir } satisfies WorkerInit });
  w.unref();
  w.on('exit', () => {
    if (worker === w) worker = undefined;
    rmSync(tempDir, { recursive: true, force: true });
    liveDirs.delete(tempDir);
  });
  // errors are handled per request; an idle worker that fails is simply replaced
  w.on('error', () => {
    if (worker === w) worker = undefined;
  });
  worker = w;
  return w;
}

function timeLimit(bytes: number, opts: IsolateOptions): number {
  if (opts.timeoutMs !== undefined) return opts.timeoutMs;
  const env = Number(process.env.NEUROMESH_HDF5_TIMEOUT_MS);
  if (Number.isFinite(env) && env > 0) return env;
  return BASE_LIMIT_MS + MS_PER_MIB * (bytes / 2 ** 20);
}

function readInWorker(w: Worker, bytes: Uint8Array, file: string, limit: number): Promise<NirReadResult> {
  return new Promise<NirReadResult>((resolve, reject) => {
    const id = nextId++;
    let done = false;
    const posted = Date.now();
    let started: { wall: number; cpu: NodeJS.CpuUsage } | undefined;
    const finish = (): void => {
      done = true;
      clearInterval(timer);
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
      w.unref();
    };
    const kill = (code: ErrorCode, message: string, hint: string): void => {
      finish();
      if (worker === w) worker = undefined;
      void w.terminate();
      reject(new NeuromeshError([diag(code, message, { file, hint })]));
    };
    const onMessage = (reply: TreeReply): void => {
      if (done || reply.id !== id) return;
      if ('started' in reply) {
        started = { wall: Date.now(), cpu: process.cpuUsage() };
        return;
      }
      finish();
      if ('ok' in reply) resolve(reply.ok);
      else reject(new NeuromeshError(reply.diagnostics));
    };
    const onError = (e: Error): void => {
      if (!done) kill('E_HDF5_ABORT', `HDF5 crashed while reading the file (${e.message.split('\n')[0]!.slice(0, 120)})`, 'the file is corrupt or hostile');
    };
    const onExit = (): void => {
      if (!done) kill('E_HDF5_ABORT', 'the HDF5 reader stopped while reading the file', 'the file is corrupt or hostile');
    };
    const check = (): void => {
      if (done) return;
      if (!started) {
        if (Date.now() - posted > STARTUP_LIMIT_MS) kill('E_HDF5_TIMEOUT', 'the HDF5 reader did not start', 'the machine is overloaded; try again');
        return;
      }
      const u = process.cpuUsage(started.cpu);
      const cpuMs = (u.user + u.system) / 1000;
      if (cpuMs > limit || Date.now() - started.wall > limit * WALL_FACTOR)
        kill('E_HDF5_TIMEOUT', `HDF5 did not finish reading the file within ${(limit / 1000).toFixed(limit < 1000 ? 3 : 1)} s of CPU time`, 'the file is corrupt (a loop in its structure) or hostile');
    };
    const timer = setInterval(check, Math.max(10, Math.min(250, limit / 4)));
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    w.ref();
    // the worker gets its own copy: the caller keeps its bytes
    w.postMessage({ id, bytes, file } satisfies TreeRequest);
  });
}

/**
 * Read the HDF5 tree of NIR bytes (signature already checked) into a NestedGraph, in the worker
 * with a time limit when one is available. Throws NeuromeshError with one Diagnostic.
 */
export async function readNirTree(bytes: Uint8Array, file: string, opts: IsolateOptions = {}): Promise<NirReadResult> {
  const run = async (): Promise<NirReadResult> => {
    const w = getWorker();
    if (!w) return readNirTreeInThread(bytes, file);
    return readInWorker(w, bytes, file, timeLimit(bytes.length, opts));
  };
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}

/** Whether reads are isolated in a worker (false when running from sources that were never built). */
export function hdf5WorkerAvailable(): boolean {
  return workerUrl() !== undefined;
}
