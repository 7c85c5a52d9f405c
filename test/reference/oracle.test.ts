import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/graph/graph.js';
import { numel } from '../../src/graph/tensor.js';
import type { StepInput } from '../../src/io/spikes.js';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/reference/config.js';
import { simulate } from '../../src/reference/simulate.js';
import { arbGraph } from '../arbitraries/graph.js';
import { oracleRun } from './oracle.js';

/**
 * The optimized simulator against oracle.ts, a plain re-implementation of docs/semantics.md §2, on
 * random NIR graphs (every NIR kind, recurrent edges, f32/f64 parameters) with random options and
 * random inputs (0/1 spikes or analog values): every node's output, and every neuron's v (after
 * reset) and i, at every step within 1e-9.
 */

const STEPS = 20;

describe('reference simulator = plain docs/semantics.md oracle', () => {
  it('every node output at every step agrees within 1e-9 (relative to max(1, |y|))', () => {
    fc.assert(
      fc.property(
        arbGraph({ kinds: 'nir' }),
        fc.record({
          integrator: fc.constantFrom<RunConfig['integrator']>('euler', 'exact'),
          reset: fc.constantFrom<RunConfig['reset']>('zero', 'subtract'),
          ifMode: fc.constantFrom<RunConfig['ifMode']>('step', 'ode'),
          delay: fc.constantFrom<0 | 1>(0, 1),
          dt: fc.constantFrom(1e-4, 1e-3),
          analog: fc.boolean(),
          seed: fc.integer({ min: 1, max: 2 ** 30 }),
        }),
        (g: Graph, o) => {
          const cfg: RunConfig = { ...DEFAULT_CONFIG, integrator: o.integrator, reset: o.reset, ifMode: o.ifMode, delay: o.delay, dt: o.dt, steps: STEPS };
          let st = o.seed;
          const rnd = (): number => {
            st = (Math.imul(st, 1103515245) + 12345) >>> 0;
            return st / 2 ** 32;
          };
          const rows = new Map<string, number[][]>();
          const inputs = new Map<string, StepInput>();
          for (const n of g.nodes) {
            if (n.kind !== 'Input') continue;
            const size = numel(n.shape);
            const r = Array.from({ length: STEPS }, () => Array.from({ length: size }, () => Math.fround(o.analog ? rnd() * 4 - 1 : rnd() < 0.3 ? 1 : 0)));
            rows.set(n.name, r);
            const data = new Float32Array(STEPS * size);
            r.forEach((row, t) => data.set(row, t * size));
            inputs.set(n.name, { kind: 'dense', node: n.name, size, steps: STEPS, data });
          }
          const want = oracleRun(g, rows, cfg);
          const vars = (kind: string): ('y' | 'v' | 'i')[] =>
            ['I', 'IF', 'LI', 'LIF'].includes(kind) ? ['y', 'v'] : ['CubaLI', 'CubaLIF'].includes(kind) ? ['y', 'v', 'i'] : ['y'];
          const got = simulate(g, { ...cfg, inputs, record: { traces: g.nodes.flatMap((n) => vars(n.kind).map((v) => ({ node: n.name, var: v }))) } });
          for (const n of g.nodes) {
            for (const name of vars(n.kind)) {
              const tr = got.traces.get(n.name)!.get(name)!;
              const k = tr.end - tr.start;
              for (let t = 0; t < STEPS; t++)
                for (let j = 0; j < k; j++) {
                  const w = want[name].get(n.name)![t]![j]!;
                  const v = tr.values[t * k + j]!;
                  if (!(Math.abs(v - w) <= 1e-9 * Math.max(1, Math.abs(w))) && !(Number.isNaN(v) && Number.isNaN(w)) && v !== w)
                    throw new Error(`${n.kind} '${n.name}' ${name} step ${t} element ${j}: simulator ${v}, oracle ${w}`);
                }
            }
          }
          expect(got.config.steps).toBe(STEPS);
        },
      ),
      { numRuns: 150, endOnFailure: true },
    );
  });
});
