/**
 * The runtime's stall watchdog: fail a run with E_WORKER_STALLED when some worker has been inside
 * the kernel in one tick for longer than max(floorMs, factor × the median tick so far), naming the
 * worker, the tick and the core (RunSpec.stallMs / stallFactor).
 */
import { diag, NeuromeshError } from '../errors.js';
import { PHASE_TICK } from './barrier.js';

/** Default multiple of the median tick duration below which the stall watchdog never fires. */
export const DEFAULT_STALL_FACTOR = 100;

/** Samples of the tick duration (ms), the last 1024 kept, for the stall watchdog's median. */
class TickDurations {
  private readonly buf = new Float64Array(1024);
  private n = 0;
  add(ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) this.buf[this.n++ % this.buf.length] = ms;
  }
  median(): number {
    const k = Math.min(this.n, this.buf.length);
    if (!k) return 0;
    const sorted = this.buf.slice(0, k).sort();
    return k % 2 ? sorted[(k - 1) / 2]! : (sorted[k / 2 - 1]! + sorted[k / 2]!) / 2;
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toPrecision(3))} s` : ms >= 1 ? `${Number(ms.toPrecision(3))} ms` : `${Number((ms * 1000).toPrecision(3))} µs`;
}

export interface StallWatch {
  workers: number;
  floorMs: number;
  factor: number;
  /** Where worker w is: its tick, the core it is in, its phase. */
  where(w: number): { step: number; core: number | null; phase: number };
  describe(w: number): string;
  onStall(e: NeuromeshError): void;
}

/** Start watching; the returned timer is unref'd (clearInterval it when the run ends). */
export function startStallWatchdog({ workers: W, floorMs, factor, where, describe, onStall }: StallWatch): ReturnType<typeof setInterval> {
  const ticks = new TickDurations();
  const seen = new Float64Array(W).fill(Number.NaN);
  const since = new Float64Array(W).fill(performance.now());
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (let w = 0; w < W; w++) {
      const at = where(w);
      if (at.step !== seen[w] || at.phase !== PHASE_TICK) {
        // ticks advanced: one sample of the tick duration (time since the last change / ticks done)
        if (at.step > seen[w]! && seen[w]! >= 0) ticks.add((now - since[w]!) / (at.step - seen[w]!));
        seen[w] = at.step;
        since[w] = now;
        continue;
      }
      if (now - since[w]! <= floorMs) continue;
      const median = ticks.median();
      const limit = Math.max(floorMs, factor * median);
      if (now - since[w]! <= limit) continue;
      const core = at.core ?? undefined;
      const why = factor > 0 ? ` (the stall limit: the larger of ${formatMs(floorMs)} and ${factor} × the median tick so far, ${median > 0 ? formatMs(median) : 'not measured yet'})` : '';
      onStall(new NeuromeshError([diag('E_WORKER_STALLED',
        `${describe(w)} spent more than ${formatMs(limit)} in tick ${at.step}${core !== undefined ? ` on core ${core}` : ''}${why}`,
        { ...(core !== undefined ? { core } : {}), hint: 'the chip kernel seems stuck in a loop (a bug); if its ticks are legitimately this long, raise the stall timeout (neuromesh: --stall-timeout <seconds>, 0 = off)' })]));
      return;
    }
  }, Math.max(10, Math.min(1000, floorMs / 4)));
  watchdog.unref();
  return watchdog;
}
