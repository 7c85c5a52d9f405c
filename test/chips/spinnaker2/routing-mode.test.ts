import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/index.js';
import { spinnaker2Backend } from '../../../chips/spinnaker2/backend.js';
import { runChip } from '../../../chips/spinnaker2/run.js';
import { assertSliceRouted } from '../../../chips/spinnaker2/target-table.js';
import { NeuromeshError } from '../../../src/errors.js';
import type { Graph } from '../../../src/graph/graph.js';
import { f64 } from '../../../src/graph/tensor.js';
import { profileWith } from '../../compiler/helpers.js';

/**
 * Input[4] → Linear → LIF[8] split into two cores of 4: inputs 0–1 feed only neurons 0–3, inputs
 * 2–3 only neurons 4–7. Slice routing sends every input key to both cores; exact routing gives
 * each half of the input core its own key block and tree.
 */
function banded(): Graph {
  const w = new Float64Array(8 * 4);
  for (let o = 0; o < 8; o++) for (let i = 0; i < 4; i++) if ((o < 4) === (i < 2)) w[o * 4 + i] = 0.6;
  return {
    nodes: [
      { kind: 'Input', name: 'in', shape: [4] },
      { kind: 'Linear', name: 'fc', weight: f64(w, [8, 4]) },
      { kind: 'LIF', name: 'lif', tau: f64([0.01]), r: f64([1]), v_leak: f64([0]), v_threshold: f64([1]) },
      { kind: 'Output', name: 'out', shape: [8] },
    ],
    edges: [{ from: 'in', to: 'fc' }, { from: 'fc', to: 'lif' }, { from: 'lif', to: 'out' }],
  };
}

const profile = profileWith('spinnaker2-48', { chip: { usablePesPerChip: { value: 1, unit: 'PE', assumed: 'test: one core per chip' } } });

describe('spinnaker2 run and the routing mode of a program', () => {
  it('a program compiled with --routing exact (entries finer than a core block) is refused with one diagnostic, exit 2, before any worker starts', async () => {
    const g = banded();
    const exact = compile(g, spinnaker2Backend(profile), { routing: 'exact', maxNeuronsPerCore: { lif: 4 } }).program;
    // the premise: exact routing really did split the input core's block
    const coreMask = exact.payload.cores[0]!.mask;
    expect(exact.payload.routers.some((t) => t.entries.some((e) => ((e.mask & ~coreMask) >>> 0) !== 0))).toBe(true);
    let err: unknown;
    try {
      await runChip(exact, profile, { steps: 3 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NeuromeshError);
    const e = err as NeuromeshError;
    expect(e.exitCode).toBe(2);
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0]!.code).toBe('E_UNSUPPORTED');
    expect(e.diagnostics[0]!.message).toMatch(/routed per neuron block \(compiled with --routing exact\)/);
    expect(e.diagnostics[0]!.message).not.toMatch(/\n/);
    expect(e.diagnostics[0]!.hint).toMatch(/recompile without --routing exact/);
    expect(() => assertSliceRouted(exact, 'banded.nmp')).toThrow(/banded\.nmp|routed per neuron block/);
  });

  it('the same network compiled with slice routing is accepted, and so is an exact-routed program whose blocks are whole cores', () => {
    const g = banded();
    const slice = compile(g, spinnaker2Backend(profile), { maxNeuronsPerCore: { lif: 4 } }).program;
    expect(() => assertSliceRouted(slice)).not.toThrow();
    // dense layer: every input neuron reaches the same cores, so exact routing keeps whole-core blocks
    const dense = { ...g, nodes: g.nodes.map((n) => (n.kind === 'Linear' ? { ...n, weight: f64(new Float64Array(32).fill(0.6), [8, 4]) } : n)) };
    expect(() => assertSliceRouted(compile(dense, spinnaker2Backend(profile), { routing: 'exact', maxNeuronsPerCore: { lif: 4 } }).program)).not.toThrow();
  });
});
