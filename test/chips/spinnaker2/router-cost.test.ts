import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../../chips/index.js';
import { spinnaker2CostModel } from '../../../chips/spinnaker2/cost.js';
import { buildMachine, meshHops } from '../../../chips/spinnaker2/machine.js';
import { RouterSim } from '../../../chips/spinnaker2/router-sim.js';
import { sendingCores } from '../../../chips/spinnaker2/target-table.js';
import { estimateEnergy, estimateLatency } from '../../../src/cost/index.js';
import { scaleVoltages } from '../../../src/graph/weight-scale.js';
import { simulate } from '../../../src/reference/index.js';
import { profileWith } from '../../compiler/helpers.js';
import { arbNetwork } from './arb-network.js';
import { compile } from '../../../compiler/index.js';
import { spinnaker2Backend } from '../../../chips/spinnaker2/backend.js';
import { NeuromeshError } from '../../../src/errors.js';

/** Two chips side by side on link 0 (east) / 3 (west), 4 PEs each, all on one QPE column. */
const machine = {
  chips: [[0, 0], [1, 0]] as [number, number][],
  coresPerChip: 4,
  linksPerChip: 6,
  neighbour: Int32Array.from([1, -1, -1, -1, -1, -1, -1, -1, -1, 0, -1, -1]),
  meshHops: (a: number, b: number): number => Math.abs(a - b),
};

describe('router simulation (docs/semantics.md §6)', () => {
  it('first matching entry wins, links forward to the next chip, unmatched packets are dropped and counted', () => {
    const sim = new RouterSim([
      { chip: 0, entriesBefore: 2, entries: [
        { key: 0x100, mask: 0xffffff00, links: [0], cores: [2] },
        { key: 0x100, mask: 0xfffff000, links: [], cores: [3] }, // never reached for 0x1xx: shadowed
        { key: 0x200, mask: 0xffffff00, links: [0], cores: [] },
      ] },
      { chip: 1, entriesBefore: 1, entries: [{ key: 0x100, mask: 0xffffff00, links: [], cores: [1, 3] }] },
    ], machine, { meshHopCycles: 5, chipHopCycles: 20 });
    const a = sim.route(0, 1, 0x1ab);
    expect(a.cores).toEqual([2, 4 + 1, 4 + 3]);
    expect(a.lookups).toBe(2);
    expect(a.chipHops).toBe(1);
    expect(a.dropped).toBe(0);
    // mesh: PE 1 → router (PE 0) 1 hop, router → PE 2 2 hops, on chip 1 router → PE 1 and PE 3: 1 + 3
    expect(a.meshHops).toBe(1 + 2 + 1 + 3);
    expect(a.latencyCycles).toBe(5 + 20 + 3 * 5);
    // 0x2xx matches on chip 0 but chip 1 has no entry: dropped there
    const b = sim.route(0, 0, 0x234);
    expect(b.cores).toEqual([]);
    expect(b.dropped).toBe(1);
    expect(b.droppedAt).toEqual([1]);
    // no entry at all at the source
    const c = sim.route(1, 2, 0x999);
    expect(c.dropped).toBe(1);
    expect(sim.droppedPerChip.get(1)).toBe(2);
    expect(sim.match(0, 0x1ff)).toBe(0);
    expect(sim.match(0, 0x1000)).toBe(-1);
  });

  it('on compiled programs every key of a sending slice reaches exactly the cores that hold rows for it', () => {
    const spread = profileWith('spinnaker2-48', {
      chip: { usablePesPerChip: { value: 2, unit: 'PE', assumed: 'test: spread over chips' } },
      limits: { maxNeuronsPerCore: { value: 3, unit: 'neuron', assumed: 'test' } },
      placement: { annealMovesPerSlice: { value: 5, unit: 'move', assumed: 'test' } },
    });
    let checkedChipHops = 0;
    let compiled = 0;
    fc.assert(
      fc.property(arbNetwork({ referenceSafe: true }), (g) => {
        let c;
        try {
          c = { ...compile(g, spinnaker2Backend(spread), { seed: 1, config: { delay: 1 } }), profile: spread };
        } catch (e) {
          if (e instanceof NeuromeshError && e.diagnostics[0]!.code === 'E_INVARIANT') return; // a compiler bug, reported separately
          throw e;
        }
        compiled++;
        const p = c.program;
        const m = buildMachine(c.profile);
        const sim = new RouterSim(p.payload.routers, { ...m, meshHops: (a, b) => meshHops(m, a, b) }, { meshHopCycles: 5, chipHopCycles: 20 });
        const sending = sendingCores(p);
        const P = p.payload.machine.coresPerChip;
        p.payload.cores.forEach((src, i) => {
          const holders = p.payload.cores
            .map((d, j) => ({ j, d }))
            .filter(({ d }) => Array.from(d.rowKeys).some((k) => k >= src.key && k < src.key + (src.hi - src.lo)))
            .map(({ d }) => d.chip * P + d.pe)
            .sort((x, y) => x - y);
          expect(Boolean(sending[i]), `core ${i} sends`).toBe(holders.length > 0);
          if (!holders.length) return;
          for (let n = 0; n < src.hi - src.lo; n++) {
            const r = sim.route(src.chip, src.pe, src.key + n);
            expect(r.dropped).toBe(0);
            expect([...new Set(r.cores)]).toEqual(holders);
            checkedChipHops += r.chipHops;
          }
        });
      }),
      { numRuns: 25, seed: 3 },
    );
    expect(compiled).toBeGreaterThan(15);
    expect(checkedChipHops).toBeGreaterThan(0);
  });
});

describe('cost: counters × coefficients', () => {
  const table = {
    names: ['synaptic_events', 'neuron_updates', 'router_lookups', 'cycles'],
    values: Float64Array.from([10, 100, 3, 5000, /* core 1 */ 0, 50, 0, 2000]),
    cores: [{ label: 'c0', node: 'a' }, { label: 'c1', node: 'b' }],
  };
  const program = { config: { dt: 1e-4 }, payload: { cores: [{ chip: 0 }, { chip: 0 }] } } as unknown as Parameters<typeof spinnaker2CostModel>[1];

  it('per-event: 450 pJ per synaptic event, 2.19 nJ per neuron update, 25 pJ/bit × 40 bits per router lookup, static = idle power × chips × steps × tick', () => {
    const profile = loadProfile('spinnaker2');
    const e = estimateEnergy(spinnaker2CostModel(profile, program, 'low'), table, 200);
    expect(e.byComponent.synapses).toBeCloseTo(10 * 450e-12, 20);
    expect(e.byComponent.neurons).toBeCloseTo(150 * 2.19e-9, 18);
    expect(e.byComponent.routers).toBeCloseTo(3 * 25e-12 * 40, 20);
    expect(e.staticJ).toBeCloseTo(0.235 * 1 * 200 * 1e-4, 12);
    expect(e.totalJ).toBeCloseTo(e.activeJ + e.staticJ, 15);
    expect(e.byNode.b).toBeCloseTo(50 * 2.19e-9, 18);
    expect(e.byCore.c0! + e.byCore.c1!).toBeCloseTo(e.activeJ, 18);
    expect(e.coefficients.map((c) => c.name)).toContain('energy.synapticEvent');
    expect(e.coefficients.find((c) => c.name === 'energy.synapticEvent')!.unverified).toBeTruthy();
  });

  it('per-cycle (spinnaker2-cycles): cycles × pJ per cycle at the DVFS point, never mixed with per-event terms', () => {
    const profile = loadProfile('spinnaker2-cycles');
    const lo = estimateEnergy(spinnaker2CostModel(profile, program, 'low'), table, 10);
    const hi = estimateEnergy(spinnaker2CostModel(profile, program, 'high'), table, 10);
    expect(lo.energyModel).toBe('per-cycle');
    expect(lo.byComponent.synapses).toBeUndefined();
    expect(lo.byComponent['pe-cycles']).toBeCloseTo(7000 * 15e-12, 18);
    expect(hi.byComponent['pe-cycles']).toBeCloseTo(7000 * 26e-12, 18);
    expect(hi.staticJ).toBeCloseTo(0.565 * 10 * 1e-4, 12);
  });

  it('latency: per-tick critical path = slowest core + slowest route; overruns counted against the tick period', () => {
    const l = estimateLatency({ computeS: Float64Array.from([1e-5, 3e-4, 2e-5]), core: Int32Array.from([0, 1, 1]), routingS: Float64Array.from([1e-6, 0, 5e-6]) }, 1e-4, [{ label: 'c0', node: 'a' }, { label: 'c1', node: 'b' }]);
    [1.1e-5, 3e-4, 2.5e-5].forEach((x, i) => expect(l.perStepS[i]!).toBeCloseTo(x, 15));
    expect(l.overrunSteps).toBe(1);
    expect(l.criticalPath).toMatchObject({ step: 1, core: 1, node: 'b' });
    expect(l.realTimeS).toBeCloseTo(3e-4, 15);
  });
});

describe('--weight-scale', () => {
  it('scaling voltages and inputs by K leaves the float reference’s spikes unchanged and multiplies v by K', () => {
    fc.assert(
      fc.property(arbNetwork({ referenceSafe: true }), fc.constantFrom(0.5, 10, 102.02), (g, K) => {
        const s = scaleVoltages(g, K);
        const inputs = new Map();
        const nodes = g.nodes.filter((n) => n.kind !== 'Input' && n.kind !== 'Output' && 'v_leak' in n).map((n) => n.name);
        for (const n of g.nodes) if (n.kind === 'Input') inputs.set(n.name, { kind: 'poisson', node: n.name, size: n.shape[0]!, rateHz: 3000, seed: 1 });
        const rec = { all: true, traces: nodes.map((node) => ({ node, var: 'v' })) };
        const a = simulate(g, { steps: 30, inputs, record: rec, delay: 1 });
        const b = simulate(s, { steps: 30, inputs, record: rec, delay: 1 });
        for (const [k, sp] of a.spikes) expect(Array.from(b.spikes.get(k)!.steps), k).toEqual(Array.from(sp.steps));
        for (const node of nodes) {
          const va = a.traces.get(node)!.get('v')!.values;
          const vb = b.traces.get(node)!.get('v')!.values;
          for (let i = 0; i < va.length; i++) expect(vb[i]!).toBeCloseTo(va[i]! * K, 6);
        }
      }),
      { numRuns: 25, seed: 9 },
    );
  });
});
