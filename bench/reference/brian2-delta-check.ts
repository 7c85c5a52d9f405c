/**
 * Brian2 ↔ neuromesh reference cross-check of delta synapses (bench/reference/README.md, section 3).
 *
 *   /usr/bin/python3 bench/reference/brian2_delta_export.py /tmp/bd/r5-zero 1 5 zero
 *   npx tsc -p tsconfig.json && node dist/bench/reference/brian2-delta-check.js /tmp/bd/r5-zero [more dirs…] [-o out.json]
 *
 * For every export: a CurrentLIF 'P' with receptors d (tau_syn 0: Brian2's on_pre='v += wd') and
 * inh (Brian2's gi), Brian2's exact synapses as SparseLinear 'Ce' → d and 'Ci' → inh (recurrent:
 * a spike of step s acts at s+1, as Brian2's on_pre does), Brian2's v0, integrator exact, dt 0.1 ms;
 * then the spike trains are compared event by event: the first step at which they differ, if any.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Graph, SparseLinearNode } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { readNpy } from '../../src/io/npy.js';
import { simulate } from '../../src/reference/simulate.js';

function npy(dir: string, name: string): Float64Array {
  const a = readNpy(new Uint8Array(readFileSync(join(dir, name))), name);
  return Float64Array.from(a.data as ArrayLike<number>);
}

/** CSR pre-major from (i, j) pairs; synapses of one pre keep Brian2's order. */
function csr(pre: Float64Array, post: Float64Array, n: number): Pick<SparseLinearNode, 'indptr' | 'indices'> {
  const indptr = new Int32Array(n + 1);
  for (const i of pre) indptr[i + 1]!++;
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i + 1]! + indptr[i]!;
  const fill = indptr.slice(0, n);
  const indices = new Int32Array(pre.length);
  for (let s = 0; s < pre.length; s++) indices[fill[pre[s]!]!++] = post[s]!;
  return { indptr, indices };
}

interface Brian { N: number; seed: number; steps: number; refractory_ms: number; reset: 'zero' | 'subtract'; taum: number; taui: number; Vt: number; Vr: number; El: number; wd: number; wi: number; spikes: number; brian2: string }

function check(dir: string): Record<string, unknown> {
  const b = JSON.parse(readFileSync(join(dir, 'brian2.json'), 'utf8')) as Brian;
  const N = b.N;
  const syn = (name: string, pre: string, post: string, w: number, receptor: number): SparseLinearNode => {
    const c = csr(npy(dir, pre), npy(dir, post), N);
    return { kind: 'SparseLinear', name, in_size: N, out_size: N, ...c, weight: f64(new Float64Array(c.indices.length).fill(w)), receptor };
  };
  const g: Graph = {
    nodes: [
      {
        kind: 'CurrentLIF', name: 'P', shape: [N], tau_mem: f64([b.taum]), v_rest: f64([b.El]), v_reset: f64([b.Vr]), v_threshold: f64([b.Vt]),
        t_ref: f64([b.refractory_ms * 1e-3]), tau_syn: f64([0, b.taui]), receptors: ['d', 'inh'], v_init: f64(npy(dir, 'v0.npy')),
      },
      syn('Ce', 'ce_i.npy', 'ce_j.npy', b.wd, 0),
      syn('Ci', 'ci_i.npy', 'ci_j.npy', b.wi, 1),
    ],
    edges: [{ from: 'P', to: 'Ce' }, { from: 'Ce', to: 'P' }, { from: 'P', to: 'Ci' }, { from: 'Ci', to: 'P' }],
  };
  const r = simulate(g, { steps: b.steps, dt: 1e-4, integrator: 'exact', reset: b.reset, inputs: new Map(), record: { spikes: ['P'] } });
  const key = (steps: ArrayLike<number>, neurons: ArrayLike<number>): string[] => Array.from(steps, (s, k) => `${s}:${neurons[k]}`).sort((x, y) => {
    const [a, c] = x.split(':').map(Number);
    const [d, e] = y.split(':').map(Number);
    return a! - d! || c! - e!;
  });
  const ours = key(r.spikes.get('P')!.steps, r.spikes.get('P')!.neurons);
  const theirs = key(npy(dir, 'spike_t_steps.npy'), npy(dir, 'spike_i.npy'));
  let first: string | null = null;
  for (let k = 0; k < Math.max(ours.length, theirs.length); k++) if (ours[k] !== theirs[k]) { first = `neuromesh ${ours[k] ?? '—'} vs Brian2 ${theirs[k] ?? '—'} (event ${k})`; break; }
  return { dir: basename(dir), seed: b.seed, refractoryMs: b.refractory_ms, reset: b.reset, brian2Spikes: theirs.length, neuromeshSpikes: ours.length, identical: first === null, firstDifference: first, brian2: b.brian2 };
}

const args = process.argv.slice(2);
const o = args.indexOf('-o');
const outFile = o >= 0 ? args[o + 1] : undefined;
const dirs = o >= 0 ? args.filter((_, k) => k !== o && k !== o + 1) : args;
const results = dirs.map(check);
const text = JSON.stringify({ what: 'delta synapses: neuromesh reference vs Brian2, spike for spike', results }, null, 1);
if (outFile) writeFileAtomic(outFile, text + '\n');
console.log(text);
