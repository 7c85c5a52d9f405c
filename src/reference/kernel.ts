import type { Diagnostic } from '../errors.js';
import type { StepInput } from '../io/spikes.js';
import type { Shape } from '../graph/tensor.js';
import type { RunConfig } from './config.js';

/** What a kernel factory knows when it builds the per-node plan. */
export interface KernelContext {
  cfg: RunConfig;
  /** Input shape (undefined for sources). */
  inShape: Shape | undefined;
  outShape: Shape;
  /** External inputs by Input-node name. */
  inputs: ReadonlyMap<string, StepInput>;
  /** File the graph came from, for diagnostics. */
  file?: string;
  /** Threshold decisions of this node, when something else decides near-ties (SimulateOptions.thresholdTies). */
  decide?: ThresholdDecider;
}

/**
 * Whether neuron k spikes at step t with membrane v against threshold th. The reference's own rule
 * is v > th; `check` passes one that, within a chip's declared resolution of the threshold, takes
 * the chip's decision instead (docs/semantics.md §7).
 */
export type ThresholdDecider = (t: number, k: number, v: number, th: number) => boolean;

/** Counters the simulator reports (deterministic, not timings). */
export interface Counters {
  /** Synapses traversed by a nonzero input value (SparseLinear, Linear, Affine). */
  synapticEvents: number;
}

/**
 * One node's precomputed plan: typed arrays built once, a step function that allocates nothing.
 * `step(t, x, y)` reads the summed input x (never mutates it) and overwrites every element of y.
 */
export interface Kernel {
  /** Output elements (C order). */
  readonly size: number;
  /** Input blocks: CurrentLIF has one block of `size` per receptor, every other kind 1. */
  readonly receptors: number;
  /** Whether y is a 0/1 spike vector. */
  readonly spiking: boolean;
  /** Recordable state variables by name (v after reset, i, …), each `size` long, read after step. */
  readonly vars: Readonly<Record<string, Float64Array>>;
  step(t: number, x: Float64Array, y: Float64Array, counters: Counters): void;
  /**
   * Kernels that hold past inputs (Delay, SparseLinear with delays): the output at rest for the
   * constant input `x` (docs/semantics.md §2, before step 0), without changing any state. Other
   * stateless kernels compute it with `step`.
   */
  rest?(x: Float64Array, y: Float64Array): void;
  /**
   * Make every step before 0 have seen the constant input `rest`, except step −1, which saw
   * `prev` when given (sources read one step ahead). Called once, before step 0.
   */
  prime?(rest: Float64Array, prev?: Float64Array): void;
}

export type KernelResult = Kernel | Diagnostic[];

export function isKernel(k: KernelResult): k is Kernel {
  return !Array.isArray(k);
}
