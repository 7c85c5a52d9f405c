/**
 * CLI wiring (compiler + spinnaker2 chip + cost; only src/cli may import both).
 * One call from a graph to a costed spinnaker2 run: scale voltages (optional), compile, run on the
 * worker-thread runtime, estimate energy and latency, compute NeuroBench-style metrics and,
 * optionally, compare spikes with the float64 reference. Used by `neuromesh run` and the demo.
 */
import { compile, type CompileResult, type PassTrace } from '../../compiler/index.js';
import type { ChipBackend } from '../chip/backend.js';
import type { RunConfig } from '../chip/program.js';
import { neuroBenchMetrics } from '../cost/index.js';
import type { Graph } from '../graph/graph.js';
import { scaleVoltages } from '../graph/weight-scale.js';
import { inputAt, type StepInput } from '../io/spikes.js';
import { simulate } from '../reference/index.js';
import type { NodeComparison, RunReportInput } from '../report/index.js';
import type { RunHandle } from '../runtime/index.js';
import { counterTable, spinnaker2Cost, type Spinnaker2Cost } from '../../chips/spinnaker2/cost.js';
import { runChip, type ChipRunResult } from '../../chips/spinnaker2/run.js';

export interface PipelineOptions {
  steps: number;
  workers?: number;
  inputs?: Map<string, StepInput>;
  config?: Partial<RunConfig>;
  seed?: number;
  dvfs?: string;
  /** Multiply voltages and inputs by K before compiling; recorded v is divided back (default 1). */
  weightScale?: number;
  trace?: string[];
  maxNeuronsPerCore?: Record<string, number>;
  /** Also run the float64 reference and count differing spikes. */
  compare?: boolean;
  file?: string;
  onPass?: (t: PassTrace) => void;
  progress?: { every: number; onProgress: (step: number, steps: number) => void };
  onStart?: (h: RunHandle) => void;
  signal?: AbortSignal;
}

export interface PipelineResult {
  compiled: CompileResult;
  run: ChipRunResult;
  cost: Spinnaker2Cost;
  report: RunReportInput;
  weightScale: number;
  timings: { compile: number; run: number; reference?: number };
}

/** Materialise an input advanced by one step (x'_t = x_{t+1}) for `steps` steps. */
function advanced(inp: StepInput, steps: number, dt: number): StepInput {
  const data = new Float32Array(steps * inp.size);
  const row = new Float64Array(inp.size);
  for (let t = 0; t < steps; t++) {
    inputAt(inp, t + 1, dt, row);
    for (let k = 0; k < inp.size; k++) data[t * inp.size + k] = row[k]!;
  }
  return { kind: 'dense', node: inp.node, size: inp.size, steps, data };
}

function compareSpikes(chip: ChipRunResult, ref: ReturnType<typeof simulate>): Record<string, NodeComparison> {
  const out: Record<string, NodeComparison> = {};
  for (const [name, s] of chip.spikes) {
    const r = ref.spikes.get(name);
    if (!r) continue;
    const key = (st: number, n: number): number => st * 2 ** 26 + n;
    const a = new Set<number>();
    for (let i = 0; i < s.steps.length; i++) a.add(key(s.steps[i]!, s.neurons[i]!));
    let common = 0;
    for (let i = 0; i < r.steps.length; i++) if (a.has(key(r.steps[i]!, r.neurons[i]!))) common++;
    const cc = chip.counts.get(name)!;
    const rc = ref.counts.get(name)!;
    let diff = 0;
    for (let k = 0; k < cc.length; k++) diff += Math.abs(cc[k]! - (rc[k] ?? 0));
    out[name] = { chipSpikes: s.steps.length, referenceSpikes: r.steps.length, differingSpikes: s.steps.length + r.steps.length - 2 * common, countDifference: diff };
  }
  return out;
}

export async function runPipeline(graph: Graph, backend: ChipBackend, opts: PipelineOptions): Promise<PipelineResult> {
  const K = opts.weightScale ?? 1;
  const g = scaleVoltages(graph, K);
  const t0 = performance.now();
  const compiled = compile(g, backend, {
    seed: opts.seed ?? 0,
    config: { ...opts.config, delay: 1 },
    ...(opts.maxNeuronsPerCore ? { maxNeuronsPerCore: opts.maxNeuronsPerCore } : {}),
    ...(opts.file ? { file: opts.file } : {}),
    ...(opts.onPass ? { onPass: opts.onPass } : {}),
  });
  const t1 = performance.now();
  const program = compiled.program;
  const profile = backend.profile;
  const run = await runChip(program, profile, g, {
    steps: opts.steps,
    ...(opts.workers ? { workers: opts.workers } : {}),
    ...(opts.inputs ? { inputs: opts.inputs } : {}),
    seed: opts.seed ?? program.seed,
    ...(opts.dvfs ? { dvfs: opts.dvfs } : {}),
    ...(opts.trace ? { trace: opts.trace } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
    ...(opts.onStart ? { onStart: opts.onStart } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const t2 = performance.now();
  const cost = spinnaker2Cost(profile, program, run);
  const net = compiled.network;
  let dense = 0;
  for (const pr of net.projections) dense += net.populations[pr.pre]!.size * net.populations[pr.post]!.size;
  let spikes = 0;
  for (const s of run.spikes.values()) spikes += s.steps.length;
  const metrics = neuroBenchMetrics({
    footprintBytes: program.cores.reduce((a, c) => a + c.sramBytes, 0),
    denseConnections: dense,
    nonzeroSynapses: program.summary.synapses,
    neurons: program.summary.neurons,
    spikes,
    steps: opts.steps,
    synapticEvents: cost.energy.terms.find((t) => t.counter === 'synaptic_events')?.count ?? sumCounter(run, 'synaptic_events'),
  });
  const traces: RunReportInput['traces'] = new Map();
  for (const [name, values] of run.traces) {
    const pop = program.populations.find((p) => p.name === name)!;
    traces.set(name, [{ var: 'v', size: pop.size, values: K === 1 ? values : values.map((x) => x / K) }]);
  }
  let compare: RunReportInput['compare'];
  let tRef: number | undefined;
  if (opts.compare) {
    const t3 = performance.now();
    const dt = program.config.dt;
    const refInputs = new Map<string, StepInput>();
    for (const [k, v] of opts.inputs ?? []) refInputs.set(k, advanced(v, opts.steps, dt));
    const ref = simulate(graph, { ...program.config, delay: 1, steps: opts.steps, seed: opts.seed ?? program.seed, inputs: refInputs });
    compare = {
      reference: 'float64 reference (src/reference) with delay 1 and every Input advanced one step, so that both see the same input at every step (the chip applies input spikes in the tick they occur); a recurrent edge takes 2 steps in both (the compiler adds its step as synaptic delay)',
      nodes: compareSpikes(run, ref),
    };
    tRef = (performance.now() - t3) / 1000;
  }
  const s = program.summary;
  const report: RunReportInput = {
    spikes: run.spikes, counts: run.counts, traces,
    counters: counterTable(program, run),
    energy: cost.energy, latency: cost.latency, metrics, coefficients: cost.coefficients,
    resources: {
      neurons: s.neurons, sources: s.sources, synapses: s.synapses, cores: s.cores, chips: s.chips,
      sramPerCore: s.sramPerCore, routerEntries: s.routerEntries, weights: s.weights, routerDrops: run.routerDrops,
    },
    ...(compare ? { compare } : {}),
  };
  return { compiled, run, cost, report, weightScale: K, timings: { compile: (t1 - t0) / 1000, run: (t2 - t1) / 1000, ...(tRef !== undefined ? { reference: tRef } : {}) } };
}

function sumCounter(run: ChipRunResult, name: string): number {
  const k = run.counterNames.indexOf(name);
  const K = run.counterNames.length;
  let s = 0;
  for (let c = 0; c < run.counters.length / K; c++) s += run.counters[c * K + k]!;
  return s;
}
