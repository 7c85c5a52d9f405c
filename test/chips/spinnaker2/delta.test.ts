import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/index.js';
import { runChip } from '../../../chips/spinnaker2/run.js';
import { compareExact, compareTolerance } from '../../../src/check/index.js';
import type { Edge, FlatNode, Graph } from '../../../src/graph/graph.js';
import { f64 } from '../../../src/graph/tensor.js';
import { decodeProgram, encodeProgram } from '../../../src/io/proto/program-codec.js';
import { simulate } from '../../../src/reference/index.js';
import { backend, profileWith } from '../../compiler/helpers.js';
import { buildKernels, expectKernelsEqualGolden } from './helpers.js';
import { CHIPS } from '../../../chips/index.js';

/**
 * Delta receptors on spinnaker2 (docs/semantics.md §2): a CurrentLIF receptor with tau_syn 0 adds
 * its ring input (after its shift, saturated) to v; it has no current, no c and no decay code.
 */

const small = profileWith('spinnaker2-48', {
  chip: { usablePesPerChip: { value: 3, unit: 'PE', assumed: 'test: spread over chips' } },
  limits: { maxNeuronsPerCore: { value: 4, unit: 'neuron', assumed: 'test: many slices' } },
});

function sparse(name: string, inSize: number, outSize: number, w: (i: number, k: number) => number, receptor: number, delay?: (i: number, k: number) => number): FlatNode {
  const indptr = [0];
  const indices: number[] = [];
  const weight: number[] = [];
  const delays: number[] = [];
  for (let i = 0; i < inSize; i++) {
    for (let k = 0; k < outSize; k++) {
      const x = w(i, k);
      if (x === 0) continue;
      indices.push(k);
      weight.push(x);
      if (delay) delays.push(delay(i, k));
    }
    indptr.push(indices.length);
  }
  return {
    kind: 'SparseLinear', name, in_size: inSize, out_size: outSize, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices),
    weight: f64(weight), receptor, ...(delay ? { delay: Int32Array.from(delays) } : {}),
  } as FlatNode;
}

/** A SpikeSource into a CurrentLIF P (receptors of random kinds, at least one delta), P recurrent on a delta receptor. */
const arbDeltaNet = fc.gen().map((gen): Graph => {
  const int = (lo: number, hi: number): number => gen(fc.integer, { min: lo, max: hi });
  const real = (lo: number, hi: number): number => lo + ((hi - lo) * int(0, 1_000_000)) / 1_000_000;
  const R = int(1, 3);
  const deltaAt = int(0, R - 1);
  const tauSyn = Array.from({ length: R }, (_, r) => (r === deltaAt || int(0, 2) === 0 ? 0 : real(3e-4, 0.02)));
  const nIn = int(1, 6);
  const n = int(2, 11);
  const nodes: FlatNode[] = [
    { kind: 'SpikeSource', name: 'src', shape: [nIn], rate: f64(Array.from({ length: nIn }, () => real(300, 3000))), seed: int(0, 99) },
    {
      kind: 'CurrentLIF', name: 'P', shape: [n], tau_mem: f64([real(5e-4, 0.02)]), v_rest: f64([real(-0.2, 0.2)]), v_reset: f64(Array.from({ length: n }, () => real(-0.3, 0))),
      v_threshold: f64([real(0.3, 1.2)]), t_ref: f64([int(0, 3) * 1e-4]), tau_syn: f64(tauSyn),
    },
  ];
  const edges: Edge[] = [];
  for (let r = 0; r < R; r++) {
    nodes.push(sparse(`in${r}`, nIn, n, () => (int(0, 3) === 0 ? 0 : real(-0.6, 1.6)), r));
    edges.push({ from: 'src', to: `in${r}` }, { from: `in${r}`, to: 'P' });
  }
  // P → P on the delta receptor, sometimes with synaptic delays: inputs the step after a spike
  const withDelay = int(0, 1) === 1;
  nodes.push(sparse('rec', n, n, () => (int(0, 2) === 0 ? 0 : real(-0.8, 0.8)), deltaAt, withDelay ? () => int(0, 2) : undefined));
  edges.push({ from: 'P', to: 'rec' }, { from: 'rec', to: 'P' });
  nodes.push({ kind: 'Output', name: 'out', shape: [n] });
  edges.push({ from: 'P', to: 'out' });
  return { nodes, edges };
});

// a SpikeSource of 6 neurons drives 8 CurrentLIF neurons through a delta receptor and a current
// receptor, and P excites itself through the delta receptor one step later; weights are multiples
// of 1/16, which the chip holds exactly
function designed(): Graph {
  const n = 8;
  return {
    nodes: [
      { kind: 'SpikeSource', name: 'src', shape: [6], rate: f64([900, 700, 1200, 500, 800, 1000]), seed: 4 },
      sparse('Cd', 6, n, (i, k) => ((i + k) % 3 === 0 ? 0 : ((i * 7 + k * 3) % 5) / 16 + 0.125), 0),
      sparse('Ce', 6, n, (i, k) => ((i + 2 * k) % 4 === 0 ? 0.75 : 0), 1),
      {
        kind: 'CurrentLIF', name: 'P', shape: [n], tau_mem: f64([0.01]), v_rest: f64([0]), v_reset: f64([0]), v_threshold: f64([1]),
        t_ref: f64([2e-4]), tau_syn: f64([0, 5e-3]), receptors: ['d', 'exc'],
      },
      sparse('rec', n, n, (i, k) => (i !== k && (i + k) % 2 === 1 ? 0.1875 : 0), 0),
      { kind: 'Output', name: 'out', shape: [n] },
    ],
    edges: [
      { from: 'src', to: 'Cd' }, { from: 'Cd', to: 'P' }, { from: 'src', to: 'Ce' }, { from: 'Ce', to: 'P' },
      { from: 'P', to: 'rec' }, { from: 'rec', to: 'P' }, { from: 'P', to: 'out' },
    ],
  };
}

describe('spinnaker2 delta receptors', () => {
  beforeAll(() => buildKernels());

  it('kernels ≡ golden model (bit-exact spikes and v codes) on recurrent networks with delta receptors, both resets', async () => {
    let spikes = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(arbDeltaNet, fc.integer({ min: 0, max: 1000 }), fc.boolean(), async (g, seed, subtract) => {
        const r = await expectKernelsEqualGolden(g, small, { seed, subtract, steps: 60 });
        spikes += r.spikes;
        runs++;
      }),
      { numRuns: 16, seed: 20261202, endOnFailure: true },
    );
    expect(runs).toBe(16);
    expect(spikes).toBeGreaterThan(100);
  }, 120_000);

  // zero reset puts v back to v_reset at every spike, so the chip's rounding of the decay does not
  // build up: spike for spike (measured: the zero-reset runs agree over all 400 steps). With subtract
  // it accumulates (euler: at step 56 v is 0.99968 in the reference and, 4e-4 higher after the chip's
  // rounding, above 1 on the chip — measured), so those runs are held to the chip's declared
  // reference tolerance, as conformance holds every model.
  for (const integrator of ['euler', 'exact'] as const) {
    for (const reset of ['zero', 'subtract'] as const) {
      it(`chip vs float64 reference on a small delta network (${integrator}, ${reset}): ${reset === 'zero' ? 'spike for spike' : 'within the declared tolerance'}`, async () => {
        const g = designed();
        const b = backend('spinnaker2');
        const c = compile(g, b, { seed: 0, config: { delay: 1, integrator, reset } });
        expect(c.diagnostics.filter((d) => d.code === 'W_PARAM_ROUNDING')).toEqual([]);
        const steps = 400;
        const chip = await runChip(c.program, b.profile, { steps, workers: 2, seed: 1 });
        const ref = simulate(g, { ...c.program.config, delay: 1, steps, seed: 1, sourceLead: b.reference.sourceLead, inputs: new Map() });
        const nSpikes = ref.spikes.get('P')!.steps.length;
        expect(nSpikes).toBeGreaterThan(50);
        const v = reset === 'zero' ? compareExact(chip.spikes, ref.spikes) : compareTolerance(chip.spikes, ref.spikes, b.reference.tolerance);
        expect(v.ok, JSON.stringify(v.difference)).toBe(true);
      }, 60_000);
    }
  }

  it('a delta receptor has c and ar codes of 0 and no rounding warning; the program flags it and survives the .nmp codec', async () => {
    const g = designed();
    const cur = g.nodes.find((x) => x.name === 'P') as Extract<FlatNode, { kind: 'CurrentLIF' }>;
    // receptor 1 gets a τ the chip rounds badly (see parameter-rounding.test.ts): only it is reported
    cur.tau_syn = f64([0, 1e-6]);
    cur.tau_mem = f64([0.02]);
    const b = backend('spinnaker2');
    const c = compile(g, b, { seed: 0, config: { delay: 1, integrator: 'exact' } });
    const w = c.diagnostics.filter((d) => d.code === 'W_PARAM_ROUNDING');
    expect(w.map((d) => [d.node, d.field])).toEqual([['P', 'c']]);
    expect(w[0]!.message).toMatch(/element (8|9|1\d)\b/); // receptor 1 · 8 neurons + k
    const pop = c.program.populations.find((p) => p.name === 'P')!;
    const codes = pop.coefficients!;
    expect(Array.from(codes.delta!)).toEqual([1, 0]);
    expect(Array.from(codes.c!.subarray(0, 8))).toEqual(new Array(8).fill(0));
    expect(codes.c!.subarray(8).some((x) => x !== 0)).toBe(true);
    expect(codes.ar![0]).toBe(0);
    // a model without delta receptors keeps the program it had (no delta flag)
    cur.tau_syn = f64([2e-3, 5e-3]);
    const plain = compile(g, b, { seed: 0, config: { delay: 1 } });
    expect(Object.hasOwn(plain.program.populations.find((p) => p.name === 'P')!.coefficients!, 'delta')).toBe(false);
    // the flag travels in the .nmp: the decoded program runs the same
    const codec = CHIPS.find((f) => f.id === 'spinnaker2')!.codec;
    const back = decodeProgram(encodeProgram(c.program, codec), (f) => (f === 'spinnaker2' ? codec : undefined));
    const a = await runChip(c.program, b.profile, { steps: 200, workers: 1, seed: 1 });
    const d = await runChip(back as typeof c.program, b.profile, { steps: 200, workers: 1, seed: 1 });
    expect(a.spikes.get('P')!.steps.length).toBeGreaterThan(0);
    expect(Array.from(d.spikes.get('P')!.steps)).toEqual(Array.from(a.spikes.get('P')!.steps));
    expect(Array.from(d.spikes.get('P')!.neurons)).toEqual(Array.from(a.spikes.get('P')!.neurons));
  }, 60_000);
});
