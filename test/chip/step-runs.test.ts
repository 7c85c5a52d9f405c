/**
 * Run-length encoded tick records (src/chip/step-runs.ts): what a worker records and what the
 * merge of several workers gives must equal the dense per-tick rule (slowest core, ties to the
 * lowest core id; slowest route), whatever the runs look like.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandStepRuns, mergeStepRuns, StepLog } from '../../src/chip/step-runs.js';
import { estimateLatency, estimateLatencyRuns } from '../../src/cost/latency.js';

type Tick = [cycles: number, core: number, route: number];
const tick = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -1, max: 3 }), fc.integer({ min: 0, max: 2 })) as fc.Arbitrary<Tick>;

describe('StepLog and mergeStepRuns', () => {
  it('a log expands back to the ticks pushed, in fewer runs when ticks repeat', () => {
    fc.assert(fc.property(fc.array(tick, { minLength: 1, maxLength: 60 }), (ticks) => {
      const log = new StepLog();
      ticks.forEach(([c, k, r], s) => log.push(s, c, k, r));
      const d = expandStepRuns(log.runs(), ticks.length);
      expect([...d.cycles]).toEqual(ticks.map((t) => t[0]));
      expect([...d.core]).toEqual(ticks.map((t) => t[1]));
      expect([...d.route]).toEqual(ticks.map((t) => t[2]));
      expect(log.n).toBeLessThanOrEqual(ticks.length);
    }));
    const quiet = new StepLog();
    for (let s = 0; s < 100_000; s++) quiet.push(s, 1040, 0, 0);
    expect(quiet.n).toBe(1);
  });

  it('merging workers equals the dense rule per tick', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }), fc.infiniteStream(tick), (steps, W, gen) => {
      const it = gen[Symbol.iterator]();
      const per: Tick[][] = Array.from({ length: W }, () => Array.from({ length: steps }, () => it.next().value as Tick));
      const logs = per.map((ticks) => {
        const l = new StepLog();
        ticks.forEach(([c, k, r], s) => l.push(s, c, k, r));
        return l.runs();
      });
      const m = expandStepRuns(mergeStepRuns(logs, steps), steps);
      for (let s = 0; s < steps; s++) {
        let cycles = 0;
        let core = -1;
        let route = 0;
        for (const w of per) {
          const [c, k, r] = w[s]!;
          if (k >= 0 && (c > cycles || (c === cycles && (core < 0 || k < core)))) [cycles, core] = [c, k];
          route = Math.max(route, r);
        }
        expect([m.cycles[s], m.core[s], m.route[s]]).toEqual([cycles, core, route]);
      }
    }));
  });

  it('the latency report from runs equals the one from dense per-tick times', () => {
    const computeS = Float64Array.from([1e-5, 3e-4, 3e-4, 2e-5, 2e-5]);
    const core = Int32Array.from([0, 1, 1, 0, 0]);
    const routingS = Float64Array.from([1e-6, 0, 0, 5e-6, 5e-6]);
    const cores = [{ label: 'pe 0', node: 'a' }, { label: 'pe 1', node: 'b' }];
    const dense = estimateLatency({ computeS, core, routingS }, 1e-4, cores);
    const log = new StepLog();
    for (let s = 0; s < 5; s++) log.push(s, computeS[s]! * 1e6, core[s]!, routingS[s]! * 1e6);
    const runs = estimateLatencyRuns(log.runs(), 5, 1e6, 1e-4, cores);
    expect(runs.overrunSteps).toBe(2);
    expect(runs.criticalPath).toMatchObject({ step: 1, core: 1, node: 'b' });
    expect(runs.maxStepS).toBeCloseTo(dense.maxStepS, 15);
    expect(runs.totalS).toBeCloseTo(dense.totalS, 15);
    [...dense.perStepS].forEach((x, i) => expect(runs.perStepS[i]).toBeCloseTo(x, 15));
  });
});
