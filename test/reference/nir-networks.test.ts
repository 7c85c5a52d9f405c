import { describe, expect, it } from 'vitest';
import { flattenGraph } from '../../src/graph/flatten.js';
import type { FlatNode, Graph, NestedGraph, NIRGraphNode } from '../../src/graph/graph.js';
import { numel } from '../../src/graph/tensor.js';
import { readNir } from '../../src/io/nir.js';
import type { StepInput } from '../../src/io/spikes.js';
import type { RunConfig } from '../../src/reference/config.js';
import { simulate, type RunResult } from '../../src/reference/simulate.js';
import { fixture } from '../helpers/shared.js';

/**
 * The NIR paper's CNN (N-MNIST, Sinabs) and Braille (recurrent CubaLIF) graphs under the default
 * run configuration (dt 1e-4, euler, reset zero, ifMode step, delay 0) and Poisson input.
 *
 * Rates: N-MNIST is an event camera recording; a 300 Hz Poisson input per pixel and polarity
 * (p = 0.03 per step) is a busy but realistic digit-sized event rate for the [2, 34, 34] sensor.
 * The Braille input is 12 tactile-sensor event channels; 200 Hz (p = 0.02 per step) gives a
 * few events per channel per 10 ms, as the encoded Braille letters do. Neither data set is in the
 * fixtures, so the tests check shapes and that every spiking layer is plausibly active: some
 * spikes, some neurons active, and far from firing at every step.
 */

function poisson(node: string, size: number, rateHz: number, seed: number): Map<string, StepInput> {
  return new Map([[node, { kind: 'poisson', node, size, rateHz, seed }]]);
}

interface Activity {
  spikes: number;
  active: number;
  neurons: number;
  /** Spikes per neuron per step. */
  perStep: number;
}

function activity(r: RunResult, node: string): Activity {
  const c = r.counts.get(node)!;
  let spikes = 0;
  let active = 0;
  for (const x of c) {
    spikes += x;
    if (x > 0) active++;
  }
  return { spikes, active, neurons: c.length, perStep: spikes / c.length / r.config.steps };
}

/** Not silent, not saturated: spikes in at least one neuron, and well below one spike per step. */
function expectPlausible(a: Activity, label: string): void {
  expect(a.spikes, `${label} is silent`).toBeGreaterThan(0);
  expect(a.active, `${label} has no active neuron`).toBeGreaterThan(0);
  expect(a.perStep, `${label} fires at ${a.perStep} spikes per neuron per step`).toBeLessThan(0.5);
}

function describeActivity(r: RunResult): string {
  return [...r.counts.keys()].map((n) => {
    const a = activity(r, n);
    return `${n} ${a.active}/${a.neurons} active, ${a.perStep.toFixed(4)}/step`;
  }).join(' | ');
}

describe('cnn_sinabs.nir', () => {
  it('runs on Poisson input [T, 2, 34, 34] with the defaults: layer shapes right, every IF layer active but not saturated', async () => {
    const g = await readNir(fixture('cnn', 'cnn_sinabs.nir'));
    const T = 300;
    const r = simulate(g, { steps: T, inputs: poisson('input', 2 * 34 * 34, 300, 1) });
    const shapes = Object.fromEntries(['input', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', 'output'].map((n) => [n, r.shapes.get(n)]));
    expect(shapes).toEqual({
      input: [2, 34, 34], 0: [16, 16, 16], 1: [16, 16, 16], 2: [16, 16, 16], 3: [16, 16, 16], 4: [16, 8, 8],
      5: [8, 8, 8], 6: [8, 8, 8], 7: [8, 4, 4], 8: [128], 9: [256], 10: [256], 11: [10], 12: [10], output: [10],
    });
    // default recording: the Poisson input, every IF layer and the Output port fed by the last IF
    expect([...r.spikes.keys()].sort()).toEqual(['1', '10', '12', '3', '6', 'input', 'output'].sort());
    console.log(`cnn_sinabs, 300 Hz, ${T} steps: ${describeActivity(r)}`);
    for (const layer of ['1', '3', '6', '10', '12']) expectPlausible(activity(r, layer), `IF layer ${layer}`);
    const inp = activity(r, 'input');
    expect(inp.perStep).toBeGreaterThan(0.025);
    expect(inp.perStep).toBeLessThan(0.035);
    // the Output node repeats the last layer's spikes exactly (delay 0)
    expect(Array.from(r.spikes.get('output')!.steps)).toEqual(Array.from(r.spikes.get('12')!.steps));
    expect(Array.from(r.counts.get('output')!)).toEqual(Array.from(r.counts.get('12')!));
    // more input drives more output
    const hot = simulate(g, { steps: T, inputs: poisson('input', 2 * 34 * 34, 1000, 1), record: { spikes: ['12'] } });
    expect(activity(hot, '12').spikes).toBeGreaterThan(activity(r, '12').spikes);
  });
});

const BRAILLE = ['braille_noDelay_bias_zero.nir', 'braille_noDelay_noBias_subtract.nir'] as const;

describe('braille (recurrent CubaLIF)', () => {
  for (const file of BRAILLE) {
    it(`${file}: [T, 12] input, 7 outputs, both CubaLIF layers plausibly active with the defaults and with the trained reset`, async () => {
      const g = await readNir(fixture('braille', file));
      const T = 500;
      const hidden = g.nodes.find((n) => n.name === 'lif1.lif')!;
      expect(hidden.kind).toBe('CubaLIF');
      const resets: RunConfig['reset'][] = file.includes('subtract') ? ['zero', 'subtract'] : ['zero'];
      for (const reset of resets) {
        const r = simulate(g, { steps: T, reset, inputs: poisson('input', 12, 200, 3) });
        expect(r.shapes.get('input')).toEqual([12]);
        expect(r.shapes.get('output')).toEqual([7]);
        const nHidden = numel(r.shapes.get('lif1.lif')!);
        expect(nHidden).toBe(file.includes('subtract') ? 40 : 38);
        console.log(`${file} reset=${reset}, 200 Hz, ${T} steps: ${describeActivity(r)}`);
        expectPlausible(activity(r, 'lif1.lif'), `${file} lif1.lif (${reset})`);
        expectPlausible(activity(r, 'lif2'), `${file} lif2 (${reset})`);
      }
    });
  }

  /** The Braille graph rebuilt with the recurrent layer as a correctly nested NIRGraph `lif1`. */
  function nest(flat: Graph): NestedGraph {
    const by = new Map(flat.nodes.map((n) => [n.name, n]));
    const inner = (name: string, as: string): FlatNode => ({ ...by.get(name)!, name: as }) as FlatNode;
    const n = numel((by.get('lif1.lif') as { tau_mem: { shape: number[] } }).tau_mem.shape);
    const sub: NIRGraphNode = {
      kind: 'NIRGraph',
      name: 'lif1',
      nodes: [
        { kind: 'Input', name: 'input', shape: [n] },
        inner('lif1.lif', 'lif'),
        inner('lif1.w_rec', 'w_rec'),
        { kind: 'Output', name: 'output', shape: [n] },
      ],
      edges: [
        { from: 'input', to: 'lif' },
        { from: 'lif', to: 'w_rec' },
        { from: 'w_rec', to: 'lif' },
        { from: 'lif', to: 'output' },
      ],
    };
    return {
      nodes: [by.get('input')!, by.get('fc1')!, sub, by.get('fc2')!, by.get('lif2')!, by.get('output')!],
      edges: [
        { from: 'input', to: 'fc1' },
        { from: 'fc1', to: 'lif1' },
        { from: 'lif1', to: 'fc2' },
        { from: 'fc2', to: 'lif2' },
        { from: 'lif2', to: 'output' },
      ],
    };
  }

  for (const file of BRAILLE) {
    it(`${file}: a correctly nested version (NIRGraph lif1 + flattenGraph) gives identical output spikes`, async () => {
      const flat = await readNir(fixture('braille', file));
      const { graph: nested, diagnostics } = flattenGraph(nest(flat));
      expect(diagnostics).toEqual([]);
      expect(nested!.nodes.map((x) => x.name).sort()).toEqual(flat.nodes.map((x) => x.name).sort());
      const opts = { steps: 400, reset: file.includes('subtract') ? ('subtract' as const) : ('zero' as const), inputs: poisson('input', 12, 300, 11) };
      const a = simulate(flat, opts);
      const b = simulate(nested!, opts);
      const sa = a.spikes.get('output')!;
      const sb = b.spikes.get('output')!;
      expect(sa.steps.length).toBeGreaterThan(0);
      expect(Array.from(sb.steps)).toEqual(Array.from(sa.steps));
      expect(Array.from(sb.neurons)).toEqual(Array.from(sa.neurons));
      expect(Array.from(b.counts.get('lif1.lif')!)).toEqual(Array.from(a.counts.get('lif1.lif')!));
    });
  }
});
