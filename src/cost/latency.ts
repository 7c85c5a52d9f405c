/**
 * Latency of a clock-driven chip: per tick, the critical path is the slowest core's compute time
 * plus the slowest packet route of that tick (packets sent in a tick are processed in the next).
 */
import { StepLog, type StepRuns } from '../chip/step-runs.js';

export interface LatencyReport {
  /** Critical path of every tick (s). */
  perStepS: Float64Array;
  /** Sum of the per-tick critical paths (s): the time the chip is busy. */
  totalS: number;
  /** Wall time of the run on the chip at its tick period (s): steps × tick period. */
  realTimeS: number;
  tickPeriodS: number;
  meanStepS: number;
  maxStepS: number;
  /** Ticks whose critical path exceeds the tick period (the chip would fall behind). */
  overrunSteps: number;
  criticalPath: { step: number; core: number; coreLabel: string; node: string; computeS: number; routingS: number; totalS: number };
}

export interface StepTimes {
  /** Per tick: compute seconds of the slowest core, that core, and seconds of the slowest route. */
  computeS: Float64Array;
  core: Int32Array;
  routingS: Float64Array;
}

export function estimateLatency(t: StepTimes, tickPeriodS: number, cores: { label: string; node: string }[]): LatencyReport {
  const n = t.computeS.length;
  const log = new StepLog();
  for (let s = 0; s < n; s++) log.push(s, t.computeS[s]!, t.core[s]!, t.routingS[s]!);
  return estimateLatencyRuns(log, n, 1, tickPeriodS, cores);
}

/**
 * The latency report from run-length encoded tick records (src/chip/step-runs.ts) in cycles at
 * `cyclesPerSecond` (the clock; 1 when the records are in seconds). Only perStepS (one number per tick, a Float64Array)
 * grows with the steps.
 */
export function estimateLatencyRuns(r: StepRuns, steps: number, cyclesPerSecond: number, tickPeriodS: number, cores: { label: string; node: string }[]): LatencyReport {
  const perStepS = new Float64Array(steps);
  let total = 0;
  let max = -1;
  let at = 0;
  let atRun = -1;
  let over = 0;
  let s = 0;
  for (let i = 0; i < r.n && s < steps; i++) {
    const e = Math.min(steps, r.end[i]!);
    const v = r.cycles[i]! / cyclesPerSecond + r.route[i]! / cyclesPerSecond;
    perStepS.fill(v, s, e);
    // added step by step, as the per-step model does: the total is the same float to the last bit
    for (let k = s; k < e; k++) total += v;
    if (v > max) {
      max = v;
      at = s;
      atRun = i;
    }
    if (v > tickPeriodS) over += e - s;
    s = e;
  }
  const core = atRun >= 0 ? r.core[atRun]! : -1;
  return {
    perStepS, totalS: total, realTimeS: steps * tickPeriodS, tickPeriodS, meanStepS: steps ? total / steps : 0, maxStepS: Math.max(0, max), overrunSteps: over,
    criticalPath: {
      step: at, core, coreLabel: core >= 0 ? cores[core]!.label : '', node: core >= 0 ? cores[core]!.node : '',
      computeS: atRun >= 0 ? r.cycles[atRun]! / cyclesPerSecond : 0, routingS: atRun >= 0 ? r.route[atRun]! / cyclesPerSecond : 0, totalS: Math.max(0, max),
    },
  };
}

/** A chip whose every step takes one fixed time (`tickS`) on its first unit: no compute or routing model. */
export function fixedTickLatency(steps: number, tickS: number, cores: { label: string; node: string }[]): LatencyReport {
  // one run covering every step: nothing sized by the steps but the report's own perStepS
  const log = new StepLog();
  if (steps > 0) log.push(steps - 1, tickS, 0, 0);
  return estimateLatencyRuns(log, steps, 1, tickS, cores);
}
