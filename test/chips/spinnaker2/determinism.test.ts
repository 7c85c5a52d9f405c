import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChip, type ChipRunResult } from '../../../chips/spinnaker2/run.js';
import { expandStepRuns } from '../../../src/chip/step-runs.js';
import { analyze } from '../../../src/graph/graph.js';
import { numel } from '../../../src/graph/tensor.js';
import type { StepInput } from '../../../src/io/spikes.js';
import { buildCuba } from '../../../examples/cuba.js';
import { scaleVoltages } from '../../../src/graph/weight-scale.js';
import { arbNetwork } from './arb-network.js';
import { buildKernels, compileFor } from './helpers.js';

beforeAll(() => buildKernels());

/** Everything a run reports that must not depend on the worker count, as bytes. */
function fingerprint(r: ChipRunResult): string {
  const parts: string[] = [];
  for (const [k, s] of [...r.spikes].sort(([a], [b]) => a.localeCompare(b))) parts.push(k, Buffer.from(s.steps.buffer).toString('base64'), Buffer.from(s.neurons.buffer).toString('base64'));
  parts.push(Buffer.from(r.counters.buffer, r.counters.byteOffset, r.counters.byteLength).toString('base64'));
  const d = expandStepRuns(r.stepRuns, r.steps);
  parts.push(Buffer.from(d.cycles.buffer).toString('base64'), Buffer.from(d.core.buffer).toString('base64'), Buffer.from(d.route.buffer).toString('base64'));
  return parts.join('|');
}

describe('1, 2 and 4 workers give byte-identical spikes and counters', () => {
  it('CUBA (CurrentLIF, two receptors, recurrent) over 12 cores', async () => {
    // in millivolts (--weight-scale 1000): in volts the s16.15 decay of v toward v_rest stalls
    // ~3 mV short of rest (|v − v_rest|·dt/τ < ½ LSB), below CUBA's threshold, and nothing fires
    const g = scaleVoltages(buildCuba({ n: 400, fanout: 20, seed: 3 }), 1000);
    const c = compileFor(g, { integrator: 'exact' }, 'spinnaker2', { P: 36 });
    expect(c.program.payload.cores.length).toBeGreaterThanOrEqual(12);
    const runs = await Promise.all([1, 2, 4].map((workers) => runChip(c.program, c.profile, { steps: 400, workers })));
    const spikes = runs[0]!.spikes.get('P')!.steps.length;
    expect(spikes).toBeGreaterThan(50);
    const f = runs.map(fingerprint);
    expect(f[1]).toBe(f[0]);
    expect(f[2]).toBe(f[0]);
    // packets really crossed workers
    expect(runs[2]!.runtime.workers).toBe(4);
  });

  it('random networks with Poisson inputs (counter-based RNG drawn on every worker)', async () => {
    await fc.assert(
      fc.asyncProperty(arbNetwork(), fc.integer({ min: 0, max: 999 }), async (g, seed) => {
        const c = compileFor(g, {}, 'spinnaker2', Object.fromEntries(g.nodes.filter((n) => /^(p\d|in|spk)$/.test(n.name)).map((n) => [n.name, 2])));
        const { shapes } = analyze(g);
        const inputs = new Map<string, StepInput>();
        for (const n of g.nodes) if (n.kind === 'Input') inputs.set(n.name, { kind: 'poisson', node: n.name, size: numel(shapes!.output.get(n.name)!), rateHz: 2000, seed });
        const runs = await Promise.all([1, 2, 4].map((workers) => runChip(c.program, c.profile, { steps: 60, workers, inputs, seed })));
        const f = runs.map(fingerprint);
        expect(f[1]).toBe(f[0]);
        expect(f[2]).toBe(f[0]);
      }),
      { numRuns: 5, seed: 11, endOnFailure: true },
    );
  });
});
