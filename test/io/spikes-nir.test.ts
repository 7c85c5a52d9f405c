import { describe, expect, it } from 'vitest';
import { loadAnalyzed } from '../../src/io/load.js';
import { inputAt, parseInputSpecs } from '../../src/io/spikes.js';
import { fixture } from '../helpers/shared.js';

describe('spike inputs on real NIR-paper graphs', () => {
  it('trace:lif_exact.csv feeds the Input of lif_norse.nir', async () => {
    const { graph, shapes } = await loadAnalyzed(fixture('lif', 'lif_norse.nir'));
    const m = await parseInputSpecs([`trace:${fixture('lif', 'lif_exact.csv')}`], graph, shapes);
    expect(m.size).toBe(1);
    const [inp] = [...m.values()];
    expect(inp).toMatchObject({ kind: 'dense', size: 1, steps: 1000 });
    const out = new Float64Array(1);
    let spikes = 0;
    for (let t = 0; t < 1000; t++) {
      inputAt(inp!, t, 1e-4, out);
      spikes += out[0]!;
    }
    expect(spikes).toBeGreaterThan(0);
  });
  it('the cnn_sinabs.nir Input takes a poisson input of its own shape', async () => {
    const { graph, shapes } = await loadAnalyzed(fixture('cnn', 'cnn_sinabs.nir'));
    const inputs = graph.nodes.filter((n) => n.kind === 'Input');
    expect(inputs).toHaveLength(1);
    const m = await parseInputSpecs(['poisson:rate=100,seed=3'], graph, shapes);
    const size = shapes.output.get(inputs[0]!.name)!.reduce((a, b) => a * b, 1);
    expect(m.get(inputs[0]!.name)).toMatchObject({ kind: 'poisson', size });
  });
});
