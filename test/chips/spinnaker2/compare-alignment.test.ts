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
