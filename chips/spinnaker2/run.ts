/**
 * Main-thread side of a spinnaker2 run: turn a compiled Spinnaker2Program into the runtime's KernelPlan
 * (per-population codes in the declared formats, per-core synaptic rows in SharedArrayBuffers,
 * the multicast route of every core's packets from the router simulation, the local input of every
 * source population), run it on the worker-thread runtime, and gather spikes, traces, counters and
 * per-tick cycles by graph node.
 */
import { resolveArithmetic } from '../../src/chip/arithmetic.js';
import type { ChipProfile } from '../../src/chip/profile.js';
import type { ProgramPopulation } from '../../src/chip/program.js';
import type { StallLimit } from '../../src/chip/run-record.js';
import type { Spinnaker2Program } from './program-types.js';
import { diag, NeuromeshError, type Diagnostic } from '../../src/errors.js';
import type { StepInput } from '../../src/io/spikes.js';
import { hashName, Purpose, streamKey } from '../../src/random/counter-rng.js';
import { planToSpec, startRun, type KernelPlan, type RunHandle, type RunResult, type RunSpec } from '../../src/runtime/index.js';
import { COUNTER_NAMES, KIND, type CoreData, type PopData, type S2Options, type S2Shared, type S2WorkerOutput, type SourceData } from './kernels.js';
import { buildMachine, meshHops } from './machine.js';
import { RouterSim } from './router-sim.js';
import { assertSliceRouted, sendingCores, targetTable } from './target-table.js';
import { own } from '../../src/own.js';
import { mergeStepRuns, type StepRuns } from '../../src/chip/step-runs.js';
import { profileValue } from '../../src/chip/profile.js';

export interface RunChipOptions {
  steps: number;
  workers?: number;
  /** Input of each Input node (by name); Input nodes without one get no spikes. */
  inputs?: Map<string, StepInput>;
  /** Seed of SpikeSource nodes without their own (default: the program's seed). */
  seed?: number;
  /** DVFS operating point (a key of profile.dvfs; default 'low'). */
  dvfs?: string;
  /** Populations (graph node names) whose v is traced; default: none. */
  trace?: string[];
  progress?: { every: number; onProgress: (step: number, steps: number) => void };
  signal?: AbortSignal;
  /** Longest runtime barrier spin before sleeping, µs (0 = sleep at once; default: the runtime's). */
  spin?: number;
  /** Called with the handle once the run has started (e.g. to wire Ctrl-C or fault injection). */
  onStart?: (h: RunHandle) => void;
  /** Stall watchdog limit (default: off). */
  stall?: StallLimit;
}

export interface ChipRunResult {
  steps: number;
  /** Spiking populations: (step, neuron) sorted by step then neuron. */
  spikes: Map<string, { steps: Int32Array; neurons: Int32Array }>;
  counts: Map<string, Int32Array>;
  /** Traced populations: v in the model's units, [step · size + neuron]. */
  traces: Map<string, Float64Array>;
  counterNames: string[];
  /** counters[core · names + k], core = program core index. */
  counters: Float64Array;
  /** Per step, run-length encoded: cycles of the slowest core, that core, cycles of the slowest packet route. */
  stepRuns: StepRuns;
  /** Clock of the chosen operating point (Hz) and the tick period (s). */
  frequencyHz: number;
  tickPeriodS: number;
  budgetCycles: number;
  dvfs: string;
  /** Router drops per chip (routes that hit no entry), from the routing simulation. */
  routerDrops: Record<string, number>;
  warnings: Diagnostic[];
  runtime: RunResult;
  /** Core-ticks whose neuron update was skipped as provably the identity (cores at rest; kernel-rest.ts). */
  restSkips: number;
}

function expand(a: Float64Array | Int32Array | undefined, n: number, dflt = 0): Float64Array {
  const out = new Float64Array(n);
  if (!a) return out.fill(dflt);
  for (let k = 0; k < n; k++) out[k] = a.length === 1 ? a[0]! : a[k]!;
  return out;
}

function sharedInt32(a: ArrayLike<number>): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(Math.max(4, a.length * 4)), 0, a.length);
  out.set(a);
  return out;
}

function sharedUint32(a: Uint32Array): Uint32Array {
  const out = new Uint32Array(new SharedArrayBuffer(Math.max(4, a.length * 4)), 0, a.length);
  out.set(a);
  return out;
}

/** Per-population kernel data from the program's codes: voltages (state format), decays and gains (coefficients). */
export function populationData(p: ProgramPopulation, program: Spinnaker2Program, traced: boolean): PopData {
  const n = p.size;
  const kind = (KIND as Record<string, number>)[p.kind];
  const base: PopData = { name: p.name, kind: kind ?? -1, role: p.role, size: n, receptors: p.receptors, trace: traced };
  if (p.role === 'source') return base;
  if (kind === undefined) throw new NeuromeshError([diag('E_UNSUPPORTED', `${p.kind} has no spinnaker2 kernel`, { node: p.name, chip: program.profile.id })]);
  const coefs = p.coefficients ?? {};
  const cf = (name: string): Int32Array => {
    const c = Object.hasOwn(coefs, name) ? coefs[name] : undefined;
    if (!c) throw new NeuromeshError([diag('E_CORRUPT', `the program lacks coefficient '${name}'`, { node: p.name, chip: program.profile.id, hint: 'recompile the model' })]);
    return c;
  };
  const st = (name: string, dflt = 0): Int32Array => Int32Array.from(expand(p.fixed[name], n, dflt));
  const out: PopData = { ...base };
  if (p.fixedBias) out.bias = Int32Array.from(expand(p.fixedBias, n));
  switch (p.kind) {
    case 'LIF':
    case 'LI':
      Object.assign(out, { a: cf('a'), g: cf('g'), vl: st('v_leak') });
      break;
    case 'IF':
    case 'I':
      out.g = cf('g');
      break;
    case 'CubaLIF':
    case 'CubaLI':
      Object.assign(out, { as: cf('as'), gs: cf('gs'), a: cf('a'), g: cf('g'), vl: st('v_leak') });
      break;
    case 'CurrentLIF':
      // v_init absent: 0 (docs/semantics.md §2)
      Object.assign(out, { a: cf('a'), c: cf('c'), ar: cf('ar'), ref: cf('ref'), vl: st('v_rest'), v0: st('v_init') });
      // delta receptors (tau_syn 0): a flag per receptor, absent when there are none
      if (Object.hasOwn(coefs, 'delta')) out.delta = Uint8Array.from(cf('delta'), (f) => (f ? 1 : 0));
      break;
    case 'Threshold':
      break;
    default:
      throw new NeuromeshError([diag('E_UNSUPPORTED', `${p.kind} has no spinnaker2 kernel`, { node: p.name, chip: program.profile.id })]);
  }
  if (p.kind === 'Threshold') out.vth = st('threshold');
  else if (p.spiking) {
    out.vth = st('v_threshold');
    out.vr = st('v_reset');
  }
  return out;
}

function sourceData(p: ProgramPopulation, opts: RunChipOptions, program: Spinnaker2Program): SourceData {
  const dt = program.config.dt;
  if (p.kind === 'SpikeSource') {
    // the program holds the source's spikes or rates (compiler/passes/lower.ts), so a .nmp runs alone
    const seed = p.params.seed?.[0] ?? opts.seed ?? program.seed;
    if (p.params.spikes) {
      const src = p.params.spikes;
      const data = new Float32Array(new SharedArrayBuffer(Math.max(4, src.length * 4)), 0, src.length);
      data.set(src);
      return { kind: 'dense', size: p.size, steps: src.length / p.size, data };
    }
    const rate = p.params.rate!;
    return { kind: 'poisson', size: p.size, key: streamKey(seed, Purpose.poisson, hashName(p.name)), p: rate.map((r) => r * dt) };
  }
  const inp = opts.inputs?.get(p.name);
  if (!inp) return { kind: 'none', size: p.size };
  if (inp.size !== p.size) throw new NeuromeshError([diag('E_SHAPE_MISMATCH', `input gives ${inp.size} values per step, the node has ${p.size}`, { node: p.name, field: 'shape' })]);
  if (inp.kind === 'dense') {
    const data = new Float32Array(new SharedArrayBuffer(Math.max(4, inp.data.length * 4)), 0, inp.data.length);
    data.set(inp.data);
    return { kind: 'dense', size: p.size, steps: inp.steps, data };
  }
  return { kind: 'poisson', size: p.size, key: streamKey(inp.seed, Purpose.poisson, hashName(inp.node)), p: Float64Array.of(inp.rateHz * dt) };
}

export interface PreparedRun {
  plan: KernelPlan;
  options: S2Options;
  frequencyHz: number;
  tickPeriodS: number;
  dvfs: string;
  routerDrops: Record<string, number>;
  warnings: Diagnostic[];
}

/** Build the runtime plan of a compiled program (everything but the workers and steps). */
export function prepareRun(program: Spinnaker2Program, profile: ChipProfile, opts: RunChipOptions): PreparedRun {
  assertSliceRouted(program);
  const ar = resolveArithmetic(profile);
  const warnings: Diagnostic[] = [];
  const dvfs = opts.dvfs ?? 'low';
  const point = own(profile.dvfs, dvfs);
  if (!point?.frequency)
    throw new NeuromeshError([diag('E_BAD_OPTION', `unknown DVFS operating point '${dvfs}'`, { field: 'dvfs', chip: profile.id, hint: `operating points: ${Object.keys(profile.dvfs).join(', ')}` })]);
  const frequencyHz = point.frequency.value;
  const tickPeriodS = program.config.dt * profileValue(profile, 'latency.timeScaleFactor');
  const traced = new Set(opts.trace ?? []);
  for (const t of traced)
    if (!program.populations.some((p) => p.name === t && p.role === 'neuron'))
      throw new NeuromeshError([diag('E_BAD_OPTION', `cannot trace '${t}': it is not a neuron population of the program`, { field: 'record', node: t, hint: `populations: ${program.populations.filter((p) => p.role === 'neuron').map((p) => p.name).join(', ')}` })]);
  const pops = program.populations.map((p) => populationData(p, program, traced.has(p.name)));

  const machine = buildMachine(profile);
  const P = program.payload.machine.coresPerChip;
  const globalToCore = new Map<number, number>();
  program.payload.cores.forEach((c, i) => globalToCore.set(c.chip * P + c.pe, i));
  const sim = new RouterSim(program.payload.routers, { ...machine, meshHops: (a, b) => meshHops(machine, a, b) }, {
    meshHopCycles: profileValue(profile, 'latency.meshHopCycles'), chipHopCycles: profileValue(profile, 'latency.chipHopCycles'),
  });
  const sendsTo: number[][] = program.payload.cores.map(() => []);
  const sending = sendingCores(program);
  const cores: CoreData[] = program.payload.cores.map((c, i) => {
    const pop = program.populations[c.pop]!;
    const r = pop.spiking && sending[i] ? sim.route(c.chip, c.pe, c.key) : { cores: [], lookups: 0, meshHops: 0, chipHops: 0, dropped: 0, latencyCycles: 0 };
    const dests: number[] = [];
    for (const g of r.cores) {
      const d = globalToCore.get(g);
      if (d !== undefined) {
        dests.push(d);
        sendsTo[d]!.push(c.pop);
      }
    }
    return {
      pop: c.pop, lo: c.lo, hi: c.hi, key: c.key, shifts: c.shifts,
      rowKeys: sharedUint32(c.rowKeys), rowStart: sharedUint32(c.rowStart), words: sharedUint32(c.words),
      dests: sharedInt32(dests), lookups: r.lookups, meshHops: r.meshHops, chipHops: r.chipHops, dropped: r.dropped, latencyCycles: r.latencyCycles,
      inputPops: [], sramBytes: c.sramBytes,
    };
    void i;
  });
  // a core needs the spikes of every source population whose packets the routers deliver to it
  cores.forEach((c, i) => {
    const srcs = new Set<number>();
    for (const p of sendsTo[i]!) if (program.populations[p]!.role === 'source') srcs.add(p);
    c.inputPops = [...srcs].sort((a, b) => a - b);
  });
  const sources = program.populations.map((p) => (p.role === 'source' ? sourceData(p, opts, program) : null));
  const sourceKeys = program.populations.map((p) => (p.role === 'source' ? new Int32Array(p.size) : null));
  const sourceCores = program.populations.map((p) => (p.role === 'source' ? new Int32Array(p.size) : null));
  program.payload.cores.forEach((c, i) => {
    const keys = sourceKeys[c.pop];
    if (!keys) return;
    for (let k = c.lo; k < c.hi; k++) {
      keys[k] = (c.key + (k - c.lo)) | 0;
      sourceCores[c.pop]![k] = i;
    }
  });
  const { unrouted, ...targets } = targetTable(program, cores.map((c) => c.dests));
  if (unrouted)
    warnings.push(diag('W_UNROUTED_ROWS', `${unrouted} synaptic rows sit on cores their source's packets are never routed to; those synapses never act`, { severity: 'warning', chip: profile.id, hint: 'a routing-table problem: compile with --debug and check the routers' }));
  const shared: S2Shared = { pops, cores, sources, sourceKeys, sourceCores, ...targets };
  const options: S2Options = {
    arith: {
      stateMin: ar.stateMin, stateMax: ar.stateMax, ringMin: ar.ringMin, ringMax: ar.ringMax,
      saturateRing: ar.saturateRing, saturateState: ar.saturateState, coefFrac: ar.coefficient.fracBits,
      decayRounding: ar.spec.multiply.decay, inputRounding: ar.spec.multiply.input,
    },
    reset: program.config.reset,
    refractoryInput: program.config.refractoryInput,
    cycles: {
      neuron: profileValue(profile, 'latency.cyclesPerNeuronUpdate'),
      synapse: profileValue(profile, 'latency.cyclesPerSynapticEvent'),
      packet: profileValue(profile, 'latency.cyclesPerPacket'),
      tick: profileValue(profile, 'latency.cyclesPerTickOverhead'),
      budget: tickPeriodS * frequencyHz,
    },
    synapseWordBytes: profileValue(profile, 'limits.synapseWordBytes'),
    neuronStateBytes: profileValue(profile, 'limits.neuronStateBytes'),
  };
  const routerDrops: Record<string, number> = {};
  for (const [chip, n] of sim.droppedPerChip) routerDrops[`(${program.payload.machine.chips[chip]!.join(', ')})`] = n;
  if (Object.keys(routerDrops).length)
    warnings.push(diag('W_PACKETS_DROPPED', `routes of some cores hit routers with no matching entry: ${Object.entries(routerDrops).map(([c, n]) => `chip ${c}: ${n}`).join('; ')}`, { severity: 'warning', chip: profile.id }));
  const plan: KernelPlan = {
    kernelUrl: new URL('./kernels.js', import.meta.url),
    coreCount: program.payload.cores.length,
    payloadWords: 1,
    shared,
    options: options as unknown as KernelPlan['options'],
  };
  return { plan, options, frequencyHz, tickPeriodS, dvfs, routerDrops, warnings };
}

/**
 * The runtime spec of a run. Each run option is mapped to the runtime's field by name, through a
 * typed object, so that a misspelt field (as `spin` once was for `spinMicros`) fails to compile
 * instead of being dropped silently by the spread.
 */
export function chipRunSpec(program: Spinnaker2Program, prep: PreparedRun, opts: RunChipOptions): RunSpec {
  const workers = Math.max(1, Math.min(opts.workers ?? 1, program.payload.cores.length));
  const run: Parameters<typeof planToSpec>[1] = { workers, steps: opts.steps };
  if (opts.progress) run.progress = opts.progress;
  if (opts.signal) run.signal = opts.signal;
  if (opts.spin !== undefined) run.spinMicros = opts.spin;
  if (opts.stall) {
    run.stallMs = opts.stall.floorMs;
    run.stallFactor = opts.stall.factor;
  }
  return planToSpec(prep.plan, run);
}

/** Run a compiled program on the worker-thread runtime. */
export async function runChip(program: Spinnaker2Program, profile: ChipProfile, opts: RunChipOptions): Promise<ChipRunResult> {
  if (!Number.isInteger(opts.steps) || opts.steps < 1) throw new NeuromeshError([diag('E_BAD_OPTION', `--steps ${opts.steps} must be a positive integer`, { field: 'steps' })]);
  const prep = prepareRun(program, profile, opts);
  const handle = startRun(chipRunSpec(program, prep, opts));
  opts.onStart?.(handle);
  const rt = await handle.result;
  return collect(program, prep, rt, opts.steps, profile);
}

function collect(program: Spinnaker2Program, prep: PreparedRun, rt: RunResult, steps: number, profile: ChipProfile): ChipRunResult {
  const ar = resolveArithmetic(profile);
  const scale = 2 ** -ar.state.fracBits;
  const perPop: Int32Array[][] = program.populations.map(() => []);
  const traces = new Map<string, Float64Array>();
  for (const o of rt.outputs) {
    const v = o.value as S2WorkerOutput;
    v.cores.forEach((id, li) => {
      const core = program.payload.cores[id]!;
      const pop = program.populations[core.pop]!;
      perPop[core.pop]!.push(v.spikes[li]!);
      const tr = v.traces[li]!;
      if (tr.length) {
        let t = traces.get(pop.name);
        if (!t) traces.set(pop.name, (t = new Float64Array(steps * pop.size)));
        const n = core.hi - core.lo;
        for (let s = 0; s < steps; s++) for (let k = 0; k < n; k++) t[s * pop.size + core.lo + k] = tr[s * n + k]! * scale;
      }
    });
  }
  const stepRuns = mergeStepRuns(rt.outputs.map((o) => (o.value as S2WorkerOutput).steps), steps);
  const spikes = new Map<string, { steps: Int32Array; neurons: Int32Array }>();
  const counts = new Map<string, Int32Array>();
  program.populations.forEach((p, i) => {
    if (p.role !== 'neuron' || !p.spiking) return;
    const total = perPop[i]!.reduce((a, x) => a + x.length / 2, 0);
    const order = new Float64Array(total);
    let m = 0;
    for (const log of perPop[i]!) for (let j = 0; j < log.length; j += 2) order[m++] = log[j]! * p.size + log[j + 1]!;
    order.sort();
    const st = new Int32Array(total);
    const ne = new Int32Array(total);
    const cnt = new Int32Array(p.size);
    for (let j = 0; j < total; j++) {
      st[j] = Math.floor(order[j]! / p.size);
      ne[j] = order[j]! - st[j]! * p.size;
      cnt[ne[j]!]!++;
    }
    spikes.set(p.name, { steps: st, neurons: ne });
    counts.set(p.name, cnt);
  });
  return {
    steps, spikes, counts, traces,
    counterNames: [...COUNTER_NAMES], counters: rt.counters,
    stepRuns,
    frequencyHz: prep.frequencyHz, tickPeriodS: prep.tickPeriodS, budgetCycles: prep.options.cycles.budget, dvfs: prep.dvfs,
    routerDrops: prep.routerDrops, warnings: prep.warnings, runtime: rt,
    restSkips: rt.outputs.reduce((a, o) => a + (o.value as S2WorkerOutput).restSkips, 0),
  };
}
