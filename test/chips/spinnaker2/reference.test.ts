import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runGolden } from '../../../chips/spinnaker2/golden.js';
import { runChip } from '../../../chips/spinnaker2/run.js';
import { resolveArithmetic } from '../../../src/chip/arithmetic.js';
import type { Network } from '../../../src/chip/program.js';
import { analyze, type Graph } from '../../../src/graph/graph.js';
import { numel } from '../../../src/graph/tensor.js';
import { scaleVoltages } from '../../../src/graph/weight-scale.js';
import { loadAnalyzed } from '../../../src/io/load.js';
import { parseInputSpecs, type StepInput } from '../../../src/io/spikes.js';
import { simulate } from '../../../src/reference/index.js';
import { fixture } from '../../helpers/shared.js';
import { arbNetwork } from './arb-network.js';
import { buildKernels, compileFor } from './helpers.js';
import { quantizationOf } from '../../../chips/spinnaker2/mapping/index.js';

beforeAll(() => buildKernels());

describe('LIF fixture in the configuration of lif_spinnaker2.csv', () => {
  it('spikes at 460, 510, 710, 760 and the voltage trace within 1e-4 after unit conversion', async () => {
    const { graph, shapes } = await loadAnalyzed(fixture('lif', 'lif_norse.nir'));
    const csv = fixture('lif', 'lif_spinnaker2.csv');
    const inputs = await parseInputSpecs([`trace:${csv}`], graph, shapes, {});
    // fixtures README: Euler, reset to zero, weights and threshold × 102.02 (--weight-scale 102.02)
    const K = 102.02;
    const g = scaleVoltages(graph, K);
    const c = compileFor(g, { integrator: 'euler', reset: 'zero' });
    const lif = c.program.populations.find((p) => p.kind === 'LIF')!;
    const r = await runChip(c.program, c.profile, { steps: 1000, inputs, trace: [lif.name] });
    expect(Array.from(r.spikes.get(lif.name)!.steps)).toEqual([460, 510, 710, 760]);
    const rows = readFileSync(csv, 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
    expect(rows.length).toBe(1000);
    const csvSpikes = rows.flatMap((row, t) => (row[2] === 1 ? [t] : []));
    expect(csvSpikes).toEqual([460, 510, 710, 760]);
    // the CSV saves v/102.02 of a model whose voltage is the NIR model's × τ/dt = 25
    const tauOverDt = 0.0025 / 1e-4;
    const tr = r.traces.get(lif.name)!;
    let worst = 0;
    for (let t = 0; t < 1000; t++) worst = Math.max(worst, Math.abs(tr[t]! / K - rows[t]![1]! / tauOverDt));
    expect(worst).toBeLessThan(1e-4);
    // and something happened: the trace is not flat
    expect(Math.max(...tr) / K).toBeGreaterThan(0.09);
  });
});

/**
 * Dense 0/1 input per Input node, and the same shifted one step later for the chip: the chip
 * applies input spikes in the tick they occur, the reference with delay 1 one step later, so
 * chip(x shifted by one) and reference(x) see the same input at every step.
 */
function denseInputs(g: Graph, steps: number, seed: number): { ref: Map<string, StepInput>; chip: Map<string, StepInput> } {
  const { shapes } = analyze(g);
  const ref = new Map<string, StepInput>();
  const chip = new Map<string, StepInput>();
  let h = seed * 2654435761;
  for (const n of g.nodes) {
    if (n.kind !== 'Input') continue;
    const size = numel(shapes!.output.get(n.name)!);
    const data = new Float32Array(steps * size);
    for (let k = 0; k < data.length; k++) {
      h = (Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) + k) >>> 0;
      data[k] = h % 10 < 3 ? 1 : 0;
    }
    ref.set(n.name, { kind: 'dense', node: n.name, size, steps, data });
    const shifted = new Float32Array((steps + 1) * size);
    shifted.set(data, size);
    chip.set(n.name, { kind: 'dense', node: n.name, size, steps: steps + 1, data: shifted });
  }
  return { ref, chip };
}

/**
 * Error bound of a graded layer's v from the formats: every multiply rounds (≤ 1 state LSB), each
 * coefficient is off by ≤ ½ coefficient LSB, each weight by ≤ ½ LSB of its shifted format, the bias
 * and v_leak by ≤ ½ state LSB; errors decay with the layer's own decay (a ≤ 1).
 */
function bound(net: Network, pop: number, refIn: (t: number) => Float64Array, refV: (t: number) => Float64Array, refI: ((t: number) => Float64Array) | undefined, steps: number, dt: number, shifts: number[][], F: number, CF: number): Float64Array[] {
  const p = net.populations[pop]!;
  const n = p.size;
  const lsb = 2 ** -F;
  const dc = 2 ** -(CF + 1);
  const at = (a: Float64Array | undefined, k: number, d = 0): number => (a === undefined ? d : a.length === 1 ? a[0]! : a[k]!);
  // |Δx| per neuron and step: Σ over incoming synapses of spikes × weight error
  const wErr = 2 ** (shifts[pop]![0]! - F - 1);
  const incoming = net.projections.filter((pr) => pr.post === pop);
  const out: Float64Array[] = [];
  const e = new Float64Array(n);
  const ei = new Float64Array(n);
  for (let t = 0; t < steps; t++) {
    const dx = new Float64Array(n).fill(lsb); // the ring sum → state conversion is exact; bias rounding ≤ ½ LSB, plus slack
    for (const pr of incoming) {
      const spikes = refIn(t);
      for (let i = 0; i < spikes.length; i++) if (spikes[i]) for (let s = pr.indptr[i]!; s < pr.indptr[i + 1]!; s++) dx[pr.target[s]!]! += spikes[i]! * wErr;
    }
    const v = refV(t);
    const x = new Float64Array(n);
    for (const pr of incoming) {
      const spikes = refIn(t);
      for (let i = 0; i < spikes.length; i++) if (spikes[i]) for (let s = pr.indptr[i]!; s < pr.indptr[i + 1]!; s++) x[pr.target[s]!]! += spikes[i]! * pr.weight[s]!;
    }
    if (p.bias) for (let k = 0; k < n; k++) x[k]! += p.bias[k]!;
    for (let k = 0; k < n; k++) {
      const r = at(p.params.r, k);
      if (p.kind === 'LI') {
        const a = 1 - dt / at(p.params.tau, k);
        const g = r * (1 - a);
        e[k] = a * e[k]! + 3 * lsb + Math.abs(v[k]! - at(p.params.v_leak, k)) * dc + (Math.abs(x[k]!) + dx[k]!) * dc + Math.abs(g) * dx[k]!;
      } else if (p.kind === 'I') {
        e[k] = e[k]! + lsb + (Math.abs(x[k]!) + dx[k]!) * dc + Math.abs(r) * dx[k]!;
      } else {
        const as = 1 - dt / at(p.params.tau_syn, k);
        const am = 1 - dt / at(p.params.tau_mem, k);
        const win = at(p.params.w_in, k, 1);
        const i = refI!(t)[k]!;
        ei[k] = as * ei[k]! + lsb + Math.abs(i) * dc + (Math.abs(x[k]!) + dx[k]!) * dc + Math.abs(win * (1 - as)) * dx[k]!;
        const g = r * (1 - am);
        e[k] = am * e[k]! + 3 * lsb + Math.abs(v[k]! - at(p.params.v_leak, k)) * dc + (Math.abs(i) + ei[k]!) * dc + Math.abs(g) * ei[k]!;
      }
    }
    out.push(Float64Array.from(e));
  }
  return out;
}

describe('chip ≈ float64 reference within the formats’ error bound', () => {
  it('graded layers (LI, I, CubaLI) on random weights and inputs stay within the derived bound, and golden agrees', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(arbNetwork({ referenceSafe: true, maxLayers: 1, lastKinds: ['LI', 'I', 'CubaLI'] }), fc.integer({ min: 1, max: 1e6 }), async (g, seed) => {
        const steps = 50;
        const { ref } = denseInputs(g, steps, seed);
        const c = compileFor(g, { integrator: 'euler' });
        const pop = c.network.populations.findIndex((p) => p.role === 'neuron');
        const name = c.network.populations[pop]!.name;
        const rr = simulate(g, { ...c.program.config, delay: 0, steps, seed: 0, inputs: ref, record: { traces: [{ node: name, var: 'v' }, ...(c.network.populations[pop]!.kind === 'CubaLI' ? [{ node: name, var: 'i' }] : [])] } });
        const cr = await runChip(c.program, c.profile, { steps, inputs: ref, trace: [name], workers: 1 });
        const gold = runGolden(c.network, c.profile, c.program.config, { steps, inputs: ref });
        const ar = resolveArithmetic(c.profile);
        const n = c.network.populations[pop]!.size;
        const refV = rr.traces.get(name)!.get('v')!.values;
        const refI = rr.traces.get(name)!.get('i')?.values;
        const srcName = c.network.populations[c.network.projections.find((p) => p.post === pop)!.pre]!.name;
        const src = ref.get(srcName)!;
        const inAt = (t: number): Float64Array => (src.kind === 'dense' ? Float64Array.from(src.data.subarray(t * src.size, (t + 1) * src.size)) : new Float64Array(0));
        // one layer fed by the input: the chip's same-tick input is the reference's delay 0
        const b = bound(c.network, pop, inAt, (t) => refV.subarray(t * n, (t + 1) * n), refI ? (t) => refI.subarray(t * n, (t + 1) * n) : undefined, steps, c.program.config.dt, quantizationOf(c).shifts, ar.state.fracBits, ar.coefficient.fracBits);
        const tr = cr.traces.get(name)!;
        for (let t = 0; t < steps; t++)
          for (let k = 0; k < n; k++) {
            const chipV = tr[t * n + k]!;
            const err = Math.abs(chipV - refV[t * n + k]!);
            if (err > b[t]![k]!) expect.fail(`${name} (${c.network.populations[pop]!.kind}) v[${t}][${k}]: chip ${chipV}, reference ${refV[t * n + k]}, |error| ${err} > bound ${b[t]![k]}`);
            expect(Math.round(chipV * 2 ** ar.state.fracBits)).toBe(gold.v.get(name)![t]![k]);
          }
        checked++;
      }),
      { numRuns: 10, seed: 7, endOnFailure: true },
    );
    expect(checked).toBe(10);
  });
});
