import { describe, expect, it } from 'vitest';
import { buildCuba } from '../../examples/cuba.js';
import { simulate } from '../../src/reference/simulate.js';

/**
 * CUBA (examples/cuba.ts) under the reference: the self-sustained asynchronous irregular state of
 * Vogels & Abbott. Brian2 fires at 5.5–5.7 Hz on this workload (bench/reference/brian2-crosscheck.json,
 * where the reference reproduces Brian2 spike for spike given Brian2's connectivity); here the
 * connectivity comes from neuromesh's own connector, so only the regime is checked.
 */
describe('CUBA through the reference', () => {
  it('4,000 neurons, 0.2 s, exact: a few Hz, E and I alike, no neuron faster than its refractory limit', () => {
    const g = buildCuba({ n: 4000, fanout: 80, seed: 12345 });
    const steps = 2000;
    const r = simulate(g, { steps, integrator: 'exact', inputs: new Map(), record: { spikes: ['P'] } });
    const c = r.counts.get('P')!;
    const sec = steps * 1e-4;
    let e = 0;
    let i = 0;
    let max = 0;
    for (let k = 0; k < 4000; k++) {
      if (k < 3200) e += c[k]!;
      else i += c[k]!;
      max = Math.max(max, c[k]!);
    }
    const rateE = e / 3200 / sec;
    const rateI = i / 800 / sec;
    console.log(`CUBA 0.2 s: E ${rateE.toFixed(2)} Hz, I ${rateI.toFixed(2)} Hz, max ${max} spikes per neuron, ${r.totals.synapticEvents} synaptic events`);
    expect(rateE).toBeGreaterThan(2);
    expect(rateE).toBeLessThan(15);
    expect(Math.abs(rateE - rateI) / rateE).toBeLessThan(0.2);
    // refractory 5 ms: at most one spike per 50 steps
    expect(max).toBeLessThanOrEqual(steps / 50);
    // every spike of P crosses its ~80 outgoing synapses
    expect(r.totals.synapticEvents / r.totals.spikes).toBeGreaterThan(70);
    expect(r.totals.synapticEvents / r.totals.spikes).toBeLessThan(90);
  });
});
