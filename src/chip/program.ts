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

/** Weights in the chip's format plus what was lost on the way. */
export interface Quantization {
  /** Per projection: one int16 weight code per synapse (same order as Projection.target). */
  weights: Int16Array[];
  /** Per population, per receptor: the ring-buffer left shift chosen for it. */
  shifts: number[][];
  /** Per projection: nonzero weights that became 0, and weights that saturated. */
  zeroed: number[];
  saturated: number[];
  /** Per population: fixed-point codes of its parameters (name → int32 codes, same length as params). */
  params: Record<string, Int32Array>[];
  /** Per population: fixed-point codes of the bias (absent when none). */
  bias: (Int32Array | undefined)[];
}

/** A contiguous range of one population's neurons that runs on one core. */
export interface Slice {
  index: number;
  pop: number;
  lo: number;
  hi: number;
  /** Synapse words (incoming synapses) stored on the core. */
  synapseWords: number;
  /** Estimated SRAM bytes on the core (neuron state + synapse words + overhead). */
  sramBytes: number;
}

export interface Partition {
  slices: Slice[];
  /** Per population: its slice indices in neuron order. */
  popSlices: number[][];
  /** Per population: neuron → global slice index. */
  sliceOf: Uint32Array[];
}

/**
 * Expected traffic between slices, aggregated (never per synapse): CSR over source slices;
 * weight[e] = Σ over neurons of the source slice with at least one synapse into slice dst[e] of
 * their activity (1 each by default: packets per spike of every neuron; or spike counts from a
 * reference run), i.e. the packets that must reach that core.
 */
export interface SliceGraph {
  indptr: Uint32Array;
  dst: Uint32Array;
  weight: Float64Array;
  /** Per slice: the packets it sends (its neurons' activity; the neuron count without a reference run). */
  sent: Float64Array;
}

/** Chips and cores of the machine the program runs on. */
export interface MachineLayout {
  /** Chip coordinates, index = chip id. */
  chips: [number, number][];
  /** Cores (PEs) per chip, index = PE id on the chip. */
  coresPerChip: number;
  /** Cores per chip a program may use (the rest run the system). */
  usableCoresPerChip: number;
  /** Links per chip; neighbour[chip · linksPerChip + link] = chip id at the other end, or −1. */
  linksPerChip: number;
  neighbour: Int32Array;
}

export interface Placement {
  /** Slice → global core id (chip · coresPerChip + pe). */
  coreOf: Int32Array;
  /** Hop-weighted traffic cost of this placement, of the locality start, and of naive row-major. */
  cost: number;
  startCost: number;
  naiveCost: number;
  /** Refinement moves tried / accepted. */
  moves: number;
  accepted: number;
}

/** One router entry (docs/semantics.md §6): matches when (key & mask) == entry.key; first match wins. */
export interface RouterEntry {
  key: number;
  mask: number;
  /** Outgoing chip links (ids 0–5). */
  links: number[];
  /** Local cores (PE ids on this chip). */
  cores: number[];
}

export interface RouterTable {
  chip: number;
  entries: RouterEntry[];
  /** Entries before compression. */
  entriesBefore: number;
}

export interface Routing {
  /** Per slice: the routing key base of its neuron 0, and its mask (key of neuron n = key + n). */
  sliceKey: Uint32Array;
  sliceMask: Uint32Array;
  routers: RouterTable[];
  /** Router entry limit per chip from the profile. */
  tableSize: number;
  /** Per directed chip link: packets per unit firing of every neuron ("chip,link" → load). */
  linkLoads: Map<string, number>;
  /** Chip-link hops and on-chip (mesh) hops per unit firing of every neuron. */
  chipHops: number;
  meshHops: number;
}

/** A core of the final program: one slice with its synaptic matrix. */
export interface ProgramCore {
  chip: number;
  pe: number;
  slice: number;
  pop: number;
  lo: number;
  hi: number;
  key: number;
  mask: number;
  /** Ring-buffer left shift per receptor. */
  shifts: number[];
  /**
   * Synaptic rows: for each source neuron with synapses here, its routing key, and its words
   * rowStart[r] … rowStart[r+1]−1. A word is weight:16 | delay:4 | receptor:4 | neuron:8.
   */
  rowKeys: Uint32Array;
  rowStart: Uint32Array;
  words: Uint32Array;
  sramBytes: number;
}

/** Deterministic totals and resource figures (what `compile` prints). */
export interface CompileSummary {
  neurons: number;
  sources: number;
  /** Relay neurons and their synapses added for delay extension. */
  relays: number;
  relaySynapses: number;
  biasInputs: number;
  synapses: number;
  /** Nonzero connections as the model's nodes count them one by one (before composition). */
  modelSynapses: number;
  /** Σ pre size × post size over the composed projections: the connections of a dense network (NeuroBench). */
  denseConnections: number;
  storedWeights: number;
  cores: number;
  chips: number;
  sramPerCore: { max: number; mean: number; limit: number };
  routerEntries: { before: number; after: number; maxAfter: number; limit: number };
  linkLoad: { max: number; mean: number; links: number };
  /** basis: what the packet counts are per ('one spike per neuron' or 'reference run activity'). */
  traffic: { chipHops: number; meshHops: number; basis: string };
  placement: { cost: number; startCost: number; naiveCost: number; moves: number; accepted: number };
  weights: { node: string; synapses: number; zeroed: number; saturated: number; shift: number }[];
}

/** A population as the program stores it: with its parameters in the chip's state format. */
export interface ProgramPopulation extends Population {
  /** State-format codes of voltages and thresholds (name → int32 codes, like params). */
  fixed: Record<string, Int32Array>;
  fixedBias?: Int32Array;
  /** The chip's other run-time codes (e.g. decay and gain coefficients), by name: a run does no quantization. */
  coefficients?: Record<string, Int32Array>;
}

/** IR level 2: what `.nmp` files hold. */
export interface ChipProgram {
  schemaVersion: number;
  graphHash: string;
  profile: { id: string; family: string; version: string };
  config: RunConfig;
  seed: number;
  machine: MachineLayout;
  populations: ProgramPopulation[];
  cores: ProgramCore[];
  routers: RouterTable[];
  summary: CompileSummary;
}

/**
 * Current `.nmp` schema version. 2: spike sources carry their rates/spikes and seed, the summary
 * has denseConnections; schema 1 files are refused with "recompile".
 */
export const PROGRAM_SCHEMA_VERSION = 2;

/** Bit layout of a synapse word. */
export const SYNAPSE_WORD = { neuronBits: 8, receptorBits: 4, delayBits: 4, weightBits: 16 } as const;

export function packSynapse(weight: number, delay: number, receptor: number, neuron: number): number {
  return (((weight & 0xffff) << 16) | ((delay & 0xf) << 12) | ((receptor & 0xf) << 8) | (neuron & 0xff)) >>> 0;
}

export function unpackSynapse(word: number): { weight: number; delay: number; receptor: number; neuron: number } {
  return { weight: (word >> 16) | 0, delay: (word >>> 12) & 0xf, receptor: (word >>> 8) & 0xf, neuron: word & 0xff };
}
