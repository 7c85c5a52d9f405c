import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { analyze, neuronCount } from '../../src/graph/graph.js';
import { specOf } from '../../src/graph/registry.js';
import { readNir } from '../../src/io/nir.js';
import { fixture } from '../helpers/shared.js';
import { backend } from './helpers.js';
import { checkRouting } from './checks.js';

describe('NIR-paper graphs compile onto spinnaker2', () => {
  it('CNN: neurons and synapses in = placed, conv expanded to words', async () => {
    const g = await readNir(fixture('cnn', 'cnn_sinabs.nir'));
    const { shapes } = analyze(g);
    const t0 = performance.now();
    const { program, diagnostics } = compile(g, backend('spinnaker2-48'), { config: { dt: 1e-4 } });
    const ms = performance.now() - t0;
    const neurons = neuronCount(g, shapes!);
    expect(program.payload.summary.neurons).toBe(neurons);
    expect(program.payload.cores.filter((c) => program.populations[c.pop]!.role === 'neuron').reduce((a, c) => a + c.hi - c.lo, 0)).toBe(neurons);
    expect(program.payload.summary.sources).toBe(2 * 34 * 34);
    // synapses: the nonzero connections of each conv (pools composed into the next layer)
    const words = program.payload.cores.reduce((a, c) => a + c.words.length, 0);
    expect(words).toBe(program.payload.summary.synapses);
    expect(program.payload.summary.synapses).toBeGreaterThan(0);
    // first conv directly: its nonzero connection count per the graph's own count
    const conv1 = g.nodes.find((n) => n.kind === 'Conv2d')!;
    const c1 = specOf(conv1).synapses!(conv1, shapes!.input.get(conv1.name)!);
    const w1 = program.payload.summary.weights.find((w) => w.node === conv1.name)!;
    expect(w1.synapses).toBe(c1.nonzero);
    expect(program.payload.summary.storedWeights).toBeGreaterThan(0);
    // pools composed into the next conv: the model's one-by-one count differs from the composed one
    expect(program.payload.summary.modelSynapses).not.toBe(program.payload.summary.synapses);
    expect(program.payload.summary.storedWeights).toBeLessThan(program.payload.summary.synapses);
    expect(program.payload.summary.placement.cost).toBeLessThanOrEqual(program.payload.summary.placement.startCost);
    expect(ms).toBeLessThan(20000);
    void diagnostics;
  });

  it('Braille (both resets): recurrent CubaLIF with bias, all neurons and synapses placed', async () => {
    for (const f of ['braille_noDelay_bias_zero.nir', 'braille_noDelay_noBias_subtract.nir']) {
      const g = await readNir(fixture('braille', f));
      const { shapes } = analyze(g);
      const { program } = compile(g, backend('spinnaker2'));
      expect(program.payload.summary.neurons).toBe(neuronCount(g, shapes!));
      expect(program.payload.summary.sources).toBe(12);
      const words = program.payload.cores.reduce((a, c) => a + c.words.length, 0);
      expect(words).toBe(program.payload.summary.synapses);
      // every Affine/Linear feeds a population directly: synapses = their nonzero connections
      let nonzero = 0;
      for (const n of g.nodes) if (n.kind === 'Affine' || n.kind === 'Linear') nonzero += specOf(n).synapses!(n, shapes!.input.get(n.name)!).nonzero;
      expect(program.payload.summary.synapses).toBe(nonzero);
      expect(program.payload.summary.modelSynapses).toBe(nonzero);
      // the recurrent projection exists and targets its own population
      const rec = program.payload.summary.weights.find((w) => w.node.endsWith('w_rec'));
      expect(rec?.synapses).toBeGreaterThan(0);
      // biases became constant currents on the CubaLIF populations (file with bias only)
      const withBias = program.populations.filter((p) => p.bias).length;
      if (f.includes('_bias_')) expect(withBias).toBeGreaterThan(0);
    }
  });

  it('CNN with --routing exact: every key still reaches its targets, with less traffic than per-slice routing', async () => {
    const g = await readNir(fixture('cnn', 'cnn_sinabs.nir'));
    const be = backend('spinnaker2-48');
    const slice = compile(g, be, { maxNeuronsPerCore: { '*': 64 } }).program;
    const exact = compile(g, be, { maxNeuronsPerCore: { '*': 64 }, routing: 'exact' }).program;
    checkRouting(exact);
    expect(exact.payload.summary.traffic.meshHops + exact.payload.summary.traffic.chipHops).toBeLessThan(slice.payload.summary.traffic.meshHops + slice.payload.summary.traffic.chipHops);
    expect(exact.payload.summary.routerEntries.before).toBeGreaterThan(slice.payload.summary.routerEntries.before);
  });
});
