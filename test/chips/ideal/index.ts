/**
 * A test-only chip family: float64, one unit per population, running the reference's own step in
 * worker threads. It proves a chip is one folder plus one registry line: the conformance suite
 * runs it next to CHIPS (test/conformance/), with nothing in src/, compiler/ or the CLI knowing it.
 */
import type { ChipBackend } from '../../../src/chip/backend.js';
import { fullLowering } from '../../../src/chip/lowering.js';
import { coefficientRef } from '../../../src/chip/coefficient-ref.js';
import { modelStatsOf } from '../../../src/chip/model-stats.js';
import type { ChipProfile } from '../../../src/chip/profile.js';
import type { Network, PayloadCodec, Projection } from '../../../src/chip/program.js';
import { estimateEnergy, fixedTickLatency, perCount, perUnitPower } from '../../../src/cost/index.js';
import { runMetrics } from '../../../src/chip/run-metrics.js';
import { unitRecordings, type UnitRecording } from '../../../src/chip/unit-recordings.js';
import { planToSpec, startRun } from '../../../src/runtime/index.js';
import type { ChipFamily } from '../../../chips/index.js';

export interface IdealPayload { projections: Pick<Projection, 'pre' | 'post' | 'receptor' | 'indptr' | 'target' | 'weight' | 'delay'>[] }

const assumed = (value: number, unit: string) => ({ value, unit, assumed: 'test-only ideal chip' });
const PROFILE = {
  id: 'ideal', family: 'ideal', version: '0.1.0', name: 'ideal float64 chip (test only)', machine: { layout: 'one unit per population' },
  energy: { synapticEvent: assumed(1e-12, 'J'), neuronUpdate: assumed(1e-11, 'J') }, chip: { idlePower: assumed(1e-3, 'W') }, latency: { tick: assumed(1e-6, 's') },
};

const codec: PayloadCodec<IdealPayload> = {
  encode: (p) => new TextEncoder().encode(JSON.stringify(p.projections.map((q) => ({ ...q, indptr: [...q.indptr], target: [...q.target], weight: [...q.weight], delay: q.delay ? [...q.delay] : null })))),
  decode: (b) => ({ projections: (JSON.parse(new TextDecoder().decode(b)) as Record<string, number & number[]>[]).map((q) => ({
    pre: q.pre, post: q.post, receptor: q.receptor, indptr: Uint32Array.from(q.indptr), target: Uint32Array.from(q.target), weight: Float64Array.from(q.weight), ...(q.delay ? { delay: Uint32Array.from(q.delay) } : {}),
  })) }),
};

function idealBackend(profile: ChipProfile): ChipBackend<UnitRecording[], { net: Network; modelSynapses: number }, IdealPayload> {
  return {
    id: profile.id, profile, lower: fullLowering(), codec, inputStart: 0,
    mapping: {
      begin: (net, ctx) => ({ net, modelSynapses: ctx.modelSynapses }),
      stages: {},
      owners: (s) => ({ units: s.net.populations.length, owner: s.net.populations.map((p) => new Uint32Array(p.size).fill(p.index)) }),
      stored: (s) => ({ synapses: s.net.projections.reduce((a, q) => a + q.target.length, 0), copies: 1 }),
      finish: (s) => ({
        populations: s.net.populations.map((p) => ({ ...p, fixed: {} })), model: modelStatsOf(s.net, s.modelSynapses), time: { kind: 'tick' },
        units: s.net.populations.map((p) => ({ kind: 'cell-group', label: p.name, node: p.name })), resources: [{ name: 'units', value: s.net.populations.length, unit: 'unit' }],
        payload: { projections: s.net.projections.map(({ pre, post, receptor, indptr, target, weight, delay }) => ({ pre, post, receptor, indptr, target, weight, ...(delay ? { delay } : {}) })) },
      }),
    },
    reference: { note: 'float64 reference with delay 1, inputs as given', sourceLead: false, tolerance: { count: 1, rel: 0 } },
    accepts: () => undefined,
    async run(program, o) {
      const pops = program.populations.map((p) => ({ name: p.name, kind: p.kind, shape: p.shape, size: p.size, params: p.params, receptors: p.receptors, trace: o.trace?.includes(p.name) ?? false, ...(p.bias ? { bias: p.bias } : {}) }));
      const shared = { pops, payload: program.payload, cfg: { ...program.config, steps: o.steps, seed: o.seed ?? program.seed }, inputs: [...(o.inputs ?? [])] };
      const h = startRun(planToSpec({ kernelUrl: new URL('./kernel.ts', import.meta.url), coreCount: pops.length, payloadWords: 3, shared }, { workers: o.workers ?? 1, steps: o.steps, ...(o.progress ? { progress: o.progress } : {}), ...(o.signal ? { signal: o.signal } : {}) }));
      o.onStart?.(h);
      const rt = await h.result;
      const outs = rt.outputs.flatMap((w) => w.value as UnitRecording[]);
      return {
        steps: o.steps, warnings: [], runtime: rt, detail: outs, ...unitRecordings(program.populations, outs),
        counters: { names: rt.counterNames, values: rt.counters, cores: pops.map((p) => ({ label: p.name, node: p.name })) },
      };
    },
    cost(program, run) {
      const c = (s: 'energy' | 'chip' | 'latency', n: string) => coefficientRef(profile, s, n);
      const [ev, nu, idle, tick] = [c('energy', 'synapticEvent'), c('energy', 'neuronUpdate'), c('chip', 'idlePower'), c('latency', 'tick')];
      const model = { energyModel: 'per-event', tickPeriodS: tick.value, dt: program.config.dt, timeScaleFactor: tick.value / program.config.dt,
        active: [perCount('synapses', 'synaptic_events', ev), perCount('neurons', 'neuron_updates', nu)], static: [perUnitPower('idle', idle, 1)] };
      const m = program.model;
      return { energy: estimateEnergy(model, run.counters, run.steps), latency: fixedTickLatency(run.steps, tick.value, run.counters.cores), metrics: runMetrics(program, run, 8 * m.synapses),
        coefficients: [ev, nu, idle, tick], resources: { units: program.units.length, neurons: m.neurons, synapses: m.synapses } };
    },
    compare: { exact: true, derivation: 'no golden model: the chip is the float64 step itself' },
    describe: (p) => ({ chip: { id: p.profile.id, family: p.profile.family }, units: p.units.length }),
    summarize: (p, model) => `${model} on ${p.profile.id}: ${p.units.length} units, ${p.model.neurons} neurons, ${p.model.synapses} synapses`,
    runConfig: () => ({}),
    compileOptions: () => ({ maxNeuronsPerCore: new Map<string, number>(), routing: 'slice' }),
    // float64: no fixed-point format to fill, so the model runs in its own units
    chooseWeightScale: () => ({ scale: 1, worstResolution: null, why: 'float64 chip: no fixed-point format' }),
  };
}

/** The registry line the chip would have in chips/index.ts. */
export const IDEAL_FAMILY: ChipFamily = { id: 'ideal', profiles: { ideal: PROFILE }, backend: idealBackend, codec: codec as PayloadCodec<unknown>, options: [], requiredFields: [] };
