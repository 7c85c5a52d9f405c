import fc from 'fast-check';
import type { Edge, FlatNode, Graph } from '../../../src/graph/graph.js';
import { f64 } from '../../../src/graph/tensor.js';

/**
 * Random small networks every spinnaker2 compile accepts: an Input (sometimes a SpikeSource too)
 * → 1–3 layers, each an Affine/Linear (sometimes through a Delay) into a neuron population of a
 * random kind (IF, LIF, CubaLIF, Threshold, CurrentLIF fed by a SparseLinear on a random receptor, which
 * is now and then a delta receptor (tau_syn 0, as is a CubaLIF's/CubaLI's tau_syn now and then);
 * graded LI, I, CubaLI only as the last layer), sometimes a recurrent Linear into a spiking layer,
 * and an Output on the last layer. Parameters vary per neuron.
 */
export interface ArbNetOptions {
  /** Only feed-forward, no Delay nodes, no Threshold, no CurrentLIF (what the float reference compares with directly). */
  referenceSafe?: boolean;
  /** Force the kind of the last layer. */
  lastKinds?: readonly string[];
  /** Largest number of layers (default 3). */
  maxLayers?: number;
}

const SPIKING = ['IF', 'LIF', 'CubaLIF', 'Threshold', 'CurrentLIF'] as const;
const GRADED = ['LI', 'I', 'CubaLI'] as const;

export function arbNetwork(opts: ArbNetOptions = {}): fc.Arbitrary<Graph> {
  return fc.gen().map((gen) => {
    const int = (lo: number, hi: number): number => gen(fc.integer, { min: lo, max: hi });
    const real = (lo: number, hi: number): number => lo + ((hi - lo) * gen(fc.integer, { min: 0, max: 1_000_000 })) / 1_000_000;
    const bool = (p: number): boolean => real(0, 1) < p;
    const vec = (n: number, lo: number, hi: number): number[] => Array.from({ length: n }, () => real(lo, hi));
    const nodes: FlatNode[] = [];
    const edges: Edge[] = [];
    const nIn = int(1, 8);
    nodes.push({ kind: 'Input', name: 'in', shape: [nIn] });
    const sources: { name: string; size: number }[] = [{ name: 'in', size: nIn }];
    if (!opts.referenceSafe && bool(0.3)) {
      const n = int(1, 5);
      nodes.push({ kind: 'SpikeSource', name: 'spk', shape: [n], rate: f64(vec(n, 100, 3000)), seed: int(0, 99) });
      sources.push({ name: 'spk', size: n });
    }
    const layers = int(1, opts.maxLayers ?? 3);
    let prev = sources[0]!;
    for (let l = 0; l < layers; l++) {
      const last = l === layers - 1;
      let pool: readonly string[] = last ? [...SPIKING, ...GRADED] : SPIKING;
      if (opts.referenceSafe) pool = pool.filter((k) => k !== 'Threshold' && k !== 'CurrentLIF');
      if (last && opts.lastKinds) pool = opts.lastKinds;
      const kind = pool[int(0, pool.length - 1)]!;
      const n = int(1, 9);
      const name = `p${l}`;
      const tau = (): ReturnType<typeof f64> => (bool(0.5) ? f64([real(2e-4, 0.05)]) : f64(vec(n, 2e-4, 0.05)));
      // tau_syn 0: a delta synapse (CurrentLIF receptor; CubaLI/CubaLIF a_syn = 0), not in the reference-safe error bound
      const tauSyn = (): ReturnType<typeof f64> => (!opts.referenceSafe && bool(0.2) ? f64([0]) : tau());
      const r = f64(bool(0.5) ? [real(0.2, 3)] : vec(n, 0.2, 3));
      const th = f64(bool(0.5) ? [real(0.05, 2)] : vec(n, 0.05, 2));
      const vl = f64([bool(0.5) ? 0 : real(-0.5, 0.5)]);
      const reset = bool(0.5) ? { v_reset: f64(vec(n, -0.3, 0.1)) } : {};
      let node: FlatNode;
      switch (kind) {
        case 'IF': node = { kind, name, r, v_threshold: th, ...reset }; break;
        case 'I': node = { kind, name, r }; break;
        case 'LIF': node = { kind, name, tau: tau(), r, v_leak: vl, v_threshold: th, ...reset }; break;
        case 'LI': node = { kind, name, tau: tau(), r, v_leak: vl }; break;
        case 'CubaLIF': node = { kind, name, tau_syn: tauSyn(), tau_mem: tau(), r, v_leak: vl, v_threshold: th, ...reset, ...(bool(0.5) ? { w_in: f64([real(0.5, 2)]) } : {}) }; break;
        case 'CubaLI': node = { kind, name, tau_syn: tauSyn(), tau_mem: tau(), r, v_leak: vl }; break;
        case 'Threshold': node = { kind, name, threshold: th }; break;
        default: node = {
          kind: 'CurrentLIF', name, shape: [n], tau_mem: tau(), v_rest: f64([real(-0.2, 0.2)]), v_reset: f64([real(-0.3, 0)]),
          v_threshold: f64([real(0.3, 1.5)]), t_ref: f64(bool(0.5) ? [real(0, 1e-3)] : vec(n, 0, 1e-3)), tau_syn: f64(vec(2, 3e-4, 0.02).map((t) => (bool(0.25) ? 0 : t))), receptors: ['exc', 'inh'],
          ...(bool(0.5) ? { v_init: f64(vec(n, -0.2, 0.2)) } : {}),
        };
      }
      nodes.push(node);
      const feeds = l === 0 ? sources : [prev, ...(bool(0.2) ? [sources[0]!] : [])];
      feeds.forEach((src, j) => {
        const w = vec(n * src.size, -1.5, 1.5).map((x) => (bool(0.2) ? 0 : x));
        const conn = `${name}.w${j}`;
        if (kind === 'CurrentLIF') {
          // CSR from a dense matrix [n, src] into in-major rows
          const indptr = [0];
          const indices: number[] = [];
          const weight: number[] = [];
          for (let i = 0; i < src.size; i++) {
            for (let k = 0; k < n; k++) if (w[k * src.size + i] !== 0) {
              indices.push(k);
              weight.push(w[k * src.size + i]!);
            }
            indptr.push(indices.length);
          }
          nodes.push({ kind: 'SparseLinear', name: conn, in_size: src.size, out_size: n, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), weight: f64(weight), receptor: int(0, 1) } as FlatNode);
        } else if (bool(0.5)) nodes.push({ kind: 'Affine', name: conn, weight: f64(w, [n, src.size]), bias: f64(vec(n, -0.3, 0.3)) });
        else nodes.push({ kind: 'Linear', name: conn, weight: f64(w, [n, src.size]) });
        edges.push({ from: src.name, to: conn });
        if (!opts.referenceSafe && kind !== 'CurrentLIF' && bool(0.25)) {
          const d = `${name}.d${j}`;
          nodes.push({ kind: 'Delay', name: d, delay: f64([int(1, 4) * 1e-4]) });
          edges.push({ from: conn, to: d }, { from: d, to: name });
        } else edges.push({ from: conn, to: name });
      });
      if (!opts.referenceSafe && (kind === 'IF' || kind === 'LIF' || kind === 'CubaLIF') && bool(0.3)) {
        const rec = `${name}.rec`;
        nodes.push({ kind: 'Linear', name: rec, weight: f64(vec(n * n, -0.8, 0.8), [n, n]) });
        edges.push({ from: name, to: rec }, { from: rec, to: name });
      }
      prev = { name, size: n };
    }
    nodes.push({ kind: 'Output', name: 'out', shape: [prev.size] });
    edges.push({ from: prev.name, to: 'out' });
    return { nodes, edges };
  });
}
