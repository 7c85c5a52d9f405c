/**
 * Worker-thread entry that reads a NIR file's HDF5 tree (nir-read.ts) for the main thread.
 * HDF5 runs synchronously; a corrupt file can make it loop, so the main thread runs it here and
 * terminates the worker when it takes too long (hdf5-isolate.ts). Aborts inside HDF5 are handled
 * here as in-thread (hdf5-module.ts replaces a dead instance).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NeuromeshError, type Diagnostic } from '../errors.js';
import { runHdf5, setHdf5TempDir } from './hdf5-module.js';
import { readNirTreeInThread } from './nir-tree.js';
import type { NirReadResult } from './nir-read.js';

export interface TreeRequest {
  id: number;
  bytes: Uint8Array;
  file: string;
}

export type TreeReply =
  | { id: number; started: true }
  | { id: number; ok: NirReadResult }
  | { id: number; diagnostics: Diagnostic[] };

/** What the main thread passes to the worker. */
export interface WorkerInit {
  /** Directory for HDF5's files, owned (created and removed) by the main thread. */
  tempDir: string;
}

if (parentPort) {
  const port = parentPort;
  const init = workerData as WorkerInit | undefined;
  if (init?.tempDir) setHdf5TempDir(init.tempDir);
  port.on('message', (req: TreeRequest) => {
    // make the HDF5 instance first: the watchdog times the read itself, not the start-up
    runHdf5(() => undefined)
      .then(() => {
        port.postMessage({ id: req.id, started: true } satisfies TreeReply);
        return readNirTreeInThread(req.bytes, req.file);
      })
      .then(
      (ok) => port.postMessage({ id: req.id, ok } satisfies TreeReply),
      (e: unknown) => {
        const err = e instanceof NeuromeshError ? e : undefined;
        const diagnostics: Diagnostic[] = err
          ? err.diagnostics
          : [{ code: 'E_HDF5', message: `HDF5 reader failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`, file: req.file }];
        port.postMessage({ id: req.id, diagnostics } satisfies TreeReply);
      },
    );
  });
}
