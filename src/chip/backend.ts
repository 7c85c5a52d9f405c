import type { Diagnostic } from '../errors.js';
import type { FlatNode, NodeKind } from '../graph/graph.js';
import type { ChipProfile } from './profile.js';
import type { ChipProgram, MachineLayout, Network, Partition, Placement, Quantization, Routing, SliceGraph } from './program.js';

/**
 * How a chip lowers one graph primitive:
 *  - 'population': a stateful neuron node becomes a neuron population;
 *  - 'source': an Input / SpikeSource becomes a spike-source (relay) population;
 *  - 'projection': a stateless node composed into the projection between two populations;
 *  - 'delay': a Delay node becomes synaptic delay;
 *  - 'port': an Output node (records what feeds it).
 * `check` refuses unsupported parameters with a Diagnostic naming node and chip.
 */
export interface Lowering {
  as: 'population' | 'source' | 'projection' | 'delay' | 'port';
  check?(node: FlatNode, chip: string): Diagnostic[];
}

/** What a strategy can read: the profile, the options, the seed; it reports through `diagnostics`. */
export interface StrategyContext {
  profile: ChipProfile;
  seed: number;
  /** Per node name: a user cap on neurons per core (`--max-neurons-per-core name=N`; '*' for every population). */
  maxNeuronsPerCore: Record<string, number>;
  diagnostics: Diagnostic[];
  /**
   * Routing granularity: 'slice' (default) — one multicast tree per source slice, every key of the
   * slice reaches the union of the slice's targets (a runtime may route once per core); 'exact' —
   * per-neuron key blocks where the backend can, so each key reaches exactly its own targets (a
   * runtime must then route each key).
   */
  routing?: 'slice' | 'exact';
}

/** The three mapping decisions a chip makes its own way (key/mask routing, crossbar tiles, …). */
export interface Strategies {
  machine(ctx: StrategyContext): MachineLayout;
  partition(net: Network, q: Quantization, ctx: StrategyContext): Partition;
  place(net: Network, part: Partition, traffic: SliceGraph, machine: MachineLayout, ctx: StrategyContext): Placement;
  route(net: Network, part: Partition, placement: Placement, traffic: SliceGraph, machine: MachineLayout, ctx: StrategyContext): Routing;
}

/** Runtime kernels; opaque to the compiler. */
export interface ChipKernels {
  /** Module path of the worker-side kernel implementation. */
  module: string;
}

/** Bit-exact scalar model of the chip's arithmetic. */
export interface GoldenModel {
  run(program: ChipProgram, inputs: unknown, steps: number): unknown;
}

export interface ChipBackend {
  id: string;
  profile: ChipProfile;
  lower: Partial<Record<NodeKind, Lowering>>;
  strategies: Strategies;
  scheduler: 'tick' | 'event';
  kernels?: ChipKernels;
  golden?: GoldenModel;
  /** What "equal" means for this chip when compared with its golden model / the reference. */
  compare?: { exact: boolean; tolerance?: number };
  cost?: unknown;
}
