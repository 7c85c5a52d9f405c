/**
 * Every message between the main thread and a worker: typed unions discriminated on `type`,
 * each carrying the run id (a message of another run is ignored). postMessage is used only for
 * setup, progress, errors and final results — never per packet.
 */
import type { Diagnostic } from '../errors.js';
import type { ChannelBuffers } from './channel.js';
import type { JsonValue } from './kernel.js';

/** Main → worker, as `workerData` (SharedArrayBuffers inside are shared, not copied). */
export interface InitMessage {
  type: 'init';
  runId: string;
  workerIndex: number;
  workerCount: number;
  coreCount: number;
  /** Cores owned by this worker, ascending. */
  cores: Int32Array;
  /** Shared Int32Array buffer: owner worker of every core. */
  coreToWorker: SharedArrayBuffer;
  /** file: URL of the backend's worker-side kernel module. */
  kernelUrl: string;
  steps: number;
  payloadWords: number;
  /** Worker 0 reports progress every this many ticks (0 = never). */
  progressEvery: number;
  /** Longest barrier spin before sleeping in Atomics.wait (µs); the window adapts below it (spin-policy.ts). */
  spinMicros: number;
  control: SharedArrayBuffer;
  channels: ChannelBuffers;
  shared: unknown;
  local: unknown;
  options: JsonValue;
}

/** Main → worker after init. Stopping uses the shared abort flag, which also wakes sleepers. */
export type MainToWorker = InitMessage;

/** Kernel loaded and created; the worker is entering the start barrier. */
export interface ReadyMessage {
  type: 'ready';
  runId: string;
  workerIndex: number;
}

/** Worker 0 finished `step` ticks (sent every `progressEvery` ticks). */
export interface ProgressMessage {
  type: 'progress';
  runId: string;
  workerIndex: number;
  step: number;
}

/** Per-worker timings and traffic, for statistics and benchmarks. */
export interface WorkerStats {
  /** Wall time of the tick loop (ms), from the start barrier to after the last tick. */
  loopMs: number;
  /** Time inside kernel.tick (ms). */
  kernelMs: number;
  /** Time gathering the inbox and waiting at barriers (ms). */
  exchangeMs: number;
  packetsSent: number;
  packetsReceived: number;
  /** Barrier arrivals that ended while spinning / after sleeping in Atomics.wait. */
  barrierSpun: number;
  barrierSlept: number;
  /** Time inside the per-tick barrier (ms; the start barrier excluded); 0 for one worker. */
  barrierMs: number;
  /** This worker's measured work per tick at the end of the run (µs), which sets its barrier spin; -1 for one worker. */
  tickWorkMicros: number;
  /** Worker 0: epochs the barrier ran in its spin / sleep regime (spin-policy.ts); [0, 0] on other workers. */
  barrierModeEpochs: number[];
}

export interface DoneMessage {
  type: 'done';
  runId: string;
  workerIndex: number;
  /** Kernel counter names and rows (owned-core order), if the kernel has counters. */
  counterNames: string[];
  counters: Float64Array | null;
  /** Packets sent by each owned core. */
  packetsSent: Float64Array;
  output: unknown;
  stats: WorkerStats;
}

export interface ErrorMessage {
  type: 'error';
  runId: string;
  workerIndex: number;
  /** Tick being executed when it failed (-1 before the first tick). */
  step: number;
  /** Core the kernel was working for (from setCore), if any. */
  core: number | null;
  /** Diagnostics of a NeuromeshError thrown by the kernel or the runtime, else empty. */
  diagnostics: Diagnostic[];
  message: string;
  stack: string | null;
}

/** The worker stopped because the run was aborted (by the main thread or a failing peer). */
export interface AbortedMessage {
  type: 'aborted';
  runId: string;
  workerIndex: number;
}

export type WorkerToMain = ReadyMessage | ProgressMessage | DoneMessage | ErrorMessage | AbortedMessage;

const WORKER_TYPES = new Set(['ready', 'progress', 'done', 'error', 'aborted']);

/** Narrow an incoming value to a message of this run. */
export function isWorkerMessage(value: unknown, runId: string): value is WorkerToMain {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; runId?: unknown };
  return typeof v.type === 'string' && WORKER_TYPES.has(v.type) && v.runId === runId;
}
