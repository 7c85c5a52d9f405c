/**
 * A test-only chip family: float64, one unit per population, running the reference's own step in
 * worker threads. It proves a chip is one folder plus one registry line: the conformance suite
 * runs it next to CHIPS (test/conformance/), with nothing in src/, compiler/ or the CLI knowing it.
 */
import type { ChipBackend, Lowering } from '../../../src/chip/backend.js';
import { coefficientRef } from '../../../src/chip/coefficient-ref.js';
import { modelStatsOf } from '../../../src/chip/model-stats.js';
import type { ChipProfile } from '../../../src/chip/profile.js';
import type { Network, PayloadCodec, Projection } from '../../../src/chip/program.js';
import { estimateEnergy, estimateLatency } from '../../../src/cost/index.js';
import { runMetrics } from '../../../src/chip/run-metrics.js';
import type { NodeKind } from '../../../src/graph/graph.js';
import { planToSpec, startRun } from '../../../src/runtime/index.js';
import type { ChipFamily } from '../../../chips/index.js';

export interface IdealPayload { projections: Pick<Projection, 'pre' | 'post' | 'receptor' | 'indptr' | 'target' | 'weight' | 'delay'>[] }
type Out = { unit: number; steps: Int32Array; neurons: Int32Array; counts: Int32Array; trace?: Float64Array };

const assumed = (value: number, unit: string) => ({ value, unit, assumed: 'test-only ideal chip' });
const PROFILE = {
  id: 'ideal', family: 'ideal', version: '0.1.0', name: 'ideal float64 chip (test only)', machine: { layout: 'one unit per population' },
  energy: { synapticEvent: assumed(1e-12, 'J'), neuronUpdate: assumed(1e-11, 'J') }, chip: { idlePower: assumed(1e-3, 'W') }, latency: { tick: assumed(1e-6, 's') },
};

const KINDS: Record<Lowering['as'], NodeKind[]> = {
  population: ['IF', 'LIF', 'CubaLIF', 'CubaLI', 'LI', 'I', 'Threshold', 'CurrentLIF'], source: ['Input', 'SpikeSource'], port: ['Output'], delay: ['Delay'],
  projection: ['Affine', 'Linear', 'Conv1d', 'Conv2d', 'SumPool2d', 'AvgPool2d', 'Scale', 'Flatten', 'SparseLinear'],
};
const lower = Object.fromEntries(Object.entries(KINDS).flatMap(([as, ks]) => ks.map((k) => [k, { as } as Lowering])));

const codec: PayloadCodec<IdealPayload> = {
  encode: (p) => new TextEncoder().encode(JSON.stringify(p.projections.map((q) => ({ ...q, indptr: [...q.indptr], target: [...q.target], weight: [...q.weight], delay: q.delay ? [...q.delay] : null })))),
  decode: (b) => ({ projections: (JSON.parse(new TextDecoder().decode(b)) as Record<string, number & number[]>[]).map((q) => ({
    pre: q.pre, post: q.post, receptor: q.receptor, indptr: Uint32Array.from(q.indptr), target: Uint32Array.from(q.target), weight: Float64Array.from(q.weight), ...(q.delay ? { delay: Uint32Array.from(q.delay) } : {}),
  })) }),
};

function idealBackend(profile: ChipProfile): ChipBackend<Out[], { net: Network; modelSynapses: number }, IdealPayload> {
  const noop = { run: () => ({}), check: () => undefined };
  return {
    id: profile.id, profile, lower, codec, inputStart: 0,
    mapping: {
      begin: (net, ctx) => ({ net, modelSynapses: ctx.modelSynapses }),
      stages: { quantize: noop, partition: noop, place: noop, route: noop, emit: noop },
      owners: (s) => ({ units: s.net.populations.length, owner: s.net.populations.map((p) => new Uint32Array(p.size).fill(p.index)) }),
      stored: (s) => ({ synapses: s.net.projections.reduce((a, q) => a + q.target.length, 0), copies: 1 }),
      finish: (s) => ({
        populations: s.net.populations.map((p) => ({ ...p, fixed: {} })), model: modelStatsOf(s.net, s.modelSynapses), time: { kind: 'tick' },
        units: s.net.populations.map((p) => ({ kind: 'cell-group', label: p.name, node: p.name })), resources: [{ name: 'units', value: s.net.populations.length, unit: 'unit' }],
        payload: { projections: s.net.projections.map(({ pre, post, receptor, indptr, target, weight, delay }) => ({ pre, post, receptor, indptr, target, weight, ...(delay ? { delay } : {}) })) },
      }),
    },
    reference: { note: 'float64 reference with delay 1, inputs as given', advanceInputs: false, tolerance: { count: 1, rel: 0 } },
    accepts: () => undefined,
    async run(program, o) {
      const pops = program.populations.map((p) => ({ name: p.name, kind: p.kind, shape: p.shape, size: p.size, params: p.params, receptors: p.receptors, trace: o.trace?.includes(p.name) ?? false, ...(p.bias ? { bias: p.bias } : {}) }));
      const shared = { pops, payload: program.payload, cfg: { ...program.config, steps: o.steps, seed: o.seed ?? program.seed }, inputs: [...(o.inputs ?? [])] };
      const h = startRun(planToSpec({ kernelUrl: new URL('./kernel.ts', import.meta.url), coreCount: pops.length, payloadWords: 3, shared }, { workers: o.workers ?? 1, steps: o.steps, ...(o.progress ? { progress: o.progress } : {}), ...(o.signal ? { signal: o.signal } : {}) }));
      o.onStart?.(h);
      const rt = await h.result;
      const outs = rt.outputs.flatMap((w) => w.value as Out[]).sort((a, b) => a.unit - b.unit);
      const name = (u: number) => pops[u]!.name;
      return {
        steps: o.steps, warnings: [], runtime: rt, detail: outs,
        spikes: new Map(outs.filter((x) => x.steps.length || program.populations[x.unit]!.spiking).map((x) => [name(x.unit), { steps: x.steps, neurons: x.neurons }])),
        counts: new Map(outs.map((x) => [name(x.unit), x.counts])), traces: new Map(outs.filter((x) => x.trace).map((x) => [name(x.unit), x.trace!])),
        counters: { names: rt.counterNames, values: rt.counters, cores: pops.map((p) => ({ label: p.name, node: p.name })) },
      };
    },
    cost(program, run) {
      const c = (s: 'energy' | 'chip' | 'latency', n: string) => coefficientRef(profile, s, n);
      const [ev, nu, idle, tick] = [c('energy', 'synapticEvent'), c('energy', 'neuronUpdate'), c('chip', 'idlePower'), c('latency', 'tick')];
      const model = { energyModel: 'per-event', tickPeriodS: tick.value, dt: program.config.dt, timeScaleFactor: tick.value / program.config.dt,
        active: [{ component: 'synapses', counter: 'synaptic_events', joulesPerCount: ev.value, formula: ev.name, coefficients: [ev] }, { component: 'neurons', counter: 'neuron_updates', joulesPerCount: nu.value, formula: nu.name, coefficients: [nu] }],
        static: [{ component: 'idle', watts: idle.value, units: 1, formula: idle.name, coefficients: [idle] }] };
      const n = run.steps;
      const latency = estimateLatency({ computeS: new Float64Array(n).fill(tick.value), core: new Int32Array(n), routingS: new Float64Array(n) }, tick.value, run.counters.cores);
      const m = program.model;
      const metrics = runMetrics(program, run, 8 * m.synapses);
      return { energy: estimateEnergy(model, run.counters, n), latency, metrics, coefficients: [ev, nu, idle, tick], resources: { units: program.units.length, neurons: m.neurons, synapses: m.synapses } };
    },
    compare: { exact: true, derivation: 'no golden model: the chip is the float64 step itself' },
    describe: (p) => ({ chip: { id: p.profile.id, family: p.profile.family }, units: p.units.length }),
    summarize: (p, model) => `${model} on ${p.profile.id}: ${p.units.length} units, ${p.model.neurons} neurons, ${p.model.synapses} synapses`,
    runConfig: () => ({}),
    compileOptions: () => ({ maxNeuronsPerCore: new Map<string, number>(), routing: 'slice' }),
  };
}

/** The registry line the chip would have in chips/index.ts. */
export const IDEAL_FAMILY: ChipFamily = { id: 'ideal', profiles: { ideal: PROFILE }, backend: idealBackend, codec: codec as PayloadCodec<unknown>, options: [], requiredFields: [] };
