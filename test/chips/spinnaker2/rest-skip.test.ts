/**
 * Cores at rest (no input in the slot, every neuron at v_rest with zero currents, not refractory)
 * skip their CurrentLIF update (chips/spinnaker2/kernel-rest.ts). The skip must be invisible:
 * kernels ≡ golden model bit for bit (spikes, v every step, synaptic events), and the same
 * counters and per-tick cycles as with the skip turned off.
 */
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runGolden } from '../../../chips/spinnaker2/golden.js';
import { runChip, type ChipRunResult } from '../../../chips/spinnaker2/run.js';
import { resolveArithmetic } from '../../../src/chip/arithmetic.js';
import { expandStepRuns } from '../../../src/chip/step-runs.js';
import type { Edge, FlatNode, Graph } from '../../../src/graph/graph.js';
import { f64 } from '../../../src/graph/tensor.js';
import type { StepInput } from '../../../src/io/spikes.js';
import { profileWith } from '../../compiler/helpers.js';
import { buildKernels, expectRunEqualsGolden, tryCompile } from './helpers.js';

const base = {
  chip: { usablePesPerChip: { value: 3, unit: 'PE', assumed: 'test: spread over chips' } },
  limits: { maxNeuronsPerCore: { value: 4, unit: 'neuron', assumed: 'test: many slices' } },
  placement: { annealMovesPerSlice: { value: 5, unit: 'move', assumed: 'test' } },
};
const PROFILES = {
  // round half up: the WebAssembly / specialised loops
  nearest: profileWith('spinnaker2-48', base),
  // floor multiplies: the generic loop
  floor: profileWith('spinnaker2-48', { ...base, arithmetic: { multiply: { decay: 'floor', input: 'floor' } } }),
};

/** Input → 1–2 CurrentLIF layers, most neurons starting exactly at v_rest, fed sparsely: many cores sit at rest for many ticks. */
const arbQuiet = fc.gen().map((gen) => {
  const int = (lo: number, hi: number): number => gen(fc.integer, { min: lo, max: hi });
  const real = (lo: number, hi: number): number => lo + ((hi - lo) * int(0, 1_000_000)) / 1_000_000;
  const nodes: FlatNode[] = [];
  const edges: Edge[] = [];
  const nIn = int(1, 4);
  nodes.push({ kind: 'Input', name: 'in', shape: [nIn] });
  let prev = { name: 'in', size: nIn };
  const layers = int(1, 2);
  for (let l = 0; l < layers; l++) {
    const n = int(4, 14);
    const name = `p${l}`;
    const vRest = Array.from({ length: n }, () => real(-0.2, 0.2));
    // a few neurons start off rest: their cores never skip until they settle (they may never)
    const vInit = vRest.map((v) => (int(0, 9) === 0 ? v + real(-0.1, 0.1) : v));
    nodes.push({
      kind: 'CurrentLIF', name, shape: [n], tau_mem: f64([real(2e-3, 0.03)]), v_rest: f64(vRest),
      // v_reset = v_rest now and then: a neuron leaves refractoriness at rest with its currents still decaying
      v_reset: f64(int(0, 2) > 0 ? vRest : [real(-0.3, 0)]),
      v_threshold: f64([real(0.05, 0.5)]), t_ref: f64([int(0, 2) === 0 ? 0 : real(2e-4, 1.5e-3)]),
      // a short tau_syn empties a current in one step (refractory neurons at rest), a long one keeps it
      tau_syn: f64(((kind) => [0, 1].map((r) => (kind === 0 || kind === r + 1 ? 1e-5 : real(1e-3, 0.03))))(int(0, 2))), receptors: ['exc', 'inh'],
      v_init: f64(vInit),
    } as FlatNode);
    const indptr = [0];
    const indices: number[] = [];
    const weight: number[] = [];
    // each input reaches only a few targets: the other cores get nothing from it
    for (let i = 0; i < prev.size; i++) {
      const fan = int(0, 3);
      for (let j = 0; j < fan; j++) {
        indices.push(int(0, n - 1));
        weight.push(real(-2, 12));
      }
      indptr.push(indices.length);
    }
    const conn = `${name}.w`;
    nodes.push({ kind: 'SparseLinear', name: conn, in_size: prev.size, out_size: n, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), weight: f64(weight), receptor: int(0, 1) } as FlatNode);
    edges.push({ from: prev.name, to: conn }, { from: conn, to: name });
    prev = { name, size: n };
  }
  nodes.push({ kind: 'Output', name: 'out', shape: [prev.size] });
  edges.push({ from: prev.name, to: 'out' });
  return { nodes, edges } as Graph;
});

function fingerprint(r: ChipRunResult): string {
  const d = expandStepRuns(r.stepRuns, r.steps);
  return [r.counters, d.cycles, d.core, d.route].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')).join('|');
}

afterEach(() => {
  delete process.env.NEUROMESH_REST_SKIP;
});

describe('CurrentLIF cores at rest skip their update, invisibly', () => {
  beforeAll(() => buildKernels());

  for (const [label, profile] of Object.entries(PROFILES))
    it(`random quiet networks (${label} multiplies): kernels ≡ golden, same counters and cycles as without the skip`, async () => {
      let skips = 0;
      let spikes = 0;
      await fc.assert(
        fc.asyncProperty(arbQuiet, fc.integer({ min: 0, max: 1000 }), fc.boolean(), fc.constantFrom('integrate' as const, 'drop' as const), fc.integer({ min: 20, max: 1500 }),
          async (g, seed, subtract, refractoryInput, rateHz) => {
            const c = tryCompile(g, profile);
            if (!c) throw new Error('the compiler refused a quiet network');
            const cfg = { ...c.program.config, reset: subtract ? ('subtract' as const) : ('zero' as const), refractoryInput };
            const program = { ...c.program, config: cfg };
            const steps = 100;
            const inputs = new Map<string, StepInput>([['in', { kind: 'poisson', node: 'in', size: (g.nodes[0] as { shape: number[] }).shape[0]!, rateHz, seed }]]);
            const neurons = program.populations.filter((p) => p.role === 'neuron').map((p) => p.name);
            const chip = await runChip(program, profile, { steps, inputs, trace: neurons, workers: 2, seed });
            process.env.NEUROMESH_REST_SKIP = '0';
            const noSkip = await runChip(program, profile, { steps, inputs, trace: neurons, workers: 2, seed });
            delete process.env.NEUROMESH_REST_SKIP;
            expect(noSkip.restSkips).toBe(0);
            expect(fingerprint(chip)).toBe(fingerprint(noSkip));
            const gold = runGolden(c.network, profile, cfg, { steps, inputs, seed });
            spikes += expectRunEqualsGolden(chip, gold, profile, steps);
            skips += chip.restSkips;
          }),
        { numRuns: 20, seed: 20261202, endOnFailure: true },
      );
      // the property exercised the skip, and the networks were not silent
      expect(skips).toBeGreaterThan(100);
      expect(spikes).toBeGreaterThan(0);
    }, 120_000);
});
