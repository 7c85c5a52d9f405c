import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topoOrder, type Graph } from '../../src/graph/graph.js';
import { numel } from '../../src/graph/tensor.js';
import { analyze } from '../../src/graph/graph.js';
import type { StepInput } from '../../src/io/spikes.js';
import type { RecordSpec, TraceRequest } from '../../src/reference/record.js';
import { Simulation, simulate, type RunResult, type SimulateOptions } from '../../src/reference/simulate.js';
import { arbGraph } from '../arbitraries/graph.js';

/** Random valid graphs (every kind, recurrence, nesting-free) run deterministically. */

const STEPS = 24;

/** Everything a run recorded, as plain data for deep equality. */
function snapshot(r: RunResult): unknown {
  const m = <V>(x: Map<string, V>, f: (v: V) => unknown): Record<string, unknown> => Object.fromEntries([...x].map(([k, v]) => [k, f(v)]));
  return {
    spikes: m(r.spikes, (s) => [Array.from(s.steps), Array.from(s.neurons)]),
    counts: m(r.counts, (c) => Array.from(c)),
    traces: m(r.traces, (vs) => m(vs, (t) => [t.start, t.end, Array.from(t.values)])),
    totals: r.totals,
  };
}

/** Poisson inputs for every Input node, and a recording of every variable of every node. */
function setup(g: Graph, seed: number): SimulateOptions {
  const { shapes } = analyze(g);
  const inputs = new Map<string, StepInput>();
  g.nodes.forEach((n, k) => {
    if (n.kind === 'Input') inputs.set(n.name, { kind: 'poisson', node: n.name, size: numel(n.shape), rateHz: 2000, seed: seed + k });
  });
  const traces: TraceRequest[] = [];
  for (const n of g.nodes) {
    traces.push({ node: n.name, var: 'y' });
    if (['I', 'IF', 'LI', 'LIF', 'CubaLI', 'CubaLIF', 'CurrentLIF'].includes(n.kind)) traces.push({ node: n.name, var: 'v' });
    if (['CubaLI', 'CubaLIF', 'CurrentLIF'].includes(n.kind)) traces.push({ node: n.name, var: 'i' });
  }
  void shapes;
  const record: RecordSpec = { all: true, spikes: g.nodes.map((n) => n.name), traces };
  return { steps: STEPS, seed, inputs, record };
}

describe('determinism', () => {
  it('same graph, input and seed → identical spikes, counts and traces; chunked runs equal one run', () => {
    fc.assert(
      fc.property(arbGraph({ kinds: 'all' }), fc.integer({ min: 0, max: 1000 }), fc.array(fc.integer({ min: 1, max: STEPS }), { maxLength: 4 }), (g, seed, cuts) => {
        const opts = setup(g, seed);
        const a = snapshot(simulate(g, opts));
        expect(snapshot(simulate(g, opts))).toEqual(a);
        const sim = Simulation.create(g, opts);
        for (const c of [...cuts].sort((x, y) => x - y)) sim.advance(c);
        sim.advance(STEPS);
        expect(snapshot(sim.result())).toEqual(a);
      }),
      { numRuns: 60, endOnFailure: true }, // shrinking fc.gen() graphs is very slow: report the first failure as is
    );
  });

  it('for acyclic graphs the order of the node list does not matter', () => {
    fc.assert(
      fc.property(arbGraph({ kinds: 'all' }), fc.integer({ min: 0, max: 1000 }), (g, seed) => {
        if (topoOrder(g).backEdges.size) return;
        const opts = setup(g, seed);
        const a = snapshot(simulate(g, opts));
        const reversed: Graph = { ...g, nodes: [...g.nodes].reverse() };
        expect(snapshot(simulate(reversed, opts))).toEqual(a);
      }),
      { numRuns: 60, endOnFailure: true }, // shrinking fc.gen() graphs is very slow: report the first failure as is
    );
  });
});
