/**
 * One call from a graph (or a compiled program) to a costed run on any chip: compile (with the
 * weight scale the chip chooses, or the caller's), `backend.run` on the worker-thread runtime, `backend.cost`, and, optionally,
 * compare spikes with the float64 reference. Used by `neuromesh run`, the demo and the API
 * (`runOnChip`). Names no chip family: everything chip-specific is behind ChipBackend.
 */
import { nameMap, type NameTable } from '../own.js';
import { compile, type CompileResult, type PassTrace } from '../../compiler/index.js';
import type { ChipBackend } from '../chip/backend.js';
import type { ChipProgram, RunConfig } from '../chip/program.js';
import type { ChipRun, ChipRunOptions, CostRecord } from '../chip/run-record.js';
import type { Graph } from '../graph/graph.js';
import type { WeightScaleDecision } from '../chip/weight-scale.js';
import { inputAt, type StepInput } from '../io/spikes.js';
import { simulate } from '../reference/index.js';
import type { NodeComparison, RunReportInput } from '../report/index.js';
import { setOwn } from '../own.js';
import { checkMemoryBudget, estimateRunMemory } from '../chip/run-memory.js';

export interface RunProgramOptions extends ChipRunOptions {
  /** Refuse (E_MEMORY_BUDGET) a run whose up-front memory estimate exceeds this many bytes. */
  memoryBudget?: number;
  /** A JSON document will be written (counted in the memory estimate). */
  document?: boolean;
  /** The float64 reference runs too (counted in the memory estimate). */
  compare?: boolean;
}

export interface PipelineOptions extends RunProgramOptions {
  /** Weight scale K: a number (the user's --weight-scale), or 'auto' (default: the chip chooses). */
  weightScale?: number | 'auto';
  config?: Partial<RunConfig>;
  /** Per node name: cap on neurons per core ('*' for all). */
  maxNeuronsPerCore?: NameTable<number>;
  file?: string;
  onPass?: (t: PassTrace) => void;
}

export interface ProgramRunResult {
  run: ChipRun;
  cost: CostRecord;
  report: RunReportInput;
}

export interface PipelineResult extends ProgramRunResult {
  compiled: CompileResult;
  weightScale: WeightScaleDecision;
  timings: { compile: number; run: number; reference?: number };
}

function compareSpikes(chip: ChipRun, ref: ReturnType<typeof simulate>): Record<string, NodeComparison> {
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
    setOwn(out, name, { chipSpikes: s.steps.length, referenceSpikes: r.steps.length, differingSpikes: s.steps.length + r.steps.length - 2 * common, countDifference: diff });
  }
  return out;
}

/**
 * Run a compiled program on its chip and cost it; the report is assembled the same way for every
 * chip and for .nmp files. Recorded v is divided back by the program's weight scale (model units).
 */
export async function runProgram(program: ChipProgram, backend: ChipBackend, opts: RunProgramOptions): Promise<ProgramRunResult> {
  const K = program.weightScale;
  const { memoryBudget, document, compare, ...runOptions } = opts;
  if (memoryBudget !== undefined)
    checkMemoryBudget(estimateRunMemory(program, { steps: opts.steps, trace: opts.trace ?? [], ...(opts.inputs ? { inputs: opts.inputs } : {}), document: Boolean(document), scaled: K !== 1, compare: Boolean(compare) }), memoryBudget);
  const run = await backend.run(program, { ...runOptions, seed: opts.seed ?? program.seed });
  const cost = backend.cost(program, run);
  const traces: RunReportInput['traces'] = new Map();
  for (const [name, values] of run.traces) {
    const pop = program.populations.find((p) => p.name === name)!;
    traces.set(name, [{ var: 'v', size: pop.size, values: K === 1 ? values : values.map((x) => x / K) }]);
  }
  const report: RunReportInput = {
    spikes: run.spikes, counts: run.counts, traces, counters: run.counters,
    energy: cost.energy, latency: cost.latency, metrics: cost.metrics, coefficients: cost.coefficients, resources: cost.resources,
  };
  return { run, cost, report };
}

export async function runPipeline(graph: Graph, backend: ChipBackend, opts: PipelineOptions): Promise<PipelineResult> {
  const t0 = performance.now();
  const mapping = backend.compileOptions(opts.chipOptions);
  const compiled = compile(graph, backend, {
    seed: opts.seed ?? 0,
    weightScale: opts.weightScale ?? 'auto',
    config: { ...opts.config, delay: 1 },
    ...mapping,
    ...(opts.maxNeuronsPerCore ? { maxNeuronsPerCore: new Map([...mapping.maxNeuronsPerCore, ...nameMap(opts.maxNeuronsPerCore)]) } : {}),
    ...(opts.file ? { file: opts.file } : {}),
    ...(opts.onPass ? { onPass: opts.onPass } : {}),
  });
  const t1 = performance.now();
  const program = compiled.program;
  const { config: _c, maxNeuronsPerCore: _m, file: _f, onPass: _p, weightScale: _k, ...runOptions } = opts;
  const r = await runProgram(program, backend, runOptions);
  const t2 = performance.now();
  let tRef: number | undefined;
  if (opts.compare) {
    const t3 = performance.now();
    // the reference runs the model in its own units: spikes do not depend on the weight scale
    const ref = simulate(graph, { ...program.config, delay: 1, steps: opts.steps, seed: opts.seed ?? program.seed, sourceLead: backend.reference.sourceLead, inputs: opts.inputs ?? new Map() });
    r.report.compare = { reference: backend.reference.note, nodes: compareSpikes(r.run, ref) };
    tRef = (performance.now() - t3) / 1000;
  }
  return { compiled, ...r, weightScale: compiled.weightScale, timings: { compile: (t1 - t0) / 1000, run: (t2 - t1) / 1000, ...(tRef !== undefined ? { reference: tRef } : {}) } };
}
