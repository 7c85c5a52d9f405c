/**
 * What every chip family returns from a run and from its cost model, so that commands and reports
 * read one shape whatever the chip: ChipRun (spikes, counts, traces, per-unit counters, warnings)
 * and CostRecord (energy, latency, resources, NeuroBench metrics, coefficients with provenance).
 */
import type { CoefficientRef, CounterTable, EnergyReport, LatencyReport, NeuroBenchMetrics } from '../cost/index.js';
import type { Diagnostic } from '../errors.js';
import type { StepInput } from '../io/spikes.js';
import type { RunHandle, RunResult } from '../runtime/index.js';

/** Spikes of one population: parallel arrays sorted by step then neuron. */
export interface SpikeTrain {
  steps: Int32Array;
  neurons: Int32Array;
  /** Sub-step spike times in seconds, for event-driven chips (absent on tick chips). */
  times?: Float64Array;
}

/** Values of the chip's own options (its `options` declarations), by option name; one entry per use. */
export type ChipOptionValues = ReadonlyMap<string, readonly string[]>;

/** A command-line option a chip family declares; the CLI registers it generically. */
export interface ChipOption {
  /** Long name without dashes, e.g. 'dvfs'. */
  name: string;
  /** Commands it applies to. */
  commands: readonly ('compile' | 'run' | 'check')[];
  /** Placeholder shown in --help, e.g. '<point>'. */
  value: string;
  help: string;
  /** May be given more than once (otherwise the last value counts). */
  repeatable?: boolean;
  /** Test-only options are hidden from --help. */
  hidden?: boolean;
}

export interface ChipRunOptions {
  steps: number;
  workers?: number;
  /** Input of each Input node (by name); Input nodes without one get no spikes. */
  inputs?: Map<string, StepInput>;
  /** Seed of spike sources without their own (default: the program's seed). */
  seed?: number;
  /** Populations (graph node names) whose v is traced. */
  trace?: string[];
  /** Values of the chip's own options (e.g. spinnaker2's dvfs). */
  chipOptions?: ChipOptionValues;
  progress?: { every: number; onProgress: (step: number, steps: number) => void };
  signal?: AbortSignal;
  /**
   * Stall watchdog of the worker runtime (src/runtime/pool.ts): a tick longer than
   * max(floorMs, factor × the median tick so far) ends the run with E_WORKER_STALLED. Absent: off.
   */
  stall?: StallLimit;
  /** Called with the runtime handle once the run has started (Ctrl-C wiring, fault injection). */
  onStart?: (h: RunHandle) => void;
}

export interface StallLimit {
  floorMs: number;
  /** 0: floorMs alone. */
  factor: number;
}

/** One run record for every chip; `detail` is the chip's own (step cycles, drops, …). */
export interface ChipRun<D = unknown> {
  steps: number;
  spikes: Map<string, SpikeTrain>;
  counts: Map<string, Int32Array>;
  /** Traced populations: v in the model's units, [step · size + neuron]. */
  traces: Map<string, Float64Array>;
  /** Per-unit event counters (a unit is a core, a tile or a cell group). */
  counters: CounterTable;
  warnings: Diagnostic[];
  /** The worker runtime's result (timings and statistics go to `host` only). */
  runtime?: RunResult;
  detail: D;
}

/** The only thing reports read about what a run costs on a chip. */
export interface CostRecord {
  /** totalJ = activeJ + staticJ = Σ byComponent; every term is counter × coefficient. */
  energy: EnergyReport;
  latency: LatencyReport;
  /** What the program occupies on the chip (neurons, units, memory, tables, …). */
  resources: Record<string, unknown>;
  metrics: NeuroBenchMetrics;
  coefficients: CoefficientRef[];
}
