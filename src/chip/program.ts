import type { RunConfig as ReferenceRunConfig } from '../reference/config.js';
import type { NodeKind } from '../graph/graph.js';
import type { FloatArray, IndexArray } from '../graph/tensor.js';

/**
 * The data the compiler passes hand to each other and to a chip backend's strategies (IR level 2).
 * Plain data, typed arrays for everything per neuron or per synapse, so a 1 M-neuron /
 * 100 M-synapse network fits in memory and stays fast.
 */

/**
 * Run configuration a program is compiled for: docs/semantics.md §1 without the per-run steps and seed
 * (`delay` = steps every edge into a stateful node adds on this chip; a digital chip: 1).
 */
export type RunConfig = Omit<ReferenceRunConfig, 'steps' | 'seed'>;

/** A group of neurons (or spike sources) that becomes per-core slices. */
export interface Population {
  index: number;
  /** The graph node it comes from. */
  name: string;
  kind: NodeKind;
  /**
   * 'neuron': a stateful node; 'source': an Input / SpikeSource (counted apart from neurons);
   * 'relay': IF neurons the compiler added to extend delays past the chip's range (counted apart).
   */
  role: 'neuron' | 'source' | 'relay';
  size: number;
  shape: number[];
  /** Per-neuron parameters as the graph gives them (1 value = broadcast), float64. */
  params: Record<string, Float64Array>;
  /** Constant input per neuron from composed biases (absent when all zero). */
  bias?: Float64Array;
  /** Synaptic receptors (CurrentLIF: one per tau_syn; others 1). */
  receptors: number;
  /** Emits spikes (may be the pre side of a projection). */
  spiking: boolean;
  /** Feeds an Output node (its spikes/values are recorded). */
  output: boolean;
}

/**
 * A composed connection pre population → post population: CSR in pre-major order (the synapses
 * of pre neuron i are s = indptr[i] … indptr[i+1]−1, target post neuron target[s]).
 */
export interface Projection {
  index: number;
  /** Display name: the graph nodes composed into it, joined with '+'. */
  name: string;
  nodes: string[];
  pre: number;
  post: number;
  receptor: number;
  indptr: IndexArray;
  target: IndexArray;
  weight: FloatArray;
  /** Per-synapse delay in steps (absent: all 0). */
  delay?: IndexArray;
  /** Weights stored in the graph's nodes (a conv kernel counts once). */
  storedWeights: number;
  /** Added by the compiler (delay-extension relays), not in the model. */
  relay?: boolean;
}

export interface Network {
  populations: Population[];
  projections: Projection[];
}

/** A population as the program stores it: with its parameters in the chip's state format. */
export interface ProgramPopulation extends Population {
  /** State-format codes of voltages and thresholds (name → int32 codes, like params; empty for a float chip). */
  fixed: Record<string, Int32Array>;
  fixedBias?: Int32Array;
  /** The chip's other run-time codes (e.g. decay and gain coefficients), by name: a run does no quantization. */
  coefficients?: Record<string, Int32Array>;
}

/**
 * What the model is, counted the same way for every chip (the NeuroBench metrics of a run read
 * these, so a `.nmp` run reports the same figures as a run from the graph).
 */
export interface ModelStats {
  /** Neurons of stateful nodes (sources and relays apart). */
  neurons: number;
  /** Input / SpikeSource neurons. */
  sources: number;
  /** Relay neurons and their synapses that the compiler added for delay extension. */
  relays: number;
  relaySynapses: number;
  /** Neurons with a nonzero composed bias. */
  biasInputs: number;
  /** Composed synapses (relays apart). */
  synapses: number;
  /** Nonzero connections as the model's nodes count them one by one (before composition). */
  modelSynapses: number;
  /** Σ pre size × post size over the composed projections: the connections of a dense network. */
  denseConnections: number;
  /** Weights stored in the graph's nodes (a conv kernel counts once). */
  storedWeights: number;
}

/** One hardware unit a program uses (a core, a crossbar tile, a group of cells), for per-unit tables and heat maps. */
export interface ProgramUnit {
  kind: 'core' | 'tile' | 'cell-group';
  label: string;
  /** The graph node (population) it serves. */
  node: string;
  /** Grid coordinates on the chip, where the chip has a grid. */
  grid?: [number, number];
}

/** One line of the resources table: what the program uses, in what unit, against what limit. */
export interface ResourceRow {
  name: string;
  value: number;
  unit: string;
  limit?: number;
}

/** How time advances on the chip: fixed ticks (one per step), or events with a lookahead (in `unit`) between units. */
export type TimeModel = { kind: 'tick' } | { kind: 'event'; lookahead: number; unit: string };

/** The profile a program was compiled for; mappingHash covers the sections that change the mapping. */
export interface ProgramProfileRef {
  id: string;
  family: string;
  version: string;
  mappingHash: string;
}

/** The generic parts of a program that a chip's mapping produces (with its own payload `P`). */
export interface ChipProgramParts<P> {
  populations: ProgramPopulation[];
  model: ModelStats;
  units: ProgramUnit[];
  resources: ResourceRow[];
  time: TimeModel;
  payload: P;
}

/**
 * IR level 2: what `.nmp` files hold — a generic envelope every chip shares, plus the chip-owned
 * payload `P` (written by the chip's codec). The program holds everything a run needs.
 */
export interface ChipProgram<P = unknown> extends ChipProgramParts<P> {
  schemaVersion: number;
  graphHash: string;
  profile: ProgramProfileRef;
  config: RunConfig;
  seed: number;
  /**
   * The weight scale K the program was compiled with (src/chip/weight-scale.ts): its voltages,
   * biases and weights are the model's × K; a run divides recorded v back by K. A .nmp written
   * before the field existed reads as 1 (it was never scaled: compile had no --weight-scale).
   */
  weightScale: number;
  /** SHA-256 (hex) of the encoded payload: set by the codec when a program is written or read ('' before). */
  payloadChecksum: string;
}

/** A chip's codec for its program payload (bytes inside the .nmp envelope). */
export interface PayloadCodec<P> {
  encode(payload: P): Uint8Array;
  /** Decode and validate every field; a bad one is an E_CORRUPT NeuromeshError naming it. */
  decode(bytes: Uint8Array, file?: string): P;
}

/**
 * Current `.nmp` schema version. 2: a generic envelope (populations with spike-source data, model
 * statistics, units, resources, time model) around a chip-owned payload, with checksums; schema 1
 * files are refused with "recompile".
 */
export const PROGRAM_SCHEMA_VERSION = 2;
