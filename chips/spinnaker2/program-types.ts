import type { ChipProgram, ModelStats } from '../../src/chip/program.js';

/**
 * The spinnaker2 mapping's data (IR level 2 for this chip): weights in its formats, per-core slices,
 * placement, key/mask routing, and the program payload (machine, cores with synapse words, routers,
 * resource summary) that the .nmp envelope carries for it (codec.ts).
 */

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
/** The model statistics (ModelStats, counted as for every chip) plus the spinnaker2 resources. */
export interface CompileSummary extends ModelStats {
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


/** Bit layout of a synapse word. */
export const SYNAPSE_WORD = { neuronBits: 8, receptorBits: 4, delayBits: 4, weightBits: 16 } as const;

export function packSynapse(weight: number, delay: number, receptor: number, neuron: number): number {
  return (((weight & 0xffff) << 16) | ((delay & 0xf) << 12) | ((receptor & 0xf) << 8) | (neuron & 0xff)) >>> 0;
}

export function unpackSynapse(word: number): { weight: number; delay: number; receptor: number; neuron: number } {
  return { weight: (word >> 16) | 0, delay: (word >>> 12) & 0xf, receptor: (word >>> 8) & 0xf, neuron: word & 0xff };
}

/** The spinnaker2 payload of a ChipProgram. */
export interface Spinnaker2Payload {
  machine: MachineLayout;
  cores: ProgramCore[];
  routers: RouterTable[];
  summary: CompileSummary;
}

export type Spinnaker2Program = ChipProgram<Spinnaker2Payload>;

/** A program of any family, narrowed to spinnaker2 (tools and tests that read its payload); another family is a bug. */
export function asSpinnaker2Program(p: ChipProgram): Spinnaker2Program {
  if (p.profile.family !== 'spinnaker2') throw new Error(`a ${p.profile.family} program, not a spinnaker2 one`);
  return p as Spinnaker2Program;
}
