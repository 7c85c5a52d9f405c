import { describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import { currentLIF, network, oneToOne, type SynapticTau } from '../../src/graph/builder.js';
import type { CurrentLIFNode, Graph } from '../../src/graph/graph.js';
import { simulate } from '../../src/reference/simulate.js';

/** The builder's delta receptors: tau_syn 'delta' (or 0) is a synapse that makes v jump by its weight. */

function pop(g: Graph): CurrentLIFNode {
  const n = g.nodes.find((x) => x.name === 'P');
  if (!n || n.kind !== 'CurrentLIF') throw new Error('no CurrentLIF P');
  return n;
}

function build(tauSyn: Parameters<typeof currentLIF>[0]['tau_syn'], receptor: string | number = 0): Graph {
  const net = network();
  const src = net.spikeSource('src', 1, { spikes: { shape: [6, 1], data: [0, 1, 0, 0, 0, 0] } });
  const P = net.population('P', 1, currentLIF({ tau_mem: 1e-3, v_rest: 0, v_reset: 0, v_threshold: 1, tau_syn: tauSyn }));
  net.projection(src, P, oneToOne(), { weight: 0.5, receptor });
  return net.toGraph({ dt: 1e-4 });
}

describe("builder: tau_syn 'delta'", () => {
  it("named, listed and single forms all give tau_syn 0 for 'delta' and keep the receptor names", () => {
    const named = pop(build({ d: 'delta', exc: 5e-3 }, 'd'));
    expect(Array.from(named.tau_syn.data)).toEqual([0, 5e-3]);
    expect(named.receptors).toEqual(['d', 'exc']);
    expect(Array.from(pop(build(['delta', 2e-3] as SynapticTau[])).tau_syn.data)).toEqual([0, 2e-3]);
    expect(Array.from(pop(build('delta')).tau_syn.data)).toEqual([0]);
    expect(Array.from(pop(build(0)).tau_syn.data)).toEqual([0]);
  });

  it("a 'delta' projection makes v jump by its weight in the step the spike arrives (euler: 0.5 − 0.1·0.5 = 0.45)", () => {
    const r = simulate(build({ d: 'delta' }, 'd'), { steps: 4, inputs: new Map(), record: { traces: [{ node: 'P', var: 'v' }] } });
    const v = Array.from(r.traces.get('P')!.get('v')!.values);
    [0, 0.45, 0.405, 0.3645].forEach((x, k) => expect(v[k]).toBeCloseTo(x, 14));
  });

  it('another string or a negative τ is refused naming the population and tau_syn, with a hint', () => {
    const err = (f: () => unknown): NeuromeshError => {
      try {
        f();
      } catch (e) {
        if (e instanceof NeuromeshError) return e;
        throw e;
      }
      throw new Error('no error');
    };
    const s = err(() => build({ d: 'dirac' as unknown as SynapticTau }));
    expect(s.diagnostics[0]).toMatchObject({ code: 'E_BAD_FIELD', node: 'P', field: 'tau_syn' });
    expect(s.diagnostics[0]!.hint).toMatch(/'delta'/);
    const neg = err(() => build({ d: -1e-3 }));
    expect(neg.diagnostics[0]).toMatchObject({ code: 'E_NEGATIVE', node: 'P', field: 'tau_syn' });
    // no receptor at all: refused at the population, not later as 'a receptor in 0..-1'
    for (const none of [{}, []] as const) {
      const e = err(() => build(none as unknown as Record<string, SynapticTau>));
      expect(e.diagnostics[0]).toMatchObject({ code: 'E_BAD_FIELD', node: 'P', field: 'tau_syn', message: 'tau_syn gives no receptor' });
    }
  });
});
