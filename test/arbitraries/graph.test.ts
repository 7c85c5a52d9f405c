import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, topoOrder } from '../../src/graph/graph.js';
import { isError } from '../../src/errors.js';
import { specOf } from '../../src/graph/registry.js';
import { numel } from '../../src/graph/tensor.js';
import { ARB_KINDS, MAX_NEURONS, arbGraph } from './graph.js';

describe('arbGraph', () => {
  for (const kinds of ['nir', 'all'] as const) {
    it(`produces 200 graphs analyze() accepts, covering every ${kinds} kind`, () => {
      const seen = new Map<string, number>();
      let recurrent = 0;
      let dags = 0;
      let f32 = 0;
      let f64 = 0;
      let optionalPresent = 0;
      let optionalAbsent = 0;
      const samples = fc.sample(arbGraph({ kinds }), { numRuns: 200, seed: kinds === 'nir' ? 1 : 2 });
      for (const g of samples) {
        const { shapes, diagnostics } = analyze(g);
        expect(diagnostics.filter(isError), JSON.stringify(diagnostics)).toEqual([]);
        expect(shapes).toBeDefined();
        for (const n of g.nodes) {
          seen.set(n.kind, (seen.get(n.kind) ?? 0) + 1);
          expect(numel(shapes!.output.get(n.name)!)).toBeLessThanOrEqual(MAX_NEURONS);
          if (!ARB_KINDS[kinds].includes(n.kind)) throw new Error(`kind ${n.kind} not allowed for '${kinds}'`);
          const rec = n as unknown as Record<string, unknown>;
          for (const f of specOf(n).fields) {
            const v = rec[f.name];
            if (f.type === 'tensor' && v) (v as { dtype: string }).dtype === 'float32' ? f32++ : f64++;
            if (f.optional) v === undefined ? optionalAbsent++ : optionalPresent++;
          }
        }
        if (topoOrder(g).backEdges.size > 0) recurrent++;
        const indeg = new Map<string, number>();
        for (const e of g.edges) indeg.set(e.to, (indeg.get(e.to) ?? 0) + 1);
        if ([...indeg.values()].some((k) => k > 1)) dags++;
      }
      expect([...ARB_KINDS[kinds]].filter((k) => (seen.get(k) ?? 0) < 5)).toEqual([]);
      expect(recurrent).toBeGreaterThan(10);
      expect(dags).toBeGreaterThan(10);
      expect(f32).toBeGreaterThan(50);
      expect(f64).toBeGreaterThan(50);
      expect(optionalPresent).toBeGreaterThan(20);
      expect(optionalAbsent).toBeGreaterThan(20);
    });
  }

  it('leaves metadata out when asked', () => {
    for (const g of fc.sample(arbGraph({ kinds: 'all', metadata: false }), { numRuns: 100, seed: 3 })) {
      expect(g.metadata).toBeUndefined();
      for (const n of g.nodes) expect(n.metadata).toBeUndefined();
    }
  });

  it('respects maxNodes and is reproducible from a seed', () => {
    const a = fc.sample(arbGraph({ kinds: 'all', maxNodes: 2 }), { numRuns: 50, seed: 7 });
    const b = fc.sample(arbGraph({ kinds: 'all', maxNodes: 2 }), { numRuns: 50, seed: 7 });
    expect(a).toEqual(b);
    for (const g of a) {
      // sources (≤ 2) + chain (≤ 2) + recurrent Linears (≤ 2) + side/final outputs (≤ 3)
      expect(g.nodes.length).toBeLessThanOrEqual(9);
      expect(analyze(g).diagnostics.filter(isError)).toEqual([]);
    }
  });
});
