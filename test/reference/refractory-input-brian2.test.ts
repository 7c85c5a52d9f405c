import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FlatNode } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import { run, spikeSteps, trace1 } from './helpers.js';

/**
 * Brian2 2.5.1 itself (bench/reference/refractory-input.py, its output committed as
 * refractory-input.json): one CUBA neuron receiving spikes during and around its refractory period,
 * with on_pre 'ge += w' (integrate) and 'ge += w*int(not_refractory)' (drop). The reference, with
 * --delay 1 (Brian2's on_pre acts from the next step on), must give the same spikes, v and currents
 * under the matching --refractory-input.
 */

interface Rule { spikes: number[]; v: number[]; ge: number[]; gi: number[] }
interface Case { name: string; t_ref: number; exc: number[]; inh: number[]; rules: Record<'integrate' | 'drop', Rule> }
interface Doc {
  brian2: string; dt: number; steps: number; w_exc: number; w_inh: number; cases: Case[];
  params: { tau_m: number; tau_e: number; tau_i: number; v_rest: number; v_th: number; v_reset: number; v_init: number };
}

const doc = JSON.parse(readFileSync(new URL('../../bench/reference/refractory-input.json', import.meta.url), 'utf8')) as Doc;

function network(c: Case): FlatNode[] {
  const p = doc.params;
  const nodes: FlatNode[] = [];
  for (const [name, at, w, receptor] of [['exc', c.exc, doc.w_exc, 0], ['inh', c.inh, doc.w_inh, 1]] as const) {
    const spikes = new Array<number>(doc.steps).fill(0);
    for (const s of at) spikes[s] = 1;
    nodes.push({ kind: 'SpikeSource', name, shape: [1], spikes: f64(spikes, [doc.steps, 1]) });
    nodes.push({ kind: 'SparseLinear', name: `C${name}`, in_size: 1, out_size: 1, indptr: Int32Array.from([0, 1]), indices: Int32Array.from([0]), weight: f64([w]), receptor });
  }
  nodes.push({
    kind: 'CurrentLIF', name: 'P', shape: [1], tau_mem: f64([p.tau_m]), v_rest: f64([p.v_rest]), v_reset: f64([p.v_reset]), v_threshold: f64([p.v_th]),
    t_ref: f64([c.t_ref]), tau_syn: f64([p.tau_e, p.tau_i]), v_init: f64([p.v_init]), receptors: ['exc', 'inh'],
  });
  return nodes;
}

const edges = [{ from: 'exc', to: 'Cexc' }, { from: 'Cexc', to: 'P' }, { from: 'inh', to: 'Cinh' }, { from: 'Cinh', to: 'P' }];

describe(`refractory input rules against Brian2 ${doc.brian2}`, () => {
  it('the two Brian2 rules differ in every case (the comparison tells them apart)', () => {
    for (const c of doc.cases) expect(c.rules.drop.spikes).not.toEqual(c.rules.integrate.spikes);
  });

  for (const c of doc.cases)
    for (const rule of ['integrate', 'drop'] as const)
      it(`${c.name}, --refractory-input ${rule}: spikes, v and currents as Brian2`, () => {
        const b = c.rules[rule];
        const r = run(network(c), edges, [], doc.steps, { dt: doc.dt, integrator: 'exact', delay: 1, refractoryInput: rule }, {
          spikes: ['P'], traces: ['v', 'i_exc', 'i_inh'].map((v) => ({ node: 'P', var: v })),
        });
        expect(spikeSteps(r, 'P')).toEqual(b.spikes);
        const diff = (got: number[], want: number[]): number => Math.max(...want.map((x, k) => Math.abs(got[k]! - x)));
        expect(diff(trace1(r, 'P', 'v'), b.v)).toBeLessThan(1e-12);
        expect(diff(trace1(r, 'P', 'i_exc'), b.ge)).toBeLessThan(1e-12);
        expect(diff(trace1(r, 'P', 'i_inh'), b.gi)).toBeLessThan(1e-12);
      });
});
