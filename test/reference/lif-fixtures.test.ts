import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, type Graph } from '../../src/graph/graph.js';
import { readNir } from '../../src/io/nir.js';
import { parseInputSpecs } from '../../src/io/spikes.js';
import { simulate, type RunResult } from '../../src/reference/simulate.js';
import { fixture } from '../helpers/shared.js';

/**
 * The NIR paper's single-LIF test (fixtures/nir-paper/lif): 1000 steps of dt = 1e-4 s driven by
 * column 0 of lif_exact.csv, run with the defaults of docs/semantics.md §1 (euler, reset zero, delay 0).
 *
 * Step alignment: row t of a `lif_<platform>.csv` holds, for step t = [t·dt, (t+1)·dt), the input
 * spike of that step, the membrane voltage at the END of the step (time (t+1)·dt) and whether the
 * neuron spiked in the step. Our recorded v after step t is the same point in time: it already
 * contains the input of step t (edges act within the step, delay 0) and is read after reset. The
 * exact solution treats input row t as a current pulse of the step: one spike alone gives
 * v = 1 − e^(−dt/τ) = 0.03921 in the row of the spike (lif_exact.csv row 60), which is precisely
 * our `exact` integrator (a = e^(−dt/τ), R·x·(1 − a)); `euler` gives 1 − (1 − dt/τ) = 0.04.
 * The only place where the two must differ under `exact` is after a spike: the event-driven exact
 * solution resets at the threshold crossing inside the step and integrates the rest of the step
 * (row 460 holds 0.0062, not 0), whereas docs/semantics.md resets v to 0 at the end of the step.
 */

const STEPS = 1000;

function exactCsv(): number[][] {
  return readFileSync(fixture('lif', 'lif_exact.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
}

async function run(file: string, extra: { integrator?: 'euler' | 'exact'; record?: string[] } = {}): Promise<{ g: Graph; r: RunResult }> {
  const g = await readNir(fixture('lif', file));
  const { shapes } = analyze(g);
  const inputs = await parseInputSpecs([`trace:${fixture('lif', 'lif_exact.csv')}`], g, shapes!);
  const neurons = g.nodes.filter((n) => n.kind === 'LIF').map((n) => n.name);
  const r = simulate(g, {
    steps: STEPS, dt: 1e-4, inputs, ...(extra.integrator ? { integrator: extra.integrator } : {}),
    record: { spikes: [...neurons, ...g.nodes.filter((n) => n.kind === 'Output').map((n) => n.name)], traces: neurons.map((node) => ({ node, var: 'v' })) },
  });
  return { g, r };
}

function spikeSteps(r: RunResult, node: string): number[] {
  return Array.from(r.spikes.get(node)!.steps);
}

/** Max |v − v_exact| over rows [from, to). */
function maxErr(v: Float64Array, ref: number[][], from: number, to: number): { err: number; at: number } {
  let err = 0;
  let at = -1;
  for (let t = from; t < to; t++) {
    const e = Math.abs(v[t]! - ref[t]![1]!);
    if (e > err) {
      err = e;
      at = t;
    }
  }
  return { err, at };
}

describe('NIR-paper LIF fixtures', () => {
  it('lif_norse.nir spikes at exactly 460, 510, 710, 760 like the exact solution, and its voltage tracks lif_exact.csv', async () => {
    const ref = exactCsv();
    const exactSpikes = ref.flatMap((row, t) => (row[2] === 1 ? [t] : []));
    expect(exactSpikes).toEqual([460, 510, 710, 760]);
    const { r } = await run('lif_norse.nir');
    // node '1' is the LIF, 'output' the Output port fed by it
    expect(spikeSteps(r, '1')).toEqual(exactSpikes);
    expect(spikeSteps(r, 'output')).toEqual(exactSpikes);
    const v = r.traces.get('1')!.get('v')!.values;
    expect(v.length).toBe(STEPS);
    // the first input spike (row 60): euler adds R·x·(1 − a) = dt/τ = 0.04 (τ is float32 0.0025)
    expect(ref[60]![0]).toBe(1);
    expect(v[59]).toBe(0);
    expect(v[60]).toBeCloseTo(1e-4 / Math.fround(0.0025), 12);
    const before = maxErr(v, ref, 0, 460);
    const all = maxErr(v, ref, 0, STEPS);
    console.log(`lif_norse euler: max |v − v_exact| = ${before.err.toExponential(3)} before the first spike (step ${before.at}), ${all.err.toExponential(3)} over all 1000 steps (step ${all.at}); peak v_exact = 0.1056`);
    // euler's per-spike jump is 2 % larger than the exact one: errors of a few 1e-3 on a 0.1 scale
    expect(before.err).toBeGreaterThan(1e-4);
    expect(before.err).toBeLessThan(5e-3);
    expect(all.err).toBeLessThan(1e-2);
  });

  it('with --integrator exact the voltage equals lif_exact.csv up to the first in-step reset', async () => {
    const ref = exactCsv();
    const { r } = await run('lif_norse.nir', { integrator: 'exact' });
    const v = r.traces.get('1')!.get('v')!.values;
    expect(spikeSteps(r, '1')).toEqual([460, 510, 710, 760]);
    const before = maxErr(v, ref, 0, 460);
    const all = maxErr(v, ref, 0, STEPS);
    console.log(`lif_norse exact: max |v − v_exact| = ${before.err.toExponential(3)} before the first spike, ${all.err.toExponential(3)} overall (step ${all.at}: the exact solution resets inside the step)`);
    // τ and v_threshold are float32 in the file; the CSV is float64: agreement to ~1e-8
    expect(before.err).toBeLessThan(1e-7);
    // after the reset the exact solution keeps the in-step remainder (0.0062 at row 460)
    expect(all.at).toBeGreaterThanOrEqual(460);
    expect(all.err).toBeCloseTo(ref[460]![1]!, 3);
  });

  it('lif_rockpool.nir (Linear w = 0.04, r = 24.02) spikes at 460, 520, 720, 780 under docs/semantics.md', async () => {
    // Per input spike the LIF gains R·w·(1 − a) = 24.0197·0.04·0.04 = 0.03843, 3.9 % less than
    // Norse's 0.04, so the later spikes each need one more input spike (10 steps apart in this
    // stimulus). Rockpool's own run (lif_rockpool.csv) spikes at 450, 500, 710, 760: it uses a
    // different discretisation; the README lists it among the platforms that disagree.
    const { g, r } = await run('lif_rockpool.nir');
    const lif = g.nodes.find((n) => n.kind === 'LIF')!;
    expect(lif.name).toBe('1_LIFNeuronTorch');
    const got = spikeSteps(r, lif.name);
    // independent scalar re-computation of §2 from the file's parameters and the stimulus
    const ref = exactCsv();
    const tau = Math.fround(0.0025);
    const R = Math.fround(24.019737243652344);
    const w = Math.fround(0.04);
    const th = Math.fround(0.1);
    const a = 1 - 1e-4 / tau;
    let v = 0;
    const expected: number[] = [];
    for (let t = 0; t < STEPS; t++) {
      v = 0 + (v - 0) * a + R * (w * ref[t]![0]!) * (1 - a);
      if (v > th) {
        expected.push(t);
        v = 0;
      }
    }
    expect(expected).toEqual([460, 520, 720, 780]);
    expect(got).toEqual(expected);
    const rockpool = readFileSync(fixture('lif', 'lif_rockpool.csv'), 'utf8').trim().split('\n').flatMap((l, t) => (Number(l.split(',')[2]) === 1 ? [t] : []));
    expect(rockpool).toEqual([450, 500, 710, 760]);
    const vErr = maxErr(r.traces.get(lif.name)!.get('v')!.values, ref, 0, 460);
    console.log(`lif_rockpool euler: spikes ${got.join(', ')}; max |v − v_exact| before step 460 = ${vErr.err.toExponential(3)}`);
    expect(vErr.err).toBeLessThan(5e-3);
  });

  it('two_lif_neurons.nir: lif1 (v_leak 1.2 > threshold 1) fires on its own, lif2 (threshold 20) never does', async () => {
    // lif1: v → 1.2 with a = 1 − dt/τ = 0.99, so without input v = 1.2·(1 − 0.99^(t+1)) first
    // exceeds 1 at t = 178; each input spike adds 0.01, pulling the spikes earlier. lif2 gets
    // 0.01 per lif1 spike and leaks back to 0: it stays far below its threshold of 20.
    const { r } = await run('two_lif_neurons.nir');
    const lif1 = spikeSteps(r, 'lif1');
    let free = 0;
    while (1.2 * (1 - 0.99 ** (free + 1)) <= 1) free++;
    expect(free).toBe(178);
    expect(lif1[0]).toBeLessThanOrEqual(free);
    expect(lif1).toEqual([176, 344, 495, 670, 830]);
    expect(spikeSteps(r, 'lif2')).toEqual([]);
    expect(spikeSteps(r, 'out')).toEqual([]);
    const v2 = r.traces.get('lif2')!.get('v')!.values;
    const peak = Math.max(...v2);
    // lif2's input jumps are 0.01 each (R·1·(1 − 0.99))
    expect(peak).toBeGreaterThan(0.0099);
    expect(peak).toBeLessThan(0.02);
    // lif1's voltage right after a spike is the reset value 0 (recorded after reset)
    expect(r.traces.get('lif1')!.get('v')!.values[176]).toBe(0);
    console.log(`two_lif_neurons: lif1 spikes ${lif1.join(', ')}; lif2 peak v ${peak.toFixed(5)} (threshold 20)`);
  });
});
