/**
 * Vogels–Abbott CUBA network exactly as bench/brian2 (README.md, brian_bench.py)
 * defines it, in volts and seconds:
 *
 *   one NeuronGroup P of N neurons (default 4000):
 *     dv/dt  = (ge + gi − (v − El)) / τm   (unless refractory)     τm = 20 ms, El = −49 mV
 *     dge/dt = −ge / τe,  dgi/dt = −gi / τi                         τe = 5 ms,  τi = 10 ms
 *     threshold v > Vt = −50 mV, reset v = Vr = −60 mV, refractory 5 ms
 *     v initialised uniformly in [Vr, Vt]
 *   Ce: P[:NE] → P, on_pre ge += we, connect(p)      NE = int(0.8·N)
 *   Ci: P[NE:] → P, on_pre gi += wi, connect(p)      p = fanout / N (fanout 80: CUBA's p = 0.02)
 *   we = wscale·(60·0.27/10) mV, wi = wscale·(−20·4.5/10) mV, wscale = 80 / fanout
 *
 * Here: one CurrentLIF node 'P' (receptors exc = 0 with τe, inh = 1 with τi) and two SparseLinear
 * self-projections over the whole population (in_size = N): 'Ce' has synapses only from rows < NE,
 * 'Ci' only from rows ≥ NE. Self-connections are allowed, as in Brian's connect(p=…).
 * Random draws (connectivity, v_init) come from the counter-based RNG: same seed, same network.
 *
 * Cross-check (03:20 UTC 2026-11-27, seed 12345): the reference simulator (integrator=exact,
 * dt = 0.1 ms, 1 s) gives 5.72 Hz and 1.83 M synaptic events; brian_bench.py reports 5.68 Hz and
 * 1.8 M events for Brian2 (README table).
 *
 *   node dist/examples/cuba.js [N] [fanout] [seed]   prints a summary
 */
import { pathToFileURL } from 'node:url';
import { currentLIF, fixedProbability, network, uniformInit } from '../src/graph/builder.js';
import type { Graph } from '../src/graph/graph.js';

export interface CubaOptions {
  /** Number of neurons (default 4000). */
  n?: number;
  /** Mean in-degree (default 80, i.e. p = 0.02 at N = 4000). */
  fanout?: number;
  /** Seed of the connectivity and of v_init (default 12345, brian_bench.py's default SEED). */
  seed?: number;
  /** Step used for delays (there are none; recorded in metadata). Default 1e-4 s. */
  dt?: number;
  /** Float dtype of parameters and weights (default float64). */
  dtype?: 'float32' | 'float64';
}

/** The parameters of brian_bench.py, in SI units. */
export const CUBA = {
  taum: 20e-3,
  taue: 5e-3,
  taui: 10e-3,
  Vt: -50e-3,
  Vr: -60e-3,
  El: -49e-3,
  refractory: 5e-3,
  /** Unscaled weights (fanout 80). */
  we80: (60 * 0.27) / 10 * 1e-3,
  wi80: (-20 * 4.5) / 10 * 1e-3,
} as const;

export function cubaSizes(n = 4000, fanout = 80): { N: number; NE: number; p: number; wscale: number; we: number; wi: number } {
  const p = fanout / n;
  const wscale = 80 / fanout;
  return { N: n, NE: Math.trunc(0.8 * n), p, wscale, we: wscale * CUBA.we80, wi: wscale * CUBA.wi80 };
}

export function buildCuba(opts: CubaOptions = {}): Graph {
  const { N, NE, p, we, wi } = cubaSizes(opts.n ?? 4000, opts.fanout ?? 80);
  const seed = opts.seed ?? 12345;
  if (!(p > 0 && p <= 1)) throw new RangeError(`fanout ${opts.fanout} / N ${N} gives connection probability ${p}, not in (0, 1]`);
  const net = network({ name: `cuba-${N}x${opts.fanout ?? 80}`, dtype: opts.dtype ?? 'float64' });
  const P = net.population('P', N, currentLIF({
    tau_mem: CUBA.taum,
    v_rest: CUBA.El,
    v_reset: CUBA.Vr,
    v_threshold: CUBA.Vt,
    t_ref: CUBA.refractory,
    tau_syn: { exc: CUBA.taue, inh: CUBA.taui },
    v_init: uniformInit(CUBA.Vr, CUBA.Vt, seed),
  }));
  net.projection(P.slice(0, NE), P, fixedProbability(p, seed), { weight: we, receptor: 'exc', name: 'Ce' });
  net.projection(P.slice(NE), P, fixedProbability(p, seed), { weight: wi, receptor: 'inh', name: 'Ci' });
  return net.toGraph({ dt: opts.dt ?? 1e-4 });
}

/** The scaled workload of brian_bench.py `big` (default 100,000 neurons × 100 synapses). */
export function buildBig(n = 100_000, fanout = 100, seed = 12345): Graph {
  return buildCuba({ n, fanout, seed });
}

function summary(g: Graph, ms: number): string {
  const lines: string[] = [];
  for (const node of g.nodes) {
    if (node.kind === 'CurrentLIF') lines.push(`  ${node.name}: CurrentLIF ${node.shape.join('×')} neurons, receptors ${(node.receptors ?? []).join(', ')}`);
    if (node.kind === 'SparseLinear') {
      lines.push(`  ${node.name}: SparseLinear ${node.in_size}→${node.out_size}, ${node.indices.length} synapses, receptor ${node.receptor}, weight ${(node.weight.data[0] ?? 0) * 1e3} mV`);
    }
  }
  const syn = g.nodes.reduce((a, n) => a + (n.kind === 'SparseLinear' ? n.indices.length : 0), 0);
  const neurons = g.nodes.reduce((a, n) => a + (n.kind === 'CurrentLIF' ? n.shape.reduce((x, y) => x * y, 1) : 0), 0);
  return [`CUBA: ${neurons} neurons, ${syn} synapses (mean in-degree ${(syn / neurons).toFixed(2)}), built in ${ms.toFixed(0)} ms`, ...lines].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [n, fanout, seed] = process.argv.slice(2).map(Number);
  const t0 = performance.now();
  const g = buildCuba({ ...(n ? { n } : {}), ...(fanout ? { fanout } : {}), ...(seed !== undefined && !Number.isNaN(seed) ? { seed } : {}) });
  console.log(summary(g, performance.now() - t0));
}
