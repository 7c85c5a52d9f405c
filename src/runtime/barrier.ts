/**
 * The shared control block of a run and the per-tick barrier (Atomics, no messages).
 *
 * Layout of the control Int32Array (indices spaced 16 ints = 64 bytes apart so that hot words do
 * not share a cache line):
 *   ARRIVED     workers that reached the current barrier
 *   GENERATION  barrier generation, bumped by the last arriving worker (waiters wait on it)
 *   ABORT       0 = run, 1 = stop now (set by the main thread or a failing worker)
 *   SLEEPERS    workers inside Atomics.wait (the releaser skips notify when 0)
 *   SPIN_MODE   the barrier regime all workers use (spin-policy.ts), written by worker 0
 *   worker slot w at SLOTS + w*SLOT_STRIDE: [step being executed, current core, phase]
 */
import { DEFAULT_SPIN_CAP_US, ModeChooser, spinWindow, WorkMeter } from './spin-policy.js';
export const CTRL_ARRIVED = 0;
export const CTRL_GENERATION = 16;
export const CTRL_ABORT = 32;
export const CTRL_SLEEPERS = 48;
export const CTRL_SPIN_MODE = 64;
export const CTRL_SLOTS = 80;
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
 * A generation barrier for `parties` workers. A waiter first spins on the generation word for a
 * window set by spin-policy.ts (about one tick's measured work plus a wake-up, or a short spin when
 * the leader measured that sleeping pays), then sleeps in Atomics.wait with a timeout so that an
 * abort is noticed even if a notify were missed.
 */
export class TickBarrier {
  private readonly work = new WorkMeter();
  private readonly chooser: ModeChooser | null;
  private lastRelease = -1;
  /** Arrivals that ended while spinning / after sleeping (statistics). */
  spun = 0;
  slept = 0;
  /** Time spent inside arrive(), ms (statistics). */
  waitMs = 0;

  constructor(
    private readonly ctrl: Int32Array,
    private readonly parties: number,
    /** Longest spin before sleeping (µs); 0 = always sleep at once. */
    private readonly spinMicros = DEFAULT_SPIN_CAP_US,
    private readonly sleepMs = 50,
    /** Whether this worker chooses the regime (exactly one worker of a run: worker 0). */
    leader = false,
  ) {
    this.chooser = leader && parties > 1 && spinMicros > 0 ? new ModeChooser() : null;
  }

  /** The measured work per tick (µs) that sets the spin window; -1 before the first tick. */
  get workMicros(): number {
    return this.work.micros;
  }

  /** Epochs run in the spin / sleep regime (leader only; [0, 0] elsewhere). */
  get modeEpochs(): number[] {
    return this.chooser ? [...this.chooser.epochs] : [0, 0];
  }

  /**
   * Wait until all parties arrived. `step` is the tick just computed (-1 for the start barrier).
   * Throws RunAborted if the run is aborted meanwhile.
   */
  arrive(step = -1): void {
    const ctrl = this.ctrl;
    if (Atomics.load(ctrl, CTRL_ABORT) !== 0) throw new RunAborted();
    if (this.parties === 1) return;
    const t0 = performance.now();
    if (this.lastRelease >= 0) this.work.note((t0 - this.lastRelease) * 1000);
    if (this.chooser && step >= 0) {
      const before = this.chooser.current;
      const mode = this.chooser.tick(step, t0);
      if (mode !== before) Atomics.store(ctrl, CTRL_SPIN_MODE, mode);
    }
    try {
      this.meet(t0);
    } finally {
      this.lastRelease = performance.now();
      this.waitMs += this.lastRelease - t0;
    }
  }

  private meet(t0: number): void {
    const ctrl = this.ctrl;
    const gen = Atomics.load(ctrl, CTRL_GENERATION);
    if (Atomics.add(ctrl, CTRL_ARRIVED, 1) === this.parties - 1) {
      Atomics.store(ctrl, CTRL_ARRIVED, 0);
      Atomics.add(ctrl, CTRL_GENERATION, 1);
      // a sleeper registers before waiting, and Atomics.wait re-checks the generation: if we read
      // 0 here, any later sleeper sees the new generation and does not block
      if (Atomics.load(ctrl, CTRL_SLEEPERS) !== 0) Atomics.notify(ctrl, CTRL_GENERATION);
      return;
    }
    const window = spinWindow(Atomics.load(ctrl, CTRL_SPIN_MODE), this.work.micros, this.spinMicros);
    if (window > 0) {
      const deadline = t0 + window / 1000;
      for (;;) {
        for (let i = 0; i < 64; i++) {
          if (Atomics.load(ctrl, CTRL_GENERATION) !== gen) {
            this.spun++;
            return;
          }
        }
        if (performance.now() > deadline) break;
      }
    }
    this.slept++;
    Atomics.add(ctrl, CTRL_SLEEPERS, 1);
    try {
      for (;;) {
        if (Atomics.load(ctrl, CTRL_ABORT) !== 0) throw new RunAborted();
        Atomics.wait(ctrl, CTRL_GENERATION, gen, this.sleepMs);
        if (Atomics.load(ctrl, CTRL_GENERATION) !== gen) return;
      }
    } finally {
      Atomics.sub(ctrl, CTRL_SLEEPERS, 1);
    }
  }
}
