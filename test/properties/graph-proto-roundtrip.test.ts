import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/graph/graph.js';
import { f32, f64 } from '../../src/graph/tensor.js';
import { decodeGraph, encodeGraph } from '../../src/io/proto/graph-codec.js';
import { arbGraph } from '../arbitraries/graph.js';
import { graphDifference } from '../arbitraries/graph-equal.js';

describe('Graph → .nmg → Graph', () => {
  it('random valid graphs of every kind survive bit-equal (dtypes, shapes, bytes, field presence, metadata)', () => {
    fc.assert(
      fc.property(arbGraph({ kinds: 'all' }), (g) => {
        const bytes = encodeGraph(g);
        const back = decodeGraph(bytes, 'rt.nmg');
        expect(graphDifference(g, back)).toBeUndefined();
        // deterministic: equal graphs give identical bytes
        expect(Buffer.from(encodeGraph(back)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps −0, subnormals and extreme finite values bit for bit, and the float32/float64 distinction', () => {
    const values = [-0, 0, 5e-324, -Number.MAX_VALUE, Number.MAX_VALUE, 1 / 3, -1e-310];
    const g: Graph = {
      nodes: [
        { kind: 'Input', name: 'in', shape: [values.length] },
        { kind: 'Scale', name: 's64', scale: f64(values) },
        { kind: 'Scale', name: 's32', scale: f32(values.map(Math.fround)) },
        { kind: 'Output', name: 'out', shape: [values.length] },
      ],
      edges: [{ from: 'in', to: 's64' }, { from: 's64', to: 's32' }, { from: 's32', to: 'out' }],
    };
    const back = decodeGraph(encodeGraph(g));
    expect(graphDifference(g, back)).toBeUndefined();
    const s64 = back.nodes[1] as { scale: { data: Float64Array } };
    expect(Object.is(s64.scale.data[0], -0)).toBe(true);
    expect(s64.scale.data[2]).toBe(5e-324);
  });

  it('the comparison itself notices a flipped sign of zero and a changed dtype', () => {
    const a: Graph = { nodes: [{ kind: 'Scale', name: 's', scale: f64([0]) }], edges: [] };
    expect(graphDifference(a, { nodes: [{ kind: 'Scale', name: 's', scale: f64([-0]) }], edges: [] })).toMatch(/bytes differ/);
    expect(graphDifference(a, { nodes: [{ kind: 'Scale', name: 's', scale: f32([0]) }], edges: [] })).toMatch(/float64.*float32|Float64Array vs Float32Array/);
    expect(graphDifference(a, { nodes: [{ kind: 'Scale', name: 's', scale: f64([0]), metadata: {} }], edges: [] })).toMatch(/keys differ/);
  });
});
