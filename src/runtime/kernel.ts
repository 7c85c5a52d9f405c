/**
 * The worker-side kernel interface: what a chip backend implements so that the runtime can run it
 * in worker threads. The runtime knows nothing of keys, tiles or junctions; it calls `tick` once
 * per time step on every worker and moves opaque fixed-size packets between workers.
 *
 * A backend ships a worker-side module (compiled JavaScript, loaded in each worker by dynamic
 * `import()` of a file URL given at run time) whose export satisfies {@link KernelModule}.
 */

/** JSON-compatible value (options travel to workers by structured clone). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Word offsets inside one packet record: `[source core, destination core, payload words…]`. */
export const PACKET_SRC = 0;
export const PACKET_DEST = 1;
export const PACKET_PAYLOAD = 2;
/** Destination of a packet sent to a worker as a whole (`sendToWorker`), not to one core. */
export const ANY_CORE = 0xffffffff;
/** Largest number of payload words per packet. */
export const MAX_PAYLOAD_WORDS = 4;

/** Everything a worker kernel is created from. */
export interface WorkerInit {
  /** Unique per run; also carried by every message. */
  readonly runId: string;
  readonly workerIndex: number;
  readonly workerCount: number;
  /** Total number of cores of the program (core ids are 0 … coreCount-1). */
  readonly coreCount: number;
  /** The cores this worker owns, ascending. */
  readonly cores: Int32Array;
  /** Owner worker of every core (length coreCount), shared by all workers. */
  readonly coreToWorker: Int32Array;
  /** Payload words per packet (0 … MAX_PAYLOAD_WORDS), fixed for the run. */
  readonly payloadWords: number;
  /** Number of ticks the run will execute. */
  readonly steps: number;
  /** Read-only program data common to all workers (SharedArrayBuffers inside are shared, not copied). */
  readonly shared: unknown;
  /** Data for this worker only (e.g. the state of its cores), from `RunSpec.perWorker`. */
  readonly local: unknown;
  readonly options: JsonValue;
}

/**
 * The packets delivered to a worker for one tick: those sent to its cores (or to the worker as a
 * whole) during the previous tick, by every worker including itself.
 *
 * Order (the determinism contract): records are sorted by source core; packets of one source core
 * keep the order in which that core sent them. This order does not depend on the number of
 * workers, provided each core's sends depend only on the packets addressed to it.
 *
 * Record i occupies `words[i*stride … i*stride+stride-1]` = `[src, dest, payload…]` (use
 * PACKET_SRC / PACKET_DEST / PACKET_PAYLOAD). `words` is reused by the next tick: copy what you keep.
 */
export interface PacketBatch {
  readonly count: number;
  readonly stride: number;
  readonly words: Uint32Array;
}

/** Where a kernel sends packets during a tick; they are delivered at the next tick. */
export interface PacketSink {
  /**
   * Declare the core the kernel is now working for: subsequent packets are sent from it, and an
   * error or crash is reported against it. Call it before the first send of each core.
   */
  setCore(core: number): void;
  /** Send a packet from the current core to core `dest` (missing payload words are 0). */
  send(dest: number, w0?: number, w1?: number, w2?: number, w3?: number): void;
  /** Send a packet to worker `worker` as a whole (dest = ANY_CORE). */
  sendToWorker(worker: number, w0?: number, w1?: number, w2?: number, w3?: number): void;
}

/** The final output of one worker: any structured-cloneable value plus buffers to transfer. */
export interface WorkerOutput {
  value: unknown;
  transfer?: ArrayBuffer[];
}

export interface WorkerKernel {
  /** Advance the owned cores by one step. `step` counts from 0. May throw (ends the run, exit 3). */
  tick(step: number, inbox: PacketBatch, out: PacketSink): void;
  /** Names of the per-core event counters (same on every worker). */
  readonly counterNames?: readonly string[];
  /**
   * Per-core counters at the end of the run: row r (r-th owned core, in `init.cores` order) holds
   * `counterNames.length` values. The runtime reassembles them by core id.
   */
  counters?(): Float64Array;
  /** Results (spike records, traces) after the last tick. */
  finish?(): WorkerOutput;
}

/** What the module at `RunSpec.kernelUrl` exports. */
export interface KernelModule {
  createWorkerKernel(init: WorkerInit): WorkerKernel | Promise<WorkerKernel>;
}
