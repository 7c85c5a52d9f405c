/**
 * spinnaker2 kernel data: what run.ts builds on the main thread and every worker's kernel reads
 * (populations, cores, sources, options) and what a worker returns. Types and constants only.
 */
import type { StepRuns } from '../../src/chip/step-runs.js';
/** Neuron kind codes (PopData.kind). */
export const KIND = { LIF: 0, LI: 1, IF: 2, I: 3, CubaLIF: 4, CubaLI: 5, CurrentLIF: 6, Threshold: 7 } as const;

/** A population as the kernels need it: per-neuron codes, expanded (length = size). */
export interface PopData {
  name: string;
  kind: number;
  role: 'neuron' | 'source' | 'relay';
  size: number;
  receptors: number;
  /** State-format codes. */
  vth?: Int32Array;
  vl?: Int32Array;
  vr?: Int32Array;
  v0?: Int32Array;
  bias?: Int32Array;
  /** Coefficient-format codes: decay, gain, synaptic decay/gain; CurrentLIF c[r·size + k], ar[r]. */
  a?: Int32Array;
  g?: Int32Array;
  as?: Int32Array;
  gs?: Int32Array;
  c?: Int32Array;
  ar?: Int32Array;
  /** CurrentLIF refractory period in steps. */
  ref?: Int32Array;
  /** CurrentLIF, per receptor: 1 for a delta receptor (its input goes to v); absent when none is. */
  delta?: Uint8Array;
  /** Record the state trace (v) of this population. */
  trace: boolean;
}

/** Input of a source population. */
export type SourceData =
  | { kind: 'dense'; size: number; steps: number; data: Float32Array }
  | { kind: 'poisson'; size: number; key: number; p: Float64Array }
  | { kind: 'none'; size: number };

/** One program core: its slice, synaptic rows and the multicast route of its packets. */
export interface CoreData {
  pop: number;
  lo: number;
  hi: number;
  key: number;
  shifts: number[];
  rowKeys: Uint32Array;
  rowStart: Uint32Array;
  words: Uint32Array;
  /** Program core ids its packets are delivered to (ascending), and the per-packet costs. */
  dests: Int32Array;
  lookups: number;
  meshHops: number;
  chipHops: number;
  dropped: number;
  latencyCycles: number;
  /** Source populations with rows on this core (their spikes must be generated here). */
  inputPops: number[];
  sramBytes: number;
}

export interface S2Shared {
  pops: PopData[];
  cores: CoreData[];
  /** By population index (only source populations have one). */
  sources: (SourceData | null)[];
  /** Per source population: key and core of each neuron. */
  sourceKeys: (Int32Array | null)[];
  sourceCores: (Int32Array | null)[];
  /**
   * Where each neuron's synaptic rows are: neuron k of core c is slot neuronBase[c] + k; its rows
   * are the pairs (destination core, row index) tgt[2e], tgt[2e+1] for e in tgtIndex[slot] … tgtIndex[slot+1]−1.
   */
  neuronBase: Int32Array;
  tgtIndex: Int32Array;
  tgt: Int32Array;
}

export interface S2Arith {
  stateMin: number;
  stateMax: number;
  ringMin: number;
  ringMax: number;
  saturateRing: boolean;
  saturateState: boolean;
  coefFrac: number;
  decayRounding: string;
  inputRounding: string;
}

export interface S2Options {
  arith: S2Arith;
  reset: 'zero' | 'subtract';
  /** CurrentLIF input while refractory: added to the current (integrate) or discarded (drop). */
  refractoryInput: 'integrate' | 'drop';
  /** Cycle model per core and tick, and the tick budget in cycles. */
  cycles: { neuron: number; synapse: number; packet: number; tick: number; budget: number };
  synapseWordBytes: number;
  neuronStateBytes: number;
}

/** What each worker returns. */
export interface S2WorkerOutput {
  cores: Int32Array;
  /** Per owned core: spikes as (step, neuron index in the population) pairs. */
  spikes: Int32Array[];
  /** Per owned core: v codes [step · n + k] when its population is traced, else empty. */
  traces: Int32Array[];
  /** Per tick, run-length encoded: slowest owned core's cycles, that core, and the slowest packet route's cycles. */
  steps: StepRuns;
  /** Core-ticks whose neuron update was skipped as provably the identity (kernel-rest.ts). */
  restSkips: number;
}
