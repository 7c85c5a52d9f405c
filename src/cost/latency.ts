/**
 * Latency of a clock-driven chip: per tick, the critical path is the slowest core's compute time
 * plus the slowest packet route of that tick (packets sent in a tick are processed in the next).
 */
export interface LatencyReport {
  /** Critical path of every tick (s). */
  perStepS: number[];
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
  const perStepS = new Array<number>(n);
  let total = 0;
  let max = -1;
  let at = 0;
  let over = 0;
  for (let s = 0; s < n; s++) {
    const v = t.computeS[s]! + t.routingS[s]!;
    perStepS[s] = v;
    total += v;
    if (v > max) {
      max = v;
      at = s;
    }
    if (v > tickPeriodS) over++;
  }
  const core = n ? t.core[at]! : -1;
  return {
    perStepS, totalS: total, realTimeS: n * tickPeriodS, tickPeriodS, meanStepS: n ? total / n : 0, maxStepS: Math.max(0, max), overrunSteps: over,
    criticalPath: {
      step: at, core, coreLabel: core >= 0 ? cores[core]!.label : '', node: core >= 0 ? cores[core]!.node : '',
      computeS: n ? t.computeS[at]! : 0, routingS: n ? t.routingS[at]! : 0, totalS: Math.max(0, max),
    },
  };
}

/** A chip whose every step takes one fixed time (`tickS`) on its first unit: no compute or routing model. */
export function fixedTickLatency(steps: number, tickS: number, cores: { label: string; node: string }[]): LatencyReport {
  return estimateLatency({ computeS: new Float64Array(steps).fill(tickS), core: new Int32Array(steps), routingS: new Float64Array(steps) }, tickS, cores);
}
