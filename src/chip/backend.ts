import type { Tolerance, Violation } from '../check/types.js';
import type { Diagnostic } from '../errors.js';
import type { FlatNode, Graph, NodeKind } from '../graph/graph.js';
import type { StepInput } from '../io/spikes.js';
import type { ChipOptionValues, ChipRun, ChipRunOptions, CostRecord } from './run-record.js';
import type { ChipProfile } from './profile.js';
import type { ChipProgram, ChipProgramParts, Network, PayloadCodec, RunConfig } from './program.js';
import type { WeightScaleChoice } from './weight-scale.js';

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
  maxNeuronsPerCore: ReadonlyMap<string, number>;
  diagnostics: Diagnostic[];
  /**
   * Routing granularity: 'slice' (default) — one multicast tree per source slice, every key of the
   * slice reaches the union of the slice's targets (a runtime may route once per core); 'exact' —
   * per-neuron key blocks where the backend can, so each key reaches exactly its own targets (a
   * runtime must then route each key).
   */
  routing?: 'slice' | 'exact';
}

/** The mapping stages the compiler runs, in this order, after lowering and delay extension. */
export const MAPPING_STAGES = ['quantize', 'partition', 'place', 'route', 'emit'] as const;
export type MappingStage = (typeof MAPPING_STAGES)[number];

/** What a chip's mapping reads: the strategy context plus the run configuration and options. */
export interface MappingContext extends StrategyContext {
  config: RunConfig;
  /** Spike counts per node name (or one number) for traffic-aware placement. */
  activity?: ReadonlyMap<string, ArrayLike<number> | number>;
  file?: string;
  /** Σ nonzero connections as the model's nodes count them one by one (inspect's count). */
  modelSynapses: number;
}

/** One mapping stage: it advances the chip's mapping state and reports sizes for --verbose. */
export interface MappingStageImpl<S> {
  run(state: S): Record<string, number>;
  /** The chip's own invariant after the stage (throws E_INVARIANT). */
  check(state: S): void;
}

/**
 * How a chip maps a lowered network onto itself, as stages over its own state `S` (weights in its
 * formats, its units, its placement, its routing, its memory image). The compiler runs the stages
 * in MAPPING_STAGES order and adds its generic checks: after partition, every neuron has exactly
 * one owning unit; after emit, every synapse is stored exactly as often as the chip declares.
 */
export interface ChipMapping<S, P = unknown> {
  begin(net: Network, ctx: MappingContext): S;
  /** A stage the chip has nothing to do at is left out (the compiler's generic checks still run). */
  stages: { readonly [K in MappingStage]?: MappingStageImpl<S> };
  /** Per population, the unit owning each neuron (valid after partition). */
  owners(state: S): { units: number; owner: ArrayLike<number>[] };
  /** Synapses the emitted program stores, and how many copies of each the chip keeps. */
  stored(state: S): { synapses: number; copies: number };
  /**
   * The program's parts (valid after emit): populations with their codes, model statistics, the
   * units used, the resources table, the time model, and the chip-owned payload.
   */
  finish(state: S): ChipProgramParts<P>;
}

/** What "equal" means for this chip against its golden model (and how the tolerance is derived). */
export interface CompareSpec {
  /** true: every spike at the same step and neuron as the golden model. */
  exact: boolean;
  /** Otherwise: |Δspikes| per neuron allowed, and why that number. */
  tolerance?: number;
  derivation?: string;
}

/** Options of a golden-model run (it starts from the compiled program and its lowered network). */
export interface GoldenRunOptions {
  steps: number;
  inputs?: Map<string, StepInput>;
  seed?: number;
}

/** A model of the chip written apart from its kernels: spikes must match per `compare`. */
export interface ChipGolden<P = unknown> {
  run(compiled: CompiledProgram<P>, options: GoldenRunOptions): { spikes: Map<string, { steps: ArrayLike<number>; neurons: ArrayLike<number> }>; synapticEvents?: number };
}

/** A compiled program with the lowered network it came from (what a golden model starts from). */
export interface CompiledProgram<P = unknown> {
  program: ChipProgram<P>;
  network: Network;
}

/** Mapping invariants, checked on the program (static) and after a run. */
export interface ChipInvariants<D = unknown, P = unknown> {
  static(program: ChipProgram<P>, graph: Graph | undefined, options: { maxWeightLoss?: number }): Violation[];
  afterRun(program: ChipProgram<P>, run: ChipRun<D>, goldenSynapticEvents?: number): Violation[];
}

/** Test-only seeded faults: `check` must find each of them. */
export interface ChipFaults<P = unknown> {
  /** A copy of the program with the faults (`--fault` values) seeded; a bad value is E_BAD_OPTION. */
  apply(program: ChipProgram<P>, specs: readonly string[]): ChipProgram<P>;
}

/**
 * Everything a chip family does, behind one interface: commands never name a family. `D` is the
 * chip's own run detail (ChipRun.detail), produced by `run` and read by `cost` and `invariants`;
 * `S` is its mapping state; `P` is its program payload (ChipProgram.payload, written by `codec`).
 */
export interface ChipBackend<D = unknown, S = unknown, P = unknown> {
  id: string;
  profile: ChipProfile;
  lower: Partial<Record<NodeKind, Lowering>>;
  mapping: ChipMapping<S, P>;
  /** Encodes and decodes the payload inside the .nmp envelope. */
  codec: PayloadCodec<P>;
  /** Input spikes may start at this step in `check` (1 when chip input acts a step before the reference's). */
  inputStart: number;
  /**
   * How `check` and `--compare` run the reference so that it sees what the chip sees, and the
   * per-neuron spike-count tolerance the chip claims against it (the conformance suite holds it to it).
   */
  reference: {
    note: string;
    /**
     * The chip's sources (Input, SpikeSource) reach their first targets in the tick they occur: the
     * reference reads every source one step ahead (SimulateOptions.sourceLead), so that both see the
     * same input at every step, step 0 included.
     */
    sourceLead: boolean;
    tolerance: Tolerance;
    /**
     * The chip's resolution at the threshold: in `check`, a reference neuron whose v is within
     * `relative` · |v_threshold| of its threshold takes the chip's decision (spike or not) at that
     * step, since rounding to the chip's formats may tip such a crossing either way; everything
     * else is decided by the reference (v > v_threshold). Absent: the reference decides every
     * crossing. `derivation` says where the figure comes from (it is repeated in check's output).
     */
    thresholdTies?: { relative: number; derivation: string };
  };
  /** Check that a program (e.g. read from a .nmp) can run on this chip; throws a NeuromeshError. */
  accepts(program: ChipProgram<P>, file?: string): void;
  /** Run a program: it holds everything a run needs (no graph is passed, no quantization happens at run time). */
  run(program: ChipProgram<P>, options: ChipRunOptions): Promise<ChipRun<D>>;
  cost(program: ChipProgram<P>, run: ChipRun<D>): CostRecord;
  golden?: ChipGolden<P>;
  compare: CompareSpec;
  invariants?: ChipInvariants<D, P>;
  /** The chip section of `compile --json` (units, routing, resources), and its one-screen summary. */
  describe(program: ChipProgram<P>, unverified: string[]): Record<string, unknown>;
  summarize(program: ChipProgram<P>, model: string): string;
  /** What the chip's run options amount to, for the `config` of run documents (e.g. { dvfs: 'low' }). */
  runConfig(values: ChipOptionValues | undefined): Record<string, string>;
  /** The compile options (StrategyContext) that the chip's own option values stand for. */
  compileOptions(values: ChipOptionValues | undefined): { maxNeuronsPerCore: ReadonlyMap<string, number>; routing: 'slice' | 'exact' };
  faults?: ChipFaults<P>;
  /**
   * The weight scale K (src/chip/weight-scale.ts) for a lowered network in the model's units: the
   * largest K that keeps voltages and inputs inside the chip's formats with headroom, and the worst
   * relative resolution that leaves. With `given` (the user's --weight-scale) the chip only
   * evaluates the resolution at that scale. A chip without the hook compiles with scale 1.
   */
  chooseWeightScale?(net: Network, config: RunConfig, profile: ChipProfile, given?: number): WeightScaleChoice;
}
