import { describe, expect, it } from 'vitest';
import { buildSmallCnn } from '../../examples/small-cnn.js';
import { analyze, neuronCount } from '../../src/graph/graph.js';

describe('examples/small-cnn.ts', () => {
  const g = buildSmallCnn();
  it('chains Input → Conv2d → IF → SumPool2d → Flatten → Affine → IF → Output with the expected shapes', () => {
    expect(g.nodes.map((n) => n.kind)).toEqual(['Input', 'Conv2d', 'IF', 'SumPool2d', 'Flatten', 'Affine', 'IF', 'Output']);
    expect(g.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['input>conv', 'conv>if1', 'if1>pool', 'pool>flat', 'flat>fc', 'fc>if2', 'if2>output']);
    const a = analyze(g);
    expect(a.diagnostics).toEqual([]);
    const out = a.shapes!.output;
    expect(out.get('conv')).toEqual([4, 8, 8]);
    expect(out.get('pool')).toEqual([4, 4, 4]);
    expect(out.get('flat')).toEqual([64]);
    expect(out.get('output')).toEqual([10]);
    expect(neuronCount(g, a.shapes!)).toBe(256 + 10);
  });
  it('has fixed, seeded, non-trivial weights', () => {
    const again = buildSmallCnn();
    const w = (x: typeof g, name: string): number[] => {
      const n = x.nodes.find((m) => m.name === name)!;
      return n.kind === 'Conv2d' || n.kind === 'Affine' ? Array.from(n.weight.data) : [];
    };
    expect(w(again, 'conv')).toEqual(w(g, 'conv'));
    expect(w(again, 'fc')).toEqual(w(g, 'fc'));
    expect(w(buildSmallCnn(2), 'fc')).not.toEqual(w(g, 'fc'));
    const conv = w(g, 'conv');
    expect(conv).toHaveLength(36);
    expect(Math.max(...conv.map(Math.abs))).toBeLessThanOrEqual(0.6);
    expect(new Set(conv).size).toBe(36);
  });
});
