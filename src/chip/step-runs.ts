/**
 * Per-tick critical-path records of a clock-driven chip, run-length encoded: a run of consecutive
 * ticks with the same slowest-core cycles, slowest core and slowest route is one entry. Memory
 * grows with how much the ticks vary (a quiet model is a handful of runs), never with
 * steps × anything up front (issue 11, item 10).
 */

/** Runs in step order: run i covers ticks [end[i-1] (0 for the first), end[i]). */
export interface StepRuns {
  n: number;
  /** Exclusive end tick of each run. */
  end: Float64Array;
  /** Cycles of the slowest core in each tick of the run (0 when no core ran). */
  cycles: Float64Array;
  /** That core (program core id; −1 when none). */
  core: Int32Array;
  /** Cycles of the slowest packet route of each tick of the run. */
  route: Float64Array;
}

/** A growable StepRuns, appended one tick at a time. */
export class StepLog implements StepRuns {
  n = 0;
  end: Float64Array<ArrayBuffer> = new Float64Array(16);
  cycles: Float64Array<ArrayBuffer> = new Float64Array(16);
  core: Int32Array<ArrayBuffer> = new Int32Array(16);
  route: Float64Array<ArrayBuffer> = new Float64Array(16);

  /** Record tick `step` (ticks come in order, one call each). */
  push(step: number, cycles: number, core: number, route: number): void {
    const i = this.n - 1;
    if (i >= 0 && this.cycles[i] === cycles && this.core[i] === core && this.route[i] === route) {
      this.end[i] = step + 1;
      return;
    }
    if (this.n === this.end.length) this.grow();
    const j = this.n++;
    this.end[j] = step + 1;
    this.cycles[j] = cycles;
    this.core[j] = core;
    this.route[j] = route;
  }

  private grow(): void {
    const cap = this.end.length * 2;
    const f = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.end = f(this.end);
    this.cycles = f(this.cycles);
    this.route = f(this.route);
    const c = new Int32Array(cap);
    c.set(this.core);
    this.core = c;
  }

  /** The runs, trimmed to their length (plain typed arrays: structured-cloneable and transferable). */
  runs(): StepRuns {
    const n = this.n;
    return { n, end: this.end.slice(0, n), cycles: this.cycles.slice(0, n), core: this.core.slice(0, n), route: this.route.slice(0, n) };
  }
}

/** Buffers of a StepRuns, to transfer it between threads. */
export function stepRunsBuffers(r: StepRuns): ArrayBuffer[] {
  return [r.end.buffer, r.cycles.buffer, r.core.buffer, r.route.buffer] as ArrayBuffer[];
}

/**
 * Merge the step records of several workers (each covering every tick): per tick, the slowest core
 * of all (ties go to the lowest core id) and the slowest route of all.
 */
export function mergeStepRuns(parts: readonly StepRuns[], steps: number): StepRuns {
  const out = new StepLog();
  const at = new Int32Array(parts.length);
  let s = 0;
  while (s < steps) {
    let next = steps;
    let cycles = 0;
    let core = -1;
    let route = 0;
    for (let w = 0; w < parts.length; w++) {
      const p = parts[w]!;
      while (at[w]! < p.n && p.end[at[w]!]! <= s) at[w]!++;
      const i = at[w]!;
      if (i >= p.n) continue;
      next = Math.min(next, p.end[i]!);
      const c = p.cycles[i]!;
      const k = p.core[i]!;
      if (k >= 0 && (c > cycles || (c === cycles && (core < 0 || k < core)))) {
        cycles = c;
        core = k;
      }
      if (p.route[i]! > route) route = p.route[i]!;
    }
    if (next <= s) next = s + 1;
    out.push(next - 1, cycles, core, route);
    // push(next - 1) extends the run to `next`; a new run starting at s covers [s, next)
    s = next;
  }
  return out.runs();
}

/** Dense per-tick arrays of a StepRuns (for small runs and tests). */
export function expandStepRuns(r: StepRuns, steps: number): { cycles: Float64Array; core: Int32Array; route: Float64Array } {
  const cycles = new Float64Array(steps);
  const core = new Int32Array(steps).fill(-1);
  const route = new Float64Array(steps);
  let s = 0;
  for (let i = 0; i < r.n; i++) {
    const e = Math.min(steps, r.end[i]!);
    cycles.fill(r.cycles[i]!, s, e);
    core.fill(r.core[i]!, s, e);
    route.fill(r.route[i]!, s, e);
    s = e;
  }
  return { cycles, core, route };
}
