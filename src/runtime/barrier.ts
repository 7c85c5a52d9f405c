/**
 * The shared control block of a run and the per-tick barrier (Atomics, no messages).
 *
 * Layout of the control Int32Array (indices spaced 16 ints = 64 bytes apart so that hot words do
 * not share a cache line):
 *   ARRIVED     workers that reached the current barrier
 *   GENERATION  barrier generation, bumped by the last arriving worker (waiters wait on it)
 *   ABORT       0 = run, 1 = stop now (set by the main thread or a failing worker)
 *   worker slot w at SLOTS + w*SLOT_STRIDE: [step being executed, current core, phase]
 */
export const CTRL_ARRIVED = 0;
export const CTRL_GENERATION = 16;
export const CTRL_ABORT = 32;
export const CTRL_SLOTS = 48;
export const SLOT_STRIDE = 16;
export const SLOT_STEP = 0;
export const SLOT_CORE = 1;
export const SLOT_PHASE = 2;

/** Phases recorded in a worker slot (for error reports about a worker that died). */
export const PHASE_STARTING = 0;
export const PHASE_TICK = 1;
export const PHASE_BARRIER = 2;
export const PHASE_FINISHING = 3;
export const PHASE_DONE = 4;

export function controlBytes(workerCount: number): number {
  return (CTRL_SLOTS + SLOT_STRIDE * workerCount) * 4;
}

/** Thrown inside a worker when the run was aborted while it waited. */
export class RunAborted extends Error {
  constructor() {
    super('run aborted');
    this.name = 'RunAborted';
  }
}

/** Ask every worker of a run to stop (wakes those waiting at the barrier). */
export function signalAbort(ctrl: Int32Array): void {
  Atomics.store(ctrl, CTRL_ABORT, 1);
  Atomics.add(ctrl, CTRL_GENERATION, 0);
  Atomics.notify(ctrl, CTRL_GENERATION);
}

export function isAborted(ctrl: Int32Array): boolean {
  return Atomics.load(ctrl, CTRL_ABORT) !== 0;
}

/**
 * A sense-reversing (generation) barrier for `parties` workers. Waiters spin briefly (a tick of a
 * balanced load ends within microseconds of each other), then sleep in Atomics.wait with a timeout
 * so that an abort is noticed even if a notify were missed.
 */
export class TickBarrier {
  constructor(
    private readonly ctrl: Int32Array,
    private readonly parties: number,
    private readonly spin = 20_000,
    private readonly sleepMs = 50,
  ) {}

  /** Wait until all parties arrived. Throws RunAborted if the run is aborted meanwhile. */
  arrive(): void {
    const ctrl = this.ctrl;
    if (Atomics.load(ctrl, CTRL_ABORT) !== 0) throw new RunAborted();
    if (this.parties === 1) return;
    const gen = Atomics.load(ctrl, CTRL_GENERATION);
    if (Atomics.add(ctrl, CTRL_ARRIVED, 1) === this.parties - 1) {
      Atomics.store(ctrl, CTRL_ARRIVED, 0);
      Atomics.add(ctrl, CTRL_GENERATION, 1);
      Atomics.notify(ctrl, CTRL_GENERATION);
      return;
    }
    for (let i = 0; i < this.spin; i++) {
      if (Atomics.load(ctrl, CTRL_GENERATION) !== gen) return;
    }
    for (;;) {
      if (Atomics.load(ctrl, CTRL_ABORT) !== 0) throw new RunAborted();
      Atomics.wait(ctrl, CTRL_GENERATION, gen, this.sleepMs);
      if (Atomics.load(ctrl, CTRL_GENERATION) !== gen) return;
    }
  }
}
