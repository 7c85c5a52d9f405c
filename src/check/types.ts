import type { StepInput } from '../io/spikes.js';

/** Spikes of one population: parallel arrays sorted by step then neuron. */
export interface SpikeSet {
  steps: ArrayLike<number>;
  neurons: ArrayLike<number>;
}

export type SpikeMap = ReadonlyMap<string, SpikeSet>;

/** An Input node the check drives: its name and number of neurons (C-order flat). */
export interface InputPort {
  name: string;
  size: number;
}

/**
 * What `check` runs, wired by the CLI (src/check imports no compiler and no chip): the chip
 * emulation, the chip's bit-exact golden model, and the float64 reference in the chip's delay mode.
 * Each gets the same inputs (dense 0/1 per Input node) and the number of steps.
 */
export interface CheckSystem {
  inputs: InputPort[];
  dt: number;
  /**
   * First step at which inputs may spike. A chip whose input acts in the tick it occurs is compared
   * with a reference whose input arrives one step later by advancing the reference's input one
   * step, so step 0 of the input would be seen by the chip only: such a chip sets 1 here.
   */
  inputStart: number;
  /** The chip run: its spikes and, when mapping invariants are checked, what this run broke. */
  chip(inputs: Map<string, StepInput>, steps: number): Promise<ChipRun>;
  golden?(inputs: Map<string, StepInput>, steps: number): Promise<SpikeMap> | SpikeMap;
  /**
   * What "equal" means against the golden model (the backend's `compare`): absent = exact, every
   * spike at the same step and neuron; a tolerance for chips whose golden model is not bit-exact.
   */
  goldenTolerance?: Tolerance;
  /**
   * The reference run; `chip` is the chip's spikes on the same input, for a reference that follows
   * the chip's threshold decisions within the chip's declared resolution (ChipBackend.reference.thresholdTies).
   */
  reference(inputs: Map<string, StepInput>, steps: number, chip: SpikeMap): Promise<SpikeMap> | SpikeMap;
  /** How the reference is run (delay mode, input alignment), repeated in every output. */
  referenceNote: string;
}

/** A mapping invariant broken by the chip (run-time: overruns, drops; or static: limits, routing). */
export interface Violation {
  /** 'routing' | 'core-limits' | 'quantization' | 'tick-overrun' | … (chip-defined). */
  invariant: string;
  message: string;
  node?: string;
  core?: number;
}

export interface ChipRun {
  spikes: SpikeMap;
  violations?: Violation[];
}

/** A concrete input: explicit 0/1 spikes per Input node, sorted by input, step, neuron. */
export interface Stimulus {
  steps: number;
  spikes: { input: string; step: number; neuron: number }[];
}

/**
 * Chip vs reference tolerance, per neuron: |count_chip − count_ref| ≤ count + rel · max(count_chip, count_ref).
 */
export interface Tolerance {
  count: number;
  rel: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { count: 1, rel: 0.1 };

/** Where two spike records first differ. */
export interface Difference {
  node: string;
  neuron: number;
  /** First step at which the neuron's spike trains differ (−1 if only the counts are compared and trains agree). */
  step: number;
  /** Whether the chip spiked at that step, and whether the other side did. */
  chipSpiked: boolean;
  otherSpiked: boolean;
  chipCount: number;
  otherCount: number;
}

export interface Verdict {
  against: 'golden' | 'reference';
  ok: boolean;
  /** Compared nodes. */
  nodes: string[];
  difference?: Difference;
  /** Number of neurons out of tolerance (reference) or with differing trains (golden). */
  differingNeurons: number;
}

export interface Evaluation {
  golden?: Verdict;
  reference: Verdict;
  /** Mapping invariants broken in this run (only with invariants on). */
  violations?: Violation[];
  /** User properties on the chip's spikes. */
  properties?: { name: string; ok: boolean; message?: string }[];
  ok: boolean;
}
