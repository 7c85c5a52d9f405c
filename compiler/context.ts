import type { ChipBackend } from '../src/chip/backend.js';
import type { RunConfig } from '../src/chip/program.js';
import type { Diagnostic } from '../src/errors.js';
import type { NameTable } from '../src/own.js';

export interface CompileOptions {
  /** Seed of every randomized decision (placement refinement). Default 0. */
  seed?: number;
  /** Run configuration the program is compiled for (defaults: docs/semantics.md §1, delay 1). */
  config?: Partial<RunConfig>;
  /** Per node name ('*': every population): cap on neurons per core. A Map, or a record (own keys only). */
  maxNeuronsPerCore?: NameTable<number>;
  /** Model file name, for diagnostics. */
  file?: string;
  /**
   * Activity per node name for traffic-aware placement: spike counts per neuron (C-order, e.g. a
   * reference run's `counts`) or one number for every neuron. Default: every neuron fires once.
   */
  activity?: NameTable<ArrayLike<number> | number>;
  /** Routing granularity (StrategyContext.routing); default 'slice'. */
  routing?: 'slice' | 'exact';
  /**
   * Weight scale K (src/chip/weight-scale.ts): a number multiplies the lowered network's voltages,
   * biases and weights by it; 'auto' asks the chip (ChipBackend.chooseWeightScale; none: 1).
   * Default 1: the graph is compiled in its own units (the CLI passes 'auto').
   */
  weightScale?: number | 'auto';
  /** Called after every pass with its trace entry (for --verbose and progress). */
  onPass?(trace: PassTrace): void;
}

/** Per-pass time and sizes: goes to --verbose and the `host` section only, never into programs. */
export interface PassTrace {
  pass: string;
  ms: number;
  verifyMs: number;
  sizes: Record<string, number>;
}

export interface PassContext {
  backend: ChipBackend;
  seed: number;
  config: RunConfig;
  maxNeuronsPerCore: ReadonlyMap<string, number>;
  file?: string;
  routing: 'slice' | 'exact';
  activity?: ReadonlyMap<string, ArrayLike<number> | number>;
  /** Warnings collected by the passes (errors are thrown as NeuromeshError at once). */
  diagnostics: Diagnostic[];
}

export const DEFAULT_CONFIG: RunConfig = { dt: 1e-4, integrator: 'euler', reset: 'zero', ifMode: 'step', refractoryInput: 'integrate', delay: 1 };
