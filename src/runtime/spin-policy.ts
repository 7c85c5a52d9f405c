/**
 * How long a worker spins at the tick barrier before it sleeps in Atomics.wait.
 *
 * Two regimes, chosen for all workers of a run at once (a word in the shared control block):
 * - SPIN: spin for about one tick's measured work plus a futex wake-up (`WAKE_US`), at most the
 *   run's `spinMicros`. On an idle machine the workers stay hot and meet within microseconds. The
 *   wake-up term matters: once one worker has slept, its peer waits for that wake-up plus a tick
 *   of work; a shorter spin fails, the peer sleeps too, and the two settle into a ping-pong that
 *   pays a wake-up (31–40 µs on the project's VM) every tick.
 * - SLEEP: spin `SHORT_SPIN_US`, then sleep. When the machine has more runnable threads than
 *   cores, a spinning worker holds the CPU its released peer needs: spinning then costs the whole
 *   window every tick (measured: ≈150 µs/tick on 2 shared cores at load 4.5), sleeping ≈35 µs.
 *
 * Which regime pays depends on the load of the moment, so the leader (worker 0) measures it: ticks
 * are grouped in epochs of `EPOCH_TICKS`; every `PERIOD_EPOCHS`-th epoch runs the other regime as
 * a trial, and the leader keeps whichever gave the shorter wall time per epoch (the run's own
 * objective: work plus barrier). Only timing adapts, never what a tick computes.
 */
export const WAKE_US = 100;
export const SHORT_SPIN_US = 2;
export const DEFAULT_SPIN_CAP_US = 1000;
export const EPOCH_TICKS = 64;
export const PERIOD_EPOCHS = 32;
export const MODE_SPIN = 0;
export const MODE_SLEEP = 1;
const WORK_GAIN = 1 / 16;
const EPOCH_GAIN = 1 / 2;

/** Spin window (µs) of a wait in `mode`, given the measured work per tick (µs; < 0 = unknown). */
export function spinWindow(mode: number, workUs: number, capUs: number): number {
  if (capUs <= 0) return 0;
  if (mode === MODE_SLEEP) return Math.min(capUs, SHORT_SPIN_US);
  return Math.min(capUs, WAKE_US + Math.max(0, workUs));
}

/** A worker's average work per tick (µs): from leaving the previous barrier to arriving at this one. */
export class WorkMeter {
  private workUs = -1;
  note(us: number): void {
    this.workUs = this.workUs < 0 ? us : this.workUs + (us - this.workUs) * WORK_GAIN;
  }
  get micros(): number {
    return this.workUs;
  }
}

/**
 * The leader's choice of regime. `tick(step, nowMs)` is called once per tick, before the barrier,
 * and returns the regime every worker should use from this tick on.
 */
export class ModeChooser {
  private incumbent = MODE_SPIN;
  private mode = MODE_SPIN;
  private epochStart = -1;
  /** Average wall time of an incumbent epoch (ms), -1 before the first one. */
  private incumbentMs = -1;
  /** Epochs per regime (statistics). */
  readonly epochs = [0, 0];

  tick(step: number, nowMs: number): number {
    if (step % EPOCH_TICKS !== 0) return this.mode;
    const epoch = step / EPOCH_TICKS;
    if (this.epochStart >= 0) this.endEpoch(nowMs - this.epochStart);
    this.epochStart = nowMs;
    this.mode = epoch % PERIOD_EPOCHS === 1 ? 1 - this.incumbent : this.incumbent;
    return this.mode;
  }

  private endEpoch(ms: number): void {
    this.epochs[this.mode]!++;
    if (this.mode === this.incumbent) {
      this.incumbentMs = this.incumbentMs < 0 ? ms : this.incumbentMs + (ms - this.incumbentMs) * EPOCH_GAIN;
    } else if (this.incumbentMs >= 0 && ms < this.incumbentMs) {
      this.incumbent = this.mode;
      this.incumbentMs = ms;
    }
  }

  get current(): number {
    return this.mode;
  }
}
