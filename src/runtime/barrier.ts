/**
 * The shared control block of a run and the per-tick barrier (Atomics, no messages).
 *
 * Layout of the control Int32Array (indices spaced 16 ints = 64 bytes apart so that hot words do
 * not share a cache line):
 *   ARRIVED     workers that reached the current barrier
 *   GENERATION  barrier generation, bumped by the last arriving worker (waiters wait on it)
 *   ABORT       0 = run, 1 = stop now (set by the main thread or a failing worker)
 *   SLEEPERS    workers inside Atomics.wait (the releaser skips notify when 0)
 *   worker slot w at SLOTS + w*SLOT_STRIDE: [step being executed, current core, phase]
 */
export const CTRL_ARRIVED = 0;
export const CTRL_GENERATION = 16;
export const CTRL_ABORT = 32;
export const CTRL_SLEEPERS = 48;
export const CTRL_SLOTS = 64;
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
 * A generation barrier for `parties` workers. A waiter first spins on the generation word, then
 * sleeps in Atomics.wait with a timeout so that an abort is noticed even if a notify were missed.
 *
 * Why spin for microseconds: a futex wake-up takes several microseconds before the woken thread
 * runs, so a barrier that always sleeps settles into a ping-pong where every tick pays one
 * wake-up. A spin window longer than that latency lets both workers stay hot and meet within
 * ~100 ns. When spinning keeps failing (peers much slower, or more threads than cores) the window
 * shrinks to `SHORT_SPIN_US`, with a full-length probe every `PROBE_EVERY` waits to notice when
 * spinning would pay again.
 */
export const SHORT_SPIN_US = 2;
const FAILS_BEFORE_SHORT = 16;
const PROBE_EVERY = 64;

export class TickBarrier {
  private failStreak = 0;
  private waits = 0;
  /** Arrivals that ended while spinning / after sleeping (statistics). */
  spun = 0;
  slept = 0;

  constructor(
    private readonly ctrl: Int32Array,
    private readonly parties: number,
    /** Longest spin before sleeping (µs); 0 = always sleep at once. */
    private readonly spinMicros = 100,
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
      // a sleeper registers before waiting, and Atomics.wait re-checks the generation: if we read
      // 0 here, any later sleeper sees the new generation and does not block
      if (Atomics.load(ctrl, CTRL_SLEEPERS) !== 0) Atomics.notify(ctrl, CTRL_GENERATION);
      return;
    }
    if (this.spinMicros > 0) {
      const full = this.failStreak < FAILS_BEFORE_SHORT || ++this.waits % PROBE_EVERY === 0;
      const window = full ? this.spinMicros : Math.min(SHORT_SPIN_US, this.spinMicros);
      const deadline = performance.now() + window / 1000;
      for (;;) {
        for (let i = 0; i < 64; i++) {
          if (Atomics.load(ctrl, CTRL_GENERATION) !== gen) {
            this.spun++;
            this.failStreak = 0;
            return;
          }
        }
        if (performance.now() > deadline) break;
      }
      this.failStreak++;
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
