import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/index.js';
import { staticViolations } from '../../../chips/spinnaker2/invariants.js';
import type { Graph } from '../../../src/graph/graph.js';
import { f64 } from '../../../src/graph/tensor.js';
import { backend, profileWith } from '../../compiler/helpers.js';
import { spinnaker2Backend } from '../../../chips/spinnaker2/backend.js';

/**
 * A parameter the chip holds only approximately is said (issue 17): a CurrentLIF with tau_syn = 1 µs
 * at dt = 0.1 ms has a receptor → membrane gain of ≈ 4.98e-5, 7 LSB of the s0.15-style coefficient
 * format (+7.3 %): compile warns naming node, parameter and error, and check --invariants fails.
 */
function cuba(tauSyn: number): Graph {
  return {
    nodes: [
      { kind: 'Input', name: 'in', shape: [2] },
      { kind: 'SparseLinear', name: 'syn', in_size: 2, out_size: 2, indptr: [0, 1, 2], indices: [0, 1], weight: f64([1, 1]), receptor: 0 },
      {
        kind: 'CurrentLIF', name: 'exc', shape: [2], tau_mem: f64([0.02]), v_rest: f64([0]), v_reset: f64([0]), v_threshold: f64([1]),
        t_ref: f64([0]), tau_syn: f64([tauSyn]),
      },
    ],
    edges: [{ from: 'in', to: 'syn' }, { from: 'syn', to: 'exc' }],
  } as Graph;
}

describe('parameter rounding is reported', () => {
  it('tau_syn 1 µs at dt 0.1 ms: W_PARAM_ROUNDING on exc.c (+7.3 %), and a parameter-rounding invariant', () => {
    const b = backend('spinnaker2');
    const r = compile(cuba(1e-6), b, { config: { dt: 1e-4, integrator: 'exact' } });
    const w = r.diagnostics.filter((d) => d.code === 'W_PARAM_ROUNDING');
    expect(w.map((d) => [d.node, d.field])).toEqual([['exc', 'c']]);
    expect(w[0]!.message).toMatch(/receptor → membrane gain\) 0\.00004975 is held as 0\.00005341 \(\+7\.34 %/);
    const v = staticViolations(r.program, b.profile, undefined);
    expect(v.filter((x) => x.invariant === 'parameter-rounding').map((x) => x.node)).toEqual(['exc']);
  });

  it('a well-resolved model has no warning and no violation; the profile limit moves the line', () => {
    const b = backend('spinnaker2');
    const ok = compile(cuba(5e-3), b, { config: { dt: 1e-4, integrator: 'exact' } });
    expect(ok.diagnostics.filter((d) => d.code === 'W_PARAM_ROUNDING')).toEqual([]);
    expect(staticViolations(ok.program, b.profile, undefined).filter((x) => x.invariant === 'parameter-rounding')).toEqual([]);
    const loose = spinnaker2Backend(profileWith('spinnaker2', { limits: { maxParameterRoundingError: { value: 0.1, unit: '1', assumed: 'test' } } }));
    const r = compile(cuba(1e-6), loose, { config: { dt: 1e-4, integrator: 'exact' } });
    expect(r.diagnostics.filter((d) => d.code === 'W_PARAM_ROUNDING')).toEqual([]);
  });
});
