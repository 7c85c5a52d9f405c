/**
 * The main-thread side of the runtime: start one worker per partition of the cores, watch them,
 * collect their results, and end the run — with the results, or promptly with a NeuromeshError
 * (exit 3 when a worker throws or dies, exit 130 when aborted) after stopping every worker.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { TransferListItem } from 'node:worker_threads';
import { diag, NeuromeshError, type Diagnostic } from '../errors.js';
import { trackRun } from './active-runs.js';
import { controlBytes, CTRL_SLOTS, SLOT_CORE, SLOT_PHASE, SLOT_STEP, SLOT_STRIDE, PHASE_BARRIER, PHASE_TICK, signalAbort } from './barrier.js';
import { DEFAULT_SPIN_CAP_US } from './spin-policy.js';
import { createChannels, DEFAULT_MAX_SEGMENT_BYTES, DEFAULT_SEGMENT_BYTES } from './channel.js';
import { MAX_PAYLOAD_WORDS, type JsonValue } from './kernel.js';
import { isWorkerMessage, type DoneMessage, type InitMessage, type WorkerStats, type WorkerToMain } from './messages.js';
import { runnableUrl, workerEntryUrl } from './runnable-url.js';
import { DEFAULT_STALL_FACTOR, startStallWatchdog } from './stall-watchdog.js';

export interface RunSpec {
  /** URL of the backend's worker-side module (exports createWorkerKernel); `.ts` maps to dist/. */
  kernelUrl: string | URL;
  coreCount: number;
  workers: number;
  steps: number;
  /** Owner worker of each core; default: contiguous blocks of cores. */
  assignment?: ArrayLike<number>;
  /** Payload words per packet, 0 … 4 (default 1). */
  payloadWords?: number;
  /** Read-only data for every worker (put large arrays in SharedArrayBuffers: shared, not copied). */
  shared?: unknown;
  /** Data for one worker only (e.g. the state of its cores); `transfer` lists buffers to move. */
  perWorker?: (workerIndex: number, cores: Int32Array) => { data: unknown; transfer?: TransferListItem[] };
  options?: JsonValue;
  /** Called on the main thread every `every` ticks, and once at the end. */
  progress?: { every: number; onProgress: (step: number, steps: number) => void };
  /** Aborting the signal aborts the run (exit 130). */
  signal?: AbortSignal;
  /** Initial and maximum bytes of one ring segment (per worker pair and tick parity). */
  ringBytes?: number;
  maxRingBytes?: number;
  /** Longest barrier spin before sleeping, µs (default 1000; 0 = sleep at once); below it the spin adapts: about one tick's measured work plus a wake-up, or 2 µs when sleeping pays (spin-policy.ts). */
  spinMicros?: number;
  /**
   * Watchdog: fail with E_WORKER_STALLED when some worker has been inside the kernel in one tick
   * (a kernel stuck in a loop) for longer than the stall limit, max(stallMs, stallFactor × the
   * median tick duration so far). stallMs is the floor (ms); 0 or absent = off (default).
   */
  stallMs?: number;
  /** Multiple of the median tick so far that the limit is at least (default 100; 0 = stallMs alone). */
  stallFactor?: number;
}

/**
 * What a chip backend hands to the runtime (main-thread side): its kernel module, how many cores
 * the compiled program has, the packet size, the program data and, optionally, its own placement
 * of cores on workers. The caller adds workers, steps, progress and the abort signal.
 */
export interface KernelPlan {
  kernelUrl: string | URL;
  coreCount: number;
  payloadWords?: number;
  shared?: unknown;
  perWorker?: RunSpec['perWorker'];
  options?: JsonValue;
  /** Owner worker of each core for a given worker count (default: contiguous blocks). */
  assign?: (workers: number) => ArrayLike<number>;
}

export function planToSpec(
  plan: KernelPlan,
  run: Pick<RunSpec, 'workers' | 'steps'> & Partial<Pick<RunSpec, 'progress' | 'signal' | 'ringBytes' | 'maxRingBytes' | 'spinMicros' | 'stallMs' | 'stallFactor'>>,
): RunSpec {
  const { assign, ...rest } = plan;
  return { ...rest, ...run, ...(assign ? { assignment: assign(run.workers) } : {}) };
}

export interface WorkerOutputOf {
  workerIndex: number;
  cores: Int32Array;
  value: unknown;
}

export interface RunResult {
  runId: string;
  steps: number;
  workers: number;
  coreToWorker: Int32Array;
  /** Kernel counters by core id: `counters[core * counterNames.length + k]`. */
  counterNames: string[];
  counters: Float64Array;
  /** Packets sent by each core over the run (runtime count). */
  packetsSent: Float64Array;
  /** Each worker's `finish()` value, by worker index. */
  outputs: WorkerOutputOf[];
  stats: {
    /** From spawning the workers to the last result (ms). */
    wallMs: number;
    /** Slowest worker's tick-loop time (ms). */
    loopMs: number;
    perWorker: WorkerStats[];
  };
}

export interface RunHandle {
  readonly runId: string;
  readonly result: Promise<RunResult>;
  /** Stop every worker; `result` rejects with E_INTERRUPTED (exit 130). Idempotent. */
  abort(reason?: string): void;
  /** Fault injection for tests: terminate one worker thread as if it had crashed. */
  killWorker(workerIndex: number): void;
  /** Worker threads that have not exited yet (0 once `result` has settled after a failure). */
  liveWorkers(): number;
}

/** Contiguous blocks: core c → floor(c · workers / coreCount). */
export function blockAssignment(coreCount: number, workers: number): Int32Array {
  const a = new Int32Array(coreCount);
  for (let c = 0; c < coreCount; c++) a[c] = Math.floor((c * workers) / coreCount);
  return a;
}

function specError(message: string, hint?: string): NeuromeshError {
  return new NeuromeshError([diag('E_RUNTIME_SPEC', message, hint ? { hint } : {})]);
}

function validate(spec: RunSpec): { coreToWorker: Int32Array; payloadWords: number } {
  const isCount = (n: number, min: number): boolean => Number.isInteger(n) && n >= min;
  if (!isCount(spec.coreCount, 1)) throw specError(`coreCount must be a positive integer, got ${spec.coreCount}`);
  if (!isCount(spec.workers, 1)) throw specError(`workers must be a positive integer, got ${spec.workers}`, 'use --workers 1 or more');
  if (!isCount(spec.steps, 0)) throw specError(`steps must be a non-negative integer, got ${spec.steps}`);
  const payloadWords = spec.payloadWords ?? 1;
  if (!isCount(payloadWords, 0) || payloadWords > MAX_PAYLOAD_WORDS) throw specError(`payloadWords must be 0…${MAX_PAYLOAD_WORDS}, got ${payloadWords}`);
  let coreToWorker: Int32Array;
  if (spec.assignment) {
    if (spec.assignment.length !== spec.coreCount) throw specError(`assignment has ${spec.assignment.length} entries for ${spec.coreCount} cores`);
    coreToWorker = new Int32Array(new SharedArrayBuffer(4 * spec.coreCount));
    for (let c = 0; c < spec.coreCount; c++) {
      const w = spec.assignment[c]!;
      if (!(Number.isInteger(w) && w >= 0 && w < spec.workers)) throw specError(`assignment puts core ${c} on worker ${w}, but there are ${spec.workers} workers`);
      coreToWorker[c] = w;
    }
  } else {
    coreToWorker = new Int32Array(new SharedArrayBuffer(4 * spec.coreCount));
    coreToWorker.set(blockAssignment(spec.coreCount, spec.workers));
  }
  return { coreToWorker, payloadWords };
}

/** Start a run; the returned handle's `result` settles when it ends. Throws only on a bad spec. */
export function startRun(spec: RunSpec): RunHandle {
  const { coreToWorker, payloadWords } = validate(spec);
  const runId = randomUUID();
  const W = spec.workers;
  const t0 = performance.now();
  const control = new SharedArrayBuffer(controlBytes(W));
  const ctrl = new Int32Array(control);
  const channels = createChannels(W, spec.ringBytes ?? DEFAULT_SEGMENT_BYTES, spec.maxRingBytes ?? DEFAULT_MAX_SEGMENT_BYTES);
  const kernelUrl = runnableUrl(spec.kernelUrl).href;
  const entry = workerEntryUrl();
  const buckets: number[][] = Array.from({ length: W }, () => []);
  for (let c = 0; c < spec.coreCount; c++) buckets[coreToWorker[c]!]!.push(c);
  const coresOf = buckets.map((b) => Int32Array.from(b));
  // per-worker data first: if the backend throws here, nothing has been started yet
  const locals = coresOf.map((cores, w) => (spec.perWorker ? spec.perWorker(w, cores) : { data: null, transfer: [] }));

  let settled = false;
  let resolveResult!: (r: RunResult) => void;
  let rejectResult!: (e: NeuromeshError) => void;
  const result = new Promise<RunResult>((res, rej) => {
    resolveResult = res;
    rejectResult = rej;
  });
  const done: (DoneMessage | null)[] = new Array<DoneMessage | null>(W).fill(null);
  const exited: boolean[] = new Array<boolean>(W).fill(false);
  const aborted: boolean[] = new Array<boolean>(W).fill(false);
  let lastProgress = 0;
  const workers: Worker[] = [];

  const untrack = trackRun({ abort: (reason) => handle.abort(reason) });
  const onSignal = (): void => handle.abort('abort signal');

  let watchdog: ReturnType<typeof setInterval> | undefined;
  function cleanup(): void {
    untrack();
    if (watchdog) clearInterval(watchdog);
    spec.signal?.removeEventListener('abort', onSignal);
  }

  /** End the run with an error: raise the abort flag, stop every worker, then reject. */
  function fail(err: NeuromeshError): void {
    if (settled) return;
    settled = true;
    cleanup();
    signalAbort(ctrl);
    const stops = workers.map((w) => w.terminate().catch(() => 0));
    const grace = new Promise((r) => setTimeout(r, 500).unref()); // the run ends within a second even if a thread is slow to die
    void Promise.race([Promise.all(stops), grace]).then(() => rejectResult(err));
  }

  function where(w: number): { step: number; core: number | null; phase: number } {
    const slot = CTRL_SLOTS + w * SLOT_STRIDE;
    const core = ctrl[slot + SLOT_CORE]!;
    return { step: ctrl[slot + SLOT_STEP]!, core: core >= 0 ? core : null, phase: ctrl[slot + SLOT_PHASE]! };
  }

  function describe(w: number): string {
    const cores = coresOf[w]!;
    if (cores.length === 0) return `worker ${w} (no cores)`;
    const first = cores[0]!;
    const last = cores[cores.length - 1]!;
    return `worker ${w} (${cores.length === 1 ? `core ${first}` : `cores ${first}…${last}`})`;
  }

  function atTick(step: number): string {
    return step < 0 ? 'before the first tick' : `at tick ${step}`;
  }

  function onMessage(w: number, m: WorkerToMain): void {
    switch (m.type) {
      case 'ready':
        return;
      case 'progress':
        lastProgress = m.step;
        spec.progress?.onProgress(m.step, spec.steps);
        return;
      case 'aborted':
        aborted[w] = true;
        return;
      case 'error': {
        const core = m.core ?? undefined;
        const context = `${describe(w)} failed ${atTick(m.step)}${core !== undefined ? ` on core ${core}` : ''}`;
        // a NeuromeshError keeps its own codes and hints, with the worker and tick prepended
        const diagnostics: Diagnostic[] = m.diagnostics.length
          ? m.diagnostics.map((d) => ({ ...d, message: `${context}: ${d.message}`, ...(d.core === undefined && core !== undefined ? { core } : {}) }))
          : [diag('E_WORKER_FAILED', `${context}: ${m.message.split('\n')[0] ?? 'unknown error'}`, {
              ...(core !== undefined ? { core } : {}),
              hint: 'the chip kernel threw; rerun with --debug for the stack trace',
            })];
        const err = new NeuromeshError(diagnostics);
        if (m.stack) err.stack = m.stack;
        fail(err);
        return;
      }
      case 'done':
        done[w] = m;
        if (done.every((d) => d !== null)) finishRun();
        return;
    }
  }

  function onExit(w: number, code: number): void {
    exited[w] = true;
    if (settled || done[w] || aborted[w]) {
      if (!settled && exited.every(Boolean) && !done.every((d) => d !== null))
        fail(new NeuromeshError([diag('E_WORKER_EXIT', 'all workers stopped without finishing the run')]));
      return;
    }
    const at = where(w);
    const core = at.core ?? undefined;
    fail(new NeuromeshError([diag('E_WORKER_EXIT',
      `${describe(w)} exited with code ${code} ${atTick(at.step)}${core !== undefined ? ` while running core ${core}` : at.phase === PHASE_BARRIER ? ' at the tick barrier' : ''}`,
      { ...(core !== undefined ? { core } : {}), hint: 'the worker thread died (crash, out of memory or killed); rerun with --debug, or with fewer workers' })]));
  }

  function finishRun(): void {
    if (settled) return;
    const msgs = done as DoneMessage[];
    const names = msgs[0]!.counterNames;
    const K = names.length;
    const counters = new Float64Array(spec.coreCount * K);
    const packetsSent = new Float64Array(spec.coreCount);
    for (const m of msgs) {
      if (m.counterNames.length !== K || m.counterNames.some((n, i) => n !== names[i])) {
        fail(new NeuromeshError([diag('E_KERNEL_COUNTERS', `worker ${m.workerIndex} kernel reports counters [${m.counterNames.join(', ')}], worker 0 [${names.join(', ')}]`)]));
        return;
      }
      const cores = coresOf[m.workerIndex]!;
      for (let r = 0; r < cores.length; r++) {
        const c = cores[r]!;
        packetsSent[c] = m.packetsSent[r]!;
        if (m.counters) for (let k = 0; k < K; k++) counters[c * K + k] = m.counters[r * K + k]!;
      }
    }
    settled = true;
    cleanup();
    for (const w of workers) void w.terminate().catch(() => 0);
    if (spec.progress && lastProgress < spec.steps) spec.progress.onProgress(spec.steps, spec.steps);
    const perWorker = msgs.map((m) => m.stats);
    resolveResult({
      runId,
      steps: spec.steps,
      workers: W,
      coreToWorker: Int32Array.from(coreToWorker),
      counterNames: [...names],
      counters,
      packetsSent,
      outputs: msgs.map((m) => ({ workerIndex: m.workerIndex, cores: coresOf[m.workerIndex]!, value: m.output })),
      stats: { wallMs: performance.now() - t0, loopMs: Math.max(...perWorker.map((s) => s.loopMs)), perWorker },
    });
  }

  const handle: RunHandle = {
    runId,
    result,
    abort(reason?: string): void {
      fail(new NeuromeshError([diag('E_INTERRUPTED', `run interrupted${reason ? ` (${reason})` : ''}: every worker was stopped`)]));
    },
    killWorker(w: number): void {
      void workers[w]?.terminate();
    },
    liveWorkers(): number {
      return exited.filter((e) => !e).length;
    },
  };

  for (let w = 0; w < W; w++) {
    const local = locals[w]!;
    const init: InitMessage = {
      type: 'init',
      runId,
      workerIndex: w,
      workerCount: W,
      coreCount: spec.coreCount,
      cores: coresOf[w]!,
      coreToWorker: coreToWorker.buffer as SharedArrayBuffer,
      kernelUrl,
      steps: spec.steps,
      payloadWords,
      progressEvery: spec.progress ? Math.max(1, Math.floor(spec.progress.every)) : 0,
      spinMicros: spec.spinMicros ?? DEFAULT_SPIN_CAP_US,
      control,
      channels,
      shared: spec.shared ?? null,
      local: local.data,
      options: spec.options ?? null,
    };
    let worker: Worker;
    try {
      worker = new Worker(entry, { workerData: init, transferList: local.transfer ?? [] });
    } catch (e) {
      // e.g. program data that cannot be cloned: stop the workers already started, then report
      settled = true;
      cleanup();
      signalAbort(ctrl);
      for (const started of workers) void started.terminate().catch(() => 0);
      throw specError(`cannot start worker ${w}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
        'program data (shared, perWorker, options) must be structured-cloneable: typed arrays, SharedArrayBuffers, plain objects');
    }
    workers.push(worker);
    worker.on('message', (m: unknown) => {
      if (isWorkerMessage(m, runId)) onMessage(w, m);
    });
    worker.on('error', (e: Error) => {
      fail(new NeuromeshError([diag('E_WORKER_FAILED', `${describe(w)} failed ${atTick(where(w).step)}: ${e.message.split('\n')[0]}`, {
        hint: 'rerun with --debug for the stack trace',
      })]));
    });
    worker.on('exit', (code: number) => onExit(w, code));
  }
  if (spec.stallMs && spec.stallMs > 0)
    watchdog = startStallWatchdog({ workers: W, floorMs: spec.stallMs, factor: spec.stallFactor ?? DEFAULT_STALL_FACTOR, where, describe, onStall: fail });
  if (spec.signal) {
    if (spec.signal.aborted) handle.abort('abort signal');
    else spec.signal.addEventListener('abort', onSignal, { once: true });
  }
  return handle;
}

/** Run to completion (convenience over startRun). */
export function runTicks(spec: RunSpec): Promise<RunResult> {
  return startRun(spec).result;
}
