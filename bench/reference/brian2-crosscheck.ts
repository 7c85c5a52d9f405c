/**
 * Brian2 ↔ neuromesh reference cross-check on Vogels–Abbott CUBA (bench/reference/README.md).
 *
 *   /usr/bin/python3 bench/reference/brian2_cuba_export.py /tmp/brian-cuba-12345 12345
 *   npx tsc -p tsconfig.json && node dist/bench/reference/brian2-crosscheck.js /tmp/brian-cuba-12345 [more dirs…] [-o out.json]
 *
 * For every Brian2 export directory: build CUBA with buildCuba() (CurrentLIF 'P', SparseLinear
 * 'Ce' → receptor exc, 'Ci' → receptor inh), replace its connectivity by Brian2's exact (i, j)
 * synapses (CSR pre-major) and its initial voltages by Brian2's v0, run the float64 reference with
 * integrator 'exact' (Brian2's method='exact'), dt = 0.1 ms, 10,000 steps, and compare population
 * rates and the per-neuron spike-count correlation. The network is chaotic: individual spikes
 * diverge after a few tens of ms, so only statistics are compared (rates within a few percent).
 */
import { readFileSync } from 'node:fs';
import { cpus, hostname, loadavg } from 'node:os';
import { join } from 'node:path';
import { backendFor, loadProfile } from '../../chips/index.js';
import { compile } from '../../compiler/index.js';
import { counterTotals } from '../../src/cost/model.js';
import { buildCuba } from '../../examples/cuba.js';
import type { CurrentLIFNode, Graph, SparseLinearNode } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { readNpy } from '../../src/io/npy.js';
import { simulate } from '../../src/reference/simulate.js';

const N = 4000;
const NE = 3200;
const STEPS = 10_000;
const DT = 1e-4;

function npy(dir: string, name: string): Float64Array {
  const a = readNpy(new Uint8Array(readFileSync(join(dir, name))), name);
  return Float64Array.from(a.data as ArrayLike<number>);
}

/** CSR pre-major from (i, j) pairs (and per-synapse delays in steps); synapses of one pre keep Brian2's order. */
function csr(pre: Float64Array, post: Float64Array, weight: number, nIn = N, delays?: Float64Array): Pick<SparseLinearNode, 'indptr' | 'indices' | 'weight' | 'delay'> {
  const indptr = new Int32Array(nIn + 1);
  for (const i of pre) indptr[i + 1]!++;
  for (let i = 0; i < nIn; i++) indptr[i + 1] = indptr[i + 1]! + indptr[i]!;
  const fill = indptr.slice(0, nIn);
  const indices = new Int32Array(pre.length);
  const delay = delays ? new Int32Array(pre.length) : undefined;
  for (let s = 0; s < pre.length; s++) {
    const at = fill[pre[s]!]!++;
    indices[at] = post[s]!;
    if (delay) delay[at] = delays![s]!;
  }
  return { indptr, indices, weight: f64(new Float64Array(pre.length).fill(weight)), ...(delay ? { delay } : {}) };
}

/**
 * The delays-drive variant: Brian2's recurrent delays on Ce/Ci, and its PoissonGroup drive as a
 * SpikeSource 'X' (Brian2's own spike trains) through SparseLinear 'Cx' onto receptor exc.
 * Timing: Brian2 applies on_pre after the state update of the step a spike is delivered in, so a
 * drive spike of step s first moves v at step s+1 — in neuromesh an edge into CurrentLIF acts in
 * the same step, hence Cx delays of 1 step. A recurrent spike of step s with delay d steps is
 * delivered by Brian2 in step s+d and acts from s+d+1; in neuromesh Ce outputs it at s+d and the
 * cycle-closing edge Ce → P adds the step: the same s+d+1.
 */
function addDelaysAndDrive(g: Graph, dir: string, Ce: SparseLinearNode, Ci: SparseLinearNode, we: number, NX: number): void {
  Object.assign(Ce, csr(npy(dir, 'ce_i.npy'), npy(dir, 'ce_j.npy'), we, N, npy(dir, 'ce_d.npy')));
  // Ci's weight as it is now (CUBA's wi, or the delta variant's own)
  Object.assign(Ci, csr(npy(dir, 'ci_i.npy'), npy(dir, 'ci_j.npy'), Ci.weight.data[0]!, N, npy(dir, 'ci_d.npy')));
  const xs = npy(dir, 'x_spike_t_steps.npy');
  const xi = npy(dir, 'x_spike_i.npy');
  const spikes = new Float64Array(STEPS * NX);
  for (let k = 0; k < xs.length; k++) spikes[xs[k]! * NX + xi[k]!]! += 1;
  g.nodes.push({ kind: 'SpikeSource', name: 'X', shape: [NX], spikes: f64(spikes, [STEPS, NX]) });
  const cx = csr(npy(dir, 'x_i.npy'), npy(dir, 'x_j.npy'), we, NX);
  g.nodes.push({ kind: 'SparseLinear', name: 'Cx', in_size: NX, out_size: N, ...cx, delay: new Int32Array(cx.indices.length).fill(1), receptor: 0 });
  g.edges.push({ from: 'X', to: 'Cx' }, { from: 'Cx', to: 'P' });
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let k = 0; k < n; k++) {
    ma += a[k]!;
    mb += b[k]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let k = 0; k < n; k++) {
    const x = a[k]! - ma;
    const y = b[k]! - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Population rate (Hz) per 10 ms bin, and the step of the first divergence of spike trains. */
function binned(steps: ArrayLike<number>, bins: number, perBin: number): number[] {
  const r = new Array<number>(bins).fill(0);
  for (let k = 0; k < steps.length; k++) r[Math.floor(steps[k]! / perBin)]! += 1;
  return r.map((x) => x / N / (perBin * DT));
}

function firstDifference(a: { steps: ArrayLike<number>; neurons: ArrayLike<number> }, b: { steps: ArrayLike<number>; neurons: ArrayLike<number> }): number {
  // both sorted by (step, neuron)
  const n = Math.min(a.steps.length, b.steps.length);
  for (let k = 0; k < n; k++) if (a.steps[k] !== b.steps[k] || a.neurons[k] !== b.neurons[k]) return Math.min(a.steps[k]!, b.steps[k]!);
  return n < Math.max(a.steps.length, b.steps.length) ? (a.steps[n] ?? b.steps[n])! : STEPS;
}

/**
 * The same network on the spinnaker2 chip (auto weight scale, delay 1, 2 workers). The chip adds
 * one step to every edge into a neuron (a spike sent in tick t is processed in tick t+1), so a
 * recurrent synapse of d steps is given d − 1 there, and the drive's one step of delay is taken by
 * the chip's own: the timing is then Brian2's. Rates are compared, not spikes (fixed point).
 */
async function chipRates(g: Graph, bRate: number): Promise<Record<string, unknown>> {
  const chipGraph: Graph = {
    ...g,
    nodes: g.nodes.map((n) => (n.kind === 'SparseLinear' && n.delay ? { ...n, delay: Int32Array.from(n.delay, (d) => Math.max(0, d - 1)) } : n)),
  };
  const backend = backendFor(loadProfile('spinnaker2'));
  const t0 = performance.now();
  const c = compile(chipGraph, backend, { config: { dt: DT, integrator: 'exact', delay: 1 }, weightScale: 'auto' });
  const r = await backend.run(c.program, { steps: STEPS, workers: 2 });
  const wall = (performance.now() - t0) / 1000;
  let total = 0;
  let exc = 0;
  const P = r.spikes.get('P')!;
  for (let i = 0; i < P.neurons.length; i++) {
    total++;
    if (P.neurons[i]! < NE) exc++;
  }
  const rate = total / N / (STEPS * DT);
  const saturations = counterTotals(r.counters)['saturations'] ?? 0;
  return {
    rateHz: rate, rateExcHz: exc / NE / (STEPS * DT), rateInhHz: (total - exc) / (N - NE) / (STEPS * DT), spikes: total,
    rateRelativeDifference: (rate - bRate) / bRate, weightScale: c.program.weightScale ?? 1, saturations, wallS: wall,
  };
}

export async function crossCheck(dir: string): Promise<Record<string, unknown>> {
  const brian = JSON.parse(readFileSync(join(dir, 'brian2.json'), 'utf8')) as Record<string, number | string>;
  const g: Graph = buildCuba({ n: N, fanout: 80 });
  const P = g.nodes.find((n) => n.name === 'P') as CurrentLIFNode;
  const Ce = g.nodes.find((n) => n.name === 'Ce') as SparseLinearNode;
  const Ci = g.nodes.find((n) => n.name === 'Ci') as SparseLinearNode;
  const we = Ce.weight.data[0]!;
  const wi = Ci.weight.data[0]!;
  const variant = String(brian.variant ?? 'plain');
  if (variant === 'delta-delays') {
    // delta synapses: tau_syn 0 on both receptors, Brian2's own weights (v += w)
    P.tau_syn = f64([0, 0]);
    Ci.weight = f64([Number(brian.wi_volt)]);
    addDelaysAndDrive(g, dir, Ce, Ci, Number(brian.we_volt), Number(brian.NX));
  } else if (variant === 'delays-drive') addDelaysAndDrive(g, dir, Ce, Ci, we, Number(brian.NX));
  else {
    Object.assign(Ce, csr(npy(dir, 'ce_i.npy'), npy(dir, 'ce_j.npy'), we));
    Object.assign(Ci, csr(npy(dir, 'ci_i.npy'), npy(dir, 'ci_j.npy'), wi));
  }
  P.v_init = f64(npy(dir, 'v0.npy'));
  const bCounts = npy(dir, 'counts.npy');
  const bSteps = npy(dir, 'spike_t_steps.npy');
  const bNeurons = npy(dir, 'spike_i.npy');
  // Brian2's monitor lists spikes by time; sort by (step, neuron) like neuromesh
  const order = Array.from(bSteps.keys()).sort((x, y) => bSteps[x]! - bSteps[y]! || bNeurons[x]! - bNeurons[y]!);
  const bSorted = { steps: order.map((k) => bSteps[k]!), neurons: order.map((k) => bNeurons[k]!) };

  const t0 = performance.now();
  const r = simulate(g, { steps: STEPS, dt: DT, integrator: 'exact', inputs: new Map(), record: { spikes: ['P'] } });
  const wall = (performance.now() - t0) / 1000;
  const counts = r.counts.get('P')!;
  let total = 0;
  let exc = 0;
  for (let k = 0; k < N; k++) {
    total += counts[k]!;
    if (k < NE) exc += counts[k]!;
  }
  const rate = total / N / (STEPS * DT);
  const rateExc = exc / NE / (STEPS * DT);
  const rateInh = (total - exc) / (N - NE) / (STEPS * DT);
  const bRate = Number(brian.rate_hz);
  // the same network with forward Euler: not Brian2's method, so spikes diverge, rates should not
  const re = simulate(g, { steps: STEPS, dt: DT, integrator: 'euler', inputs: new Map(), record: { spikes: ['P'] } });
  const eulerCounts = re.counts.get('P')!;
  const eulerRate = re.totals.spikes / N / (STEPS * DT);
  const nmBins = binned(r.spikes.get('P')!.steps, 100, 100);
  const bBins = binned(bSteps, 100, 100);
  return {
    brian2Dir: dir,
    variant,
    seed: brian.seed,
    synapses: Ce.indices.length + Ci.indices.length,
    brian2: { engine: brian.engine, version: brian.brian2, rateHz: bRate, rateExcHz: brian.rate_exc_hz, rateInhHz: brian.rate_inh_hz, spikes: brian.spikes, runS: brian.t_run_s },
    neuromesh: { rateHz: rate, rateExcHz: rateExc, rateInhHz: rateInh, spikes: total, wallS: wall, synapticEvents: r.totals.synapticEvents },
    rateRelativeDifference: (rate - bRate) / bRate,
    perNeuronCountCorrelation: pearson(counts, bCounts),
    binnedRate10msCorrelation: pearson(nmBins, bBins),
    identicalSpikeTrainsUntilStep: firstDifference(r.spikes.get('P')!, bSorted),
    chip: await chipRates(g, bRate),
    euler: {
      rateHz: eulerRate,
      rateRelativeDifference: (eulerRate - bRate) / bRate,
      perNeuronCountCorrelation: pearson(eulerCounts, bCounts),
      identicalSpikeTrainsUntilStep: firstDifference(re.spikes.get('P')!, bSorted),
    },
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const args = process.argv.slice(2);
  const oi = args.indexOf('-o');
  const out = oi >= 0 ? args[oi + 1] : undefined;
  const dirs = args.filter((_, k) => oi < 0 || (k !== oi && k !== oi + 1));
  if (!dirs.length) {
    console.error('usage: node dist/bench/reference/brian2-crosscheck.js BRIAN_EXPORT_DIR… [-o out.json]');
    process.exit(2);
  }
  const runs: Record<string, unknown>[] = [];
  for (const d of dirs) {
    const c = await crossCheck(d);
    const b = c.brian2 as { rateHz: number };
    const m = c.neuromesh as { rateHz: number; wallS: number };
    console.log(`${d}: Brian2 ${b.rateHz.toFixed(3)} Hz, neuromesh ${m.rateHz.toFixed(3)} Hz (${(100 * (c.rateRelativeDifference as number)).toFixed(2)} %), ` +
      `per-neuron count r = ${(c.perNeuronCountCorrelation as number).toFixed(3)}, 10 ms rate r = ${(c.binnedRate10msCorrelation as number).toFixed(3)}, ` +
      `identical spikes until step ${c.identicalSpikeTrainsUntilStep}, neuromesh ${m.wallS.toFixed(2)} s; chip: ${JSON.stringify(c.chip)}; euler: ${JSON.stringify(c.euler)}`);
    runs.push(c);
  }
  const doc = {
    schema: 'neuromesh/bench-brian2-crosscheck@1',
    config: { workload: 'Vogels-Abbott CUBA, 4000 neurons, p = 0.02, 1 s (variant delays-drive: recurrent delays U[1, 3] ms and a 400 × 10 Hz Poisson drive, p = 0.05; delta-delays: the same with delta synapses, v += 0.5 mV / −2.5 mV); chip: spinnaker2, auto weight scale, delay 1 with each synaptic delay one step shorter, 2 workers', dt: DT, steps: STEPS, integrator: 'exact', engine: 'reference-float64' },
    runs,
    host: { date: new Date().toISOString(), node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpu: cpus()[0]?.model, hostname: hostname(), loadavg: loadavg() },
  };
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (out) writeFileAtomic(out, text);
  else process.stdout.write(text);
}
