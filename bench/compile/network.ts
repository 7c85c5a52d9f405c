import type { Edge, FlatNode, Graph } from '../../src/graph/graph.js';
import { bitsAt, hashName, streamKey } from '../../src/random/counter-rng.js';

/**
 * A synthetic network for the compile bench, built directly as a Graph of LIF populations joined
 * by SparseLinear projections (no dependency on the builder API):
 *   - populations of `popSize` LIF neurons (the last one smaller if needed);
 *   - population p receives from populations p, p+1, p+2 and p+P/2 (mod P): a recurrent, locally
 *     structured network where placement matters;
 *   - every projection has a fixed fan-in of `fanIn` (default 25) random pre-synaptic neurons per
 *     post neuron, so every neuron has 4·fanIn = 100 incoming synapses;
 *   - weights uniform in ±0.5, drawn from the counter-based generator (deterministic).
 */
export function syntheticNetwork(neurons: number, opts: { popSize?: number; fanIn?: number; seed?: number } = {}): Graph {
  const popSize = opts.popSize ?? 10_000;
  const fanIn = opts.fanIn ?? 25;
  const P = Math.max(1, Math.ceil(neurons / popSize));
  const sizes = Array.from({ length: P }, (_, p) => Math.min(popSize, neurons - p * popSize));
  const nodes: FlatNode[] = [];
  const edges: Edge[] = [];
  const scalar = (v: number) => ({ dtype: 'float32' as const, shape: [1], data: Float32Array.of(v) });
  for (let p = 0; p < P; p++)
    // a per-neuron threshold gives the population its size (it is fed only through cycles)
    nodes.push({ kind: 'LIF', name: `pop${p}`, tau: scalar(0.02), r: scalar(1), v_leak: scalar(0), v_threshold: { dtype: 'float32', shape: [sizes[p]!], data: new Float32Array(sizes[p]!).fill(1) } });
  for (let p = 0; p < P; p++) {
    const sources = [...new Set([p, (p + 1) % P, (p + 2) % P, (p + Math.floor(P / 2)) % P])];
    // keep 4 projections even when P is small (repeat sources) so every neuron has 4·fanIn inputs
    while (sources.length < 4) sources.push(sources[sources.length % Math.max(1, sources.length)]!);
    sources.forEach((q, k) => {
      const name = `proj${q}_${p}_${k}`;
      const pre = sizes[q]!;
      const post = sizes[p]!;
      const key = streamKey(opts.seed ?? 1, 2, hashName(name));
      // post-major draw, then counting sort into pre-major CSR
      const n = post * fanIn;
      const preOf = new Uint32Array(n);
      const count = new Uint32Array(pre + 1);
      for (let j = 0; j < post; j++)
        for (let f = 0; f < fanIn; f++) {
          const i = Math.floor((bitsAt(key, j, f) / 4294967296) * pre);
          preOf[j * fanIn + f] = i;
          count[i + 1]!++;
        }
      for (let i = 0; i < pre; i++) count[i + 1]! += count[i]!;
      const fill = count.slice(0, pre);
      const indices = post <= 65536 ? new Uint16Array(n) : new Uint32Array(n);
      const weight = new Float32Array(n);
      for (let j = 0; j < post; j++)
        for (let f = 0; f < fanIn; f++) {
          const s = fill[preOf[j * fanIn + f]!]!++;
          indices[s] = j;
          weight[s] = bitsAt(key, j, f + fanIn) / 4294967296 - 0.5;
        }
      nodes.push({
        kind: 'SparseLinear', name, in_size: pre, out_size: post, indptr: count, indices,
        weight: { dtype: 'float32', shape: [n], data: weight }, receptor: 0,
      });
      edges.push({ from: `pop${q}`, to: name }, { from: name, to: `pop${p}` });
    });
  }
  return { nodes, edges };
}
