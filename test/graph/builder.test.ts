import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import {
  allToAll, currentLIF, fixedProbability, fromList, ifNeuron, lif, network, oneToOne, uniformInit, type Connector,
} from '../../src/graph/builder.js';
import { analyze, type FlatNode, type Graph, type SparseLinearNode } from '../../src/graph/graph.js';

function proj(g: Graph, name: string): SparseLinearNode {
  const n = g.nodes.find((x) => x.name === name);
  if (!n || n.kind !== 'SparseLinear') throw new Error(`no SparseLinear ${name}`);
  return n;
}

function errorOf(f: () => unknown): NeuromeshError {
  try {
    f();
  } catch (e) {
    if (e instanceof NeuromeshError) return e;
    throw e;
  }
  throw new Error('expected a NeuromeshError');
}

/** Synapses of a projection as sorted [pre, post] pairs. */
function pairs(p: SparseLinearNode): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < p.in_size; i++) for (let s = p.indptr[i]!; s < p.indptr[i + 1]!; s++) out.push([i, p.indices[s]!]);
  return out;
}

const model = lif({ tau: 10e-3, v_threshold: 1 });

function twoPops(nA: number, nB: number, connector: Connector, extra: { weight?: number } = {}): Graph {
  const net = network();
  const a = net.population('A', nA, model);
  const b = net.population('B', nB, model);
  net.projection(a, b, connector, { weight: extra.weight ?? 0.5, name: 'AB' });
  return net.toGraph();
}

describe('connectors produce the exact synapses', () => {
  it('allToAll', () => {
    const p = proj(twoPops(3, 2, allToAll()), 'AB');
    expect(Array.from(p.indptr)).toEqual([0, 2, 4, 6]);
    expect(Array.from(p.indices)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(Array.from(p.weight.data)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect([p.in_size, p.out_size, p.receptor]).toEqual([3, 2, 0]);
  });
  it('allToAll without self-connections on a recurrent projection', () => {
    const net = network();
    const a = net.population('A', 3, model);
    net.projection(a, a, allToAll({ allowSelf: false }), { weight: 1, name: 'rec' });
    expect(pairs(proj(net.toGraph(), 'rec'))).toEqual([[0, 1], [0, 2], [1, 0], [1, 2], [2, 0], [2, 1]]);
  });
  it('oneToOne, and its size check', () => {
    expect(pairs(proj(twoPops(4, 4, oneToOne()), 'AB'))).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
    const e = errorOf(() => twoPops(4, 3, oneToOne()));
    expect(e.diagnostics[0]).toMatchObject({ code: 'E_BAD_CONNECTOR', node: 'AB' });
    expect(e.message).toMatch(/pre has 4 neurons and post 3/);
  });
  it('fromList keeps per-synapse weights and delays, grouped by pre in list order', () => {
    const net = network();
    const a = net.population('A', 3, model);
    const b = net.population('B', 2, model);
    net.projection(a, b, fromList([[2, 0, 0.5, 1e-3], [0, 1, 0.25, 0], [2, 1, 1, 3e-3]]), { name: 'L' });
    const p = proj(net.toGraph({ dt: 1e-3 }), 'L');
    expect(Array.from(p.indptr)).toEqual([0, 1, 1, 3]);
    expect(Array.from(p.indices)).toEqual([1, 0, 1]);
    expect(Array.from(p.weight.data)).toEqual([0.25, 0.5, 1]);
    expect(Array.from(p.delay!)).toEqual([0, 1, 3]);
  });
  it('property: fromList gives the list stably sorted by pre, with its weights', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(5), fc.nat(3), fc.integer({ min: -100, max: 100 })), { maxLength: 30 }), (list) => {
      const net = network();
      const a = net.population('A', 6, model);
      const b = net.population('B', 4, model);
      net.projection(a, b, fromList(list), { name: 'L' });
      const p = proj(net.toGraph(), 'L');
      const expected = list.map((t, k) => [...t, k] as const).sort((x, y) => x[0] - y[0] || x[3] - y[3]);
      expect(pairs(p)).toEqual(expected.map(([i, j]) => [i, j]));
      expect(Array.from(p.weight.data)).toEqual(expected.map(([, , w]) => w));
    }), { numRuns: 100 });
  });
    it('fromList refuses out-of-range indices naming the entry', () => {
    const net = network();
    const a = net.population('A', 3, model);
    const b = net.population('B', 2, model);
    const e = errorOf(() => net.projection(a, b, fromList([[0, 0], [1, 2]]), { weight: 1, name: 'L' }));
    expect(e.message).toMatch(/entry 1: post index 2 is out of range for 2 neurons/);
    expect(errorOf(() => net.projection(a, b, fromList([[0, 0], [1, 1, 0.5]]), { weight: 1 })).message).toMatch(/entry 1 has 3 columns/);
  });
  it('views offset indices into whole populations and leave other rows empty', () => {
    const net = network();
    const a = net.population('A', 5, model);
    const b = net.population('B', 4, model);
    net.projection(a.slice(2, 4), b.slice(1, 3), allToAll(), { weight: (i, j) => 10 * i + j, name: 'V' });
    const p = proj(net.toGraph(), 'V');
    expect(p.in_size).toBe(5);
    expect(p.out_size).toBe(4);
    expect(Array.from(p.indptr)).toEqual([0, 0, 0, 2, 4, 4]);
    expect(pairs(p)).toEqual([[2, 1], [2, 2], [3, 1], [3, 2]]);
    expect(Array.from(p.weight.data)).toEqual([0, 1, 10, 11]); // local (pre, post) indices
  });
  it('dense weight matrices index local [pre × post] and must have the right size', () => {
    const net = network();
    const a = net.population('A', 2, model);
    const b = net.population('B', 3, model);
    net.projection(a, b, fromList([[1, 2], [0, 0]]), { weight: [1, 2, 3, 4, 5, 6], name: 'D' });
    expect(Array.from(proj(net.toGraph(), 'D').weight.data)).toEqual([1, 6]);
    expect(errorOf(() => net.projection(a, b, allToAll(), { weight: [1, 2] })).message).toMatch(/dense 2×3 matrix/);
    expect(errorOf(() => net.projection(a, b, allToAll(), {})).message).toMatch(/needs a weight/);
  });
});

describe('fixedProbability', () => {
  it('is deterministic and independent of build order and of other projections', () => {
    const build = (order: 'xy' | 'yx', seed: number): Graph => {
      const net = network();
      const a = net.population('A', 300, model);
      const b = net.population('B', 200, model);
      const x = (): void => void net.projection(a, b, fixedProbability(0.1, seed), { weight: 1, name: 'X' });
      const y = (): void => void net.projection(b, a, fixedProbability(0.3, 99), { weight: 1, name: 'Y' });
      if (order === 'xy') { x(); y(); } else { y(); x(); }
      return net.toGraph();
    };
    const g1 = build('xy', 5);
    const g2 = build('yx', 5);
    expect(Array.from(proj(g1, 'X').indices)).toEqual(Array.from(proj(g2, 'X').indices));
    expect(Array.from(proj(g1, 'X').indptr)).toEqual(Array.from(proj(g2, 'X').indptr));
    expect(Array.from(proj(g1, 'Y').indices)).toEqual(Array.from(proj(g2, 'Y').indices));
    // another seed gives another network
    expect(Array.from(proj(build('xy', 6), 'X').indices)).not.toEqual(Array.from(proj(g1, 'X').indices));
  });
  it('depends only on (seed, projection name, global indices): a view sees the same rows', () => {
    const net = network();
    const a = net.population('A', 100, model);
    const b = net.population('B', 50, model);
    net.projection(a, b, fixedProbability(0.2, 3), { weight: 1, name: 'P' });
    const whole = pairs(proj(net.toGraph(), 'P'));
    const net2 = network();
    const a2 = net2.population('A', 100, model);
    const b2 = net2.population('B', 50, model);
    net2.projection(a2.slice(40, 60), b2, fixedProbability(0.2, 3), { weight: 1, name: 'P' });
    expect(pairs(proj(net2.toGraph(), 'P'))).toEqual(whole.filter(([i]) => i >= 40 && i < 60));
  });
  it('realised density is within statistical bounds, rows sorted without duplicates', () => {
    const nPre = 2000, nPost = 2000, p = 0.05;
    const pr = proj(twoPops(nPre, nPost, fixedProbability(p, 11)), 'AB');
    const n = pr.indices.length;
    const mean = nPre * nPost * p;
    const sd = Math.sqrt(mean * (1 - p));
    expect(Math.abs(n - mean)).toBeLessThan(5 * sd);
    let sumIdx = 0;
    let unsorted = 0;
    for (let i = 0; i < nPre; i++)
      for (let s = pr.indptr[i]!; s < pr.indptr[i + 1]!; s++) {
        if (s > pr.indptr[i]! && pr.indices[s]! <= pr.indices[s - 1]!) unsorted++;
        sumIdx += pr.indices[s]!;
      }
    expect(unsorted).toBe(0);
    // post indices uniform on 0..nPost−1: mean (nPost−1)/2, sd of the mean ≈ nPost/√12/√n
    expect(Math.abs(sumIdx / n - (nPost - 1) / 2)).toBeLessThan(5 * nPost / Math.sqrt(12 * n));
    // in-degree variance ≈ binomial nPre·p·(1−p)
    const indeg = new Float64Array(nPost);
    for (let s = 0; s < n; s++) indeg[pr.indices[s]!]!++;
    const m = indeg.reduce((a, b) => a + b, 0) / nPost;
    const v = indeg.reduce((a, b) => a + (b - m) ** 2, 0) / (nPost - 1);
    expect(v / (nPre * p * (1 - p))).toBeGreaterThan(0.85);
    expect(v / (nPre * p * (1 - p))).toBeLessThan(1.15);
  });
  it('every post position is connected with probability p (no edge bias in the skips)', () => {
    const nPre = 20000, nPost = 6, p = 0.3;
    const pr = proj(twoPops(nPre, nPost, fixedProbability(p, 2)), 'AB');
    const hits = new Float64Array(nPost);
    for (let s = 0; s < pr.indices.length; s++) hits[pr.indices[s]!]!++;
    const sd = Math.sqrt(nPre * p * (1 - p));
    for (let j = 0; j < nPost; j++) expect(Math.abs(hits[j]! - nPre * p)).toBeLessThan(5 * sd);
  });
  it('handles p = 0, p = 1, allowSelf = false, and refuses p outside [0, 1]', () => {
    expect(proj(twoPops(10, 10, fixedProbability(0, 1)), 'AB').indices.length).toBe(0);
    expect(proj(twoPops(10, 7, fixedProbability(1, 1)), 'AB').indices.length).toBe(70);
    const net = network();
    const a = net.population('A', 200, model);
    net.projection(a, a, fixedProbability(0.5, 1, { allowSelf: false }), { weight: 1, name: 'R' });
    expect(pairs(proj(net.toGraph(), 'R')).filter(([i, j]) => i === j)).toEqual([]);
    for (const bad of [-0.1, 1.5, Number.NaN]) expect(errorOf(() => twoPops(3, 3, fixedProbability(bad, 1))).diagnostics[0]!.field).toBe('p');
  });
  it('property: synapses always in range, indptr monotone, graph passes analyze()', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(1000), (a, b, p, seed) => {
      const g = twoPops(a, b, fixedProbability(p, seed));
      const pr = proj(g, 'AB');
      expect(analyze(g).diagnostics).toEqual([]);
      for (let i = 0; i < a; i++) expect(pr.indptr[i + 1]!).toBeGreaterThanOrEqual(pr.indptr[i]!);
      for (const j of pr.indices) expect(j >= 0 && j < b).toBe(true);
    }), { numRuns: 100 });
  });
});

describe('projections: delays, receptors, graph structure', () => {
  const receptorNet = () => {
    const net = network();
    const src = net.spikeSource('stim', 4, { rate: 10, seed: 1 });
    const P = net.population('P', 3, currentLIF({ tau_mem: 20e-3, v_rest: 0, v_reset: 0, v_threshold: 1, t_ref: 2e-3, tau_syn: { exc: 5e-3, inh: 10e-3 } }));
    return { net, src, P };
  };
  it('delays in seconds become steps with the dt given to toGraph', () => {
    const { net, src, P } = receptorNet();
    net.projection(src, P, allToAll(), { weight: 1, delay: (i) => (i + 1) * 1e-3, name: 'D' });
    expect(Array.from(proj(net.toGraph({ dt: 1e-3 }), 'D').delay!)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(Array.from(proj(net.toGraph({ dt: 5e-4 }), 'D').delay!)).toEqual([2, 2, 2, 4, 4, 4, 6, 6, 6, 8, 8, 8]);
    expect(proj(net.toGraph({ dt: 1e-4 }), 'D').delay!.length).toBe(12);
    expect(errorOf(() => net.projection(src, P, allToAll(), { weight: 1, delay: -1 })).diagnostics[0]!.field).toBe('delay');
    expect(errorOf(() => net.toGraph({ dt: 0 })).diagnostics[0]!.field).toBe('dt');
  });
  it('no delay option gives no delay array', () => {
    const { net, src, P } = receptorNet();
    net.projection(src, P, allToAll(), { weight: 1, name: 'D' });
    expect(proj(net.toGraph(), 'D').delay).toBeUndefined();
  });
  it('receptors by name and number; unknown names list the receptors', () => {
    const { net, src, P } = receptorNet();
    net.projection(src, P, allToAll(), { weight: 1, receptor: 'inh', name: 'I1' });
    net.projection(src, P, allToAll(), { weight: 1, receptor: 0, name: 'E1' });
    const g = net.toGraph();
    expect(proj(g, 'I1').receptor).toBe(1);
    expect(proj(g, 'E1').receptor).toBe(0);
    const e = errorOf(() => net.projection(src, P, allToAll(), { weight: 1, receptor: 'gaba' }));
    expect(e.message).toMatch(/no receptor named 'gaba'.*receptors: exc, inh/);
    expect(errorOf(() => net.projection(src, P, allToAll(), { weight: 1, receptor: 2 })).message).toMatch(/has 2 receptor/);
    const net2 = network();
    const a = net2.population('A', 2, model);
    expect(errorOf(() => net2.projection(a, a, allToAll(), { weight: 1, receptor: 'exc' })).diagnostics[0]!.field).toBe('receptor');
  });
  it('edges go pre → projection → post; several projections into one population pass analyze()', () => {
    const { net, src, P } = receptorNet();
    net.projection(src, P, allToAll(), { weight: 1, receptor: 'exc' });
    net.projection(P, P, fixedProbability(0.5, 1), { weight: -1, receptor: 'inh' });
    net.output('out', P);
    const g = net.toGraph();
    expect(g.edges).toEqual([
      { from: 'stim', to: 'stim_to_P' }, { from: 'stim_to_P', to: 'P' },
      { from: 'P', to: 'P_to_P' }, { from: 'P_to_P', to: 'P' }, { from: 'P', to: 'out' },
    ]);
    const a = analyze(g);
    expect(a.diagnostics).toEqual([]);
    expect(a.shapes!.output.get('P')).toEqual([3]);
    expect(a.shapes!.input.get('P')).toEqual([3]);
  });
  it('default projection names are made unique; duplicate explicit names are refused', () => {
    const { net, src, P } = receptorNet();
    expect(net.projection(src, P, allToAll(), { weight: 1 }).name).toBe('stim_to_P');
    expect(net.projection(src, P, allToAll(), { weight: 1 }).name).toBe('stim_to_P_2');
    expect(errorOf(() => net.population('P', 2, model)).diagnostics[0]!.code).toBe('E_DUPLICATE_NODE');
    expect(errorOf(() => net.projection(src, P, allToAll(), { weight: 1, name: 'P' })).diagnostics[0]!.code).toBe('E_DUPLICATE_NODE');
  });
});

describe('models and layers', () => {
  it('population parameters: numbers, arrays, functions, seeded uniform draws', () => {
    const net = network({ dtype: 'float32' });
    net.population('L', [2, 3], lif({ tau: 0.01, v_threshold: [1, 2, 3, 4, 5, 6], v_leak: (i) => -i }));
    net.population('C', 1000, currentLIF({ tau_mem: 0.02, v_rest: 0, v_reset: 0, v_threshold: 1, tau_syn: [5e-3], v_init: uniformInit(-1, 1, 7) }));
    const g = net.toGraph();
    const L = g.nodes[0] as Extract<FlatNode, { kind: 'LIF' }>;
    expect(L.tau.shape).toEqual([2, 3]);
    expect(L.tau.dtype).toBe('float32');
    expect(Array.from(L.v_threshold.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(L.v_leak.data)).toEqual([-0, -1, -2, -3, -4, -5]);
    const C = g.nodes[1] as Extract<FlatNode, { kind: 'CurrentLIF' }>;
    const v = Array.from(C.v_init!.data);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...v)).toBeLessThan(1);
    expect(Math.abs(v.reduce((a, b) => a + b, 0) / v.length)).toBeLessThan(0.1);
    expect(C.tau_mem.data.length).toBe(1); // scalars broadcast
    expect(C.receptors).toBeUndefined();
    expect(errorOf(() => net.population('bad', 3, lif({ tau: 0.01, v_threshold: [1, 2] }))).message).toMatch(/has 2 values for 3 neurons/);
  });
  it('spike sources: Poisson rate with seed, or a spike array', () => {
    const net = network();
    net.spikeSource('p', 4, { rate: [1, 2, 3, 4], seed: 9 });
    net.spikeSource('s', [2], { spikes: { shape: [3, 2], data: [0, 1, 1, 0, 2, 0] } });
    const g = net.toGraph();
    expect(g.nodes[0]).toMatchObject({ kind: 'SpikeSource', shape: [4], seed: 9 });
    const s = g.nodes[1]!;
    expect(s.kind === 'SpikeSource' && Array.from(s.spikes!.data)).toEqual([0, 1, 1, 0, 2, 0]);
    const bad = network();
    bad.spikeSource('s', 3, { spikes: { shape: [2, 2], data: [0, 0, 0, 0] } });
    expect(errorOf(() => bad.toGraph()).diagnostics[0]).toMatchObject({ code: 'E_SHAPE_MISMATCH', node: 's', field: 'spikes' });
  });
    it('toGraph reports invalid parameters through analyze()', () => {
    const net = network();
    net.population('L', 2, lif({ tau: -1, v_threshold: 1 }));
    expect(errorOf(() => net.toGraph()).diagnostics[0]).toMatchObject({ code: 'E_NON_POSITIVE', node: 'L', field: 'tau' });
  });
  it('layers infer shapes as they are added and report a mismatch at the layer', () => {
    const net = network();
    const x = net.input('x', [2, 4, 4]);
    const c = net.layer('conv', {
      kind: 'Conv2d', weight: { dtype: 'float64', shape: [3, 2, 3, 3], data: new Float64Array(54).fill(0.1) },
      bias: { dtype: 'float64', shape: [3], data: new Float64Array(3) }, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1,
    }, x);
    expect(c.shape).toEqual([3, 4, 4]);
    const s = net.layer('spk', ifNeuron({ v_threshold: 1 }), c);
    expect(s.shape).toEqual([3, 4, 4]);
    const f = net.layer('flat', { kind: 'Flatten', start_dim: 0, end_dim: -1 }, s);
    expect(f.shape).toEqual([48]);
    const e = errorOf(() => net.layer('fc', { kind: 'Linear', weight: { dtype: 'float64', shape: [2, 47], data: new Float64Array(94) } }, f));
    expect(e.diagnostics[0]).toMatchObject({ code: 'E_SHAPE_MISMATCH', node: 'fc' });
    net.output('y', f);
    expect(analyze(net.toGraph()).diagnostics).toEqual([]);
  });
  it('connect() checks names; node() adds complete nodes', () => {
    const net = network();
    const a = net.input('a', 3);
    const t = net.node({ kind: 'Threshold', name: 'thr', threshold: { dtype: 'float64', shape: [3], data: Float64Array.of(0, 0, 0) } }, a);
    expect(t.shape).toEqual([3]);
    expect(errorOf(() => net.connect(a, 'nope')).diagnostics[0]!.code).toBe('E_UNKNOWN_NODE');
    expect(errorOf(() => a.slice(2, 5)).message).toMatch(/slice \[2, 5\)/);
  });
});
