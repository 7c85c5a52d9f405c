/**
 * A whole chip run with the WebAssembly CurrentLIF kernel against the same run with
 * NEUROMESH_WASM=0 (the JavaScript loops): CUBA in cores of 256 neurons on 2 workers must give the
 * same spikes, traces and every counter.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../../chips/index.js';
import { runChip } from '../../../chips/spinnaker2/run.js';
import { buildCuba } from '../../../examples/cuba.js';
import { scaleVoltages } from '../../../src/graph/weight-scale.js';
import { buildKernels, tryCompile } from './helpers.js';

describe('spinnaker2 run: WebAssembly CurrentLIF ≡ JavaScript loops', () => {
  beforeAll(() => buildKernels());
  afterEach(() => {
    delete process.env.NEUROMESH_WASM;
  });

  it('CUBA 1,000 neurons, 400 steps, 2 workers: same spikes, traces and counters', async () => {
    const profile = loadProfile('spinnaker2');
    const g = scaleVoltages(buildCuba({ n: 1000, fanout: 40, seed: 9 }), 1000);
    const c = tryCompile(g, profile, { integrator: 'exact' })!;
    const opts = { steps: 400, trace: ['P'], workers: 2 };
    delete process.env.NEUROMESH_WASM;
    const wasm = await runChip(c.program, profile, opts);
    process.env.NEUROMESH_WASM = '0';
    const js = await runChip(c.program, profile, opts);
    const spikes = wasm.spikes.get('P')!;
    expect(spikes.steps.length).toBeGreaterThan(100);
    expect(Array.from(spikes.steps)).toEqual(Array.from(js.spikes.get('P')!.steps));
    expect(Array.from(spikes.neurons)).toEqual(Array.from(js.spikes.get('P')!.neurons));
    expect(Array.from(wasm.traces.get('P')!)).toEqual(Array.from(js.traces.get('P')!));
    expect(wasm.counterNames).toEqual(js.counterNames);
    expect(Array.from(wasm.counters)).toEqual(Array.from(js.counters));
  });
});
