import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../../chips/index.js';
import { runPipeline } from '../../../src/cli/pipeline.js';
import type { Graph } from '../../../src/graph/graph.js';
import { f64 } from '../../../src/graph/tensor.js';
import type { StepInput } from '../../../src/io/spikes.js';
import { simulate } from '../../../src/reference/simulate.js';
import { buildKernels } from './helpers.js';

beforeAll(() => buildKernels());

/**
 * `run --compare` and `check` read the chip's sources one step ahead in the reference
 * (docs/semantics.md §2), so an input spike at step 0 reaches both, and a one-layer graph — where
 * the chip's rule (input acts in its own tick) is the reference's `delay 0` — agrees exactly.
 */
const graph: Graph = {
  nodes: [
    { kind: 'Input', name: 'in', shape: [2] },
    { kind: 'Linear', name: 'w', weight: f64(Float64Array.from([1, 0, 0.5, 0.5]), [2, 2]) },
    { kind: 'LIF', name: 'n', tau: f64(Float64Array.from([0.01])), r: f64(Float64Array.from([1])), v_leak: f64(Float64Array.from([0])), v_threshold: f64(Float64Array.from([0.05])) },
  ],
  edges: [{ from: 'in', to: 'w' }, { from: 'w', to: 'n' }],
};
const steps = 12;
const data = new Float32Array(steps * 2);
for (const [t, k] of [[0, 0], [0, 1], [3, 1], [7, 0], [11, 1]] as const) data[t * 2 + k] = 1;
const inputs = new Map<string, StepInput>([['in', { kind: 'dense', node: 'in', size: 2, steps, data }]]);

describe('chip and reference are aligned for input at step 0', () => {
  it('a one-layer graph: no differing spike, step 0 included, and the reference equals its delay-0 run', async () => {
    const r = await runPipeline(graph, loadBackend('spinnaker2'), { steps, inputs, compare: true, config: { reset: 'zero', dt: 1e-3 } });
    const chip = r.run.spikes.get('n')!;
    expect(chip.steps[0]).toBe(0);
    expect(r.report.compare!.nodes.n).toMatchObject({ differingSpikes: 0, countDifference: 0 });
    expect(r.report.compare!.nodes.n!.referenceSpikes).toBe(chip.steps.length);
    const lead = simulate(graph, { ...r.compiled.program.config, delay: 1, steps, inputs, sourceLead: true });
    const zero = simulate(graph, { ...r.compiled.program.config, delay: 0, steps, inputs });
    expect([...lead.spikes.get('n')!.steps]).toEqual([...zero.spikes.get('n')!.steps]);
    expect([...lead.spikes.get('n')!.neurons]).toEqual([...zero.spikes.get('n')!.neurons]);
    // the recorded input keeps its own steps
    expect([...lead.spikes.get('in')?.steps ?? []]).toEqual([...zero.spikes.get('in')?.steps ?? []]);
  });
});

describe('Delay and Threshold timing under delay 1 (issue 17)', () => {
  const lif = (name: string): Graph['nodes'][number] => ({ kind: 'LIF', name, tau: f64(Float64Array.from([0.01])), r: f64(Float64Array.from([1])), v_leak: f64(Float64Array.from([0])), v_threshold: f64(Float64Array.from([0.05])) });
  const one = (name: string): Graph['nodes'][number] => ({ kind: 'Linear', name, weight: f64(Float64Array.from([1]), [1, 1]) });
  const T = 12;
  const x = new Float32Array(T);
  x[0] = 1;
  x[5] = 1;
  const inp = new Map<string, StepInput>([['in', { kind: 'dense', node: 'in', size: 1, steps: T, data: x }]]);
  const spikes = (m: Map<string, { steps: ArrayLike<number> }>): Record<string, number[]> => Object.fromEntries([...m].map(([k, v]) => [k, Array.from(v.steps)]));

  it('a Delay of 3 steps behind a neuron takes k + 1 = 4 steps on the chip, as in the reference', async () => {
    const g: Graph = {
      nodes: [{ kind: 'Input', name: 'in', shape: [1] }, one('w0'), lif('a'), one('w'), { kind: 'Delay', name: 'd', delay: f64(Float64Array.from([0.003])) }, lif('n')],
      edges: [{ from: 'in', to: 'w0' }, { from: 'w0', to: 'a' }, { from: 'a', to: 'w' }, { from: 'w', to: 'd' }, { from: 'd', to: 'n' }],
    };
    const r = await runPipeline(g, loadBackend('spinnaker2'), { steps: T, inputs: inp, compare: true, config: { dt: 1e-3 } });
    expect(spikes(r.run.spikes)).toEqual({ a: [0, 5], n: [5, 10] });
    expect(r.report.compare!.nodes.n).toMatchObject({ differingSpikes: 0 });
  });

  it('a Threshold fed in the same step is one step late on the chip, and compile says so (W_THRESHOLD_STEP naming it)', async () => {
    const g: Graph = {
      nodes: [{ kind: 'Input', name: 'in', shape: [1] }, one('w0'), lif('a'), one('w'), { kind: 'Threshold', name: 'th', threshold: f64(Float64Array.from([0.5])) }, one('w2'), lif('n')],
      edges: [{ from: 'in', to: 'w0' }, { from: 'w0', to: 'a' }, { from: 'a', to: 'w' }, { from: 'w', to: 'th' }, { from: 'th', to: 'w2' }, { from: 'w2', to: 'n' }],
    };
    const r = await runPipeline(g, loadBackend('spinnaker2'), { steps: T, inputs: inp, compare: true, config: { dt: 1e-3 } });
    expect(r.compiled.diagnostics.filter((d) => d.code === 'W_THRESHOLD_STEP').map((d) => d.node)).toEqual(['th']);
    expect(spikes(r.run.spikes).th).toEqual([1, 6]);
  });
});
