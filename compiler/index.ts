import { nameMap } from '../src/own.js';
import type { ChipBackend } from '../src/chip/backend.js';
import { MAPPING_STAGES } from '../src/chip/backend.js';
import { PROGRAM_SCHEMA_VERSION, type ChipProgram, type Network } from '../src/chip/program.js';
import { diag, type Diagnostic } from '../src/errors.js';
import type { Graph } from '../src/graph/graph.js';
import { DEFAULT_CONFIG, type CompileOptions, type PassContext, type PassTrace } from './context.js';
import { graphHash } from './graph-hash.js';
import { mappingHash } from '../src/chip/profile-hash.js';
import { extendDelays } from './passes/delays.js';
import { lower } from './passes/lower.js';
import { normalize } from './passes/normalize.js';
import { supportCheck } from './passes/support.js';
import * as verify from './verify.js';
import { specOf } from '../src/graph/registry.js';
import type { ShapeInfo } from '../src/graph/graph.js';
import { decideWeightScale, scaleNetwork, type WeightScaleDecision } from '../src/chip/weight-scale.js';

/** Σ nonzero connections of the model's connection nodes, each counted on its own (inspect's count). */
function modelSynapses(graph: Graph, shapes: ShapeInfo): number {
  let n = 0;
  for (const node of graph.nodes) {
    const spec = specOf(node);
    const inp = shapes.input.get(node.name);
    if (spec.synapses && inp) n += spec.synapses(node, inp).nonzero;
  }
  return n;
}

export type { CompileOptions, PassTrace } from './context.js';

export interface CompileResult<P = unknown> {
  program: ChipProgram<P>;
  /** The lowered network (populations and composed projections) and the chip's mapping state. */
  network: Network;
  mapping: unknown;
  /** Warnings (rounded weights, …); errors are thrown as NeuromeshError. */
  diagnostics: Diagnostic[];
  /** Per-pass wall time and sizes: for --verbose and the `host` section only. */
  trace: PassTrace[];
  /** The weight scale the program was compiled with, where it came from, and the resolution it leaves. */
  weightScale: WeightScaleDecision;
}

/**
 * Compile a graph for a chip. The pass list, in order; each pass is followed by its check:
 *   normalize → support → lower → delays (where the profile declares a delay limit)
 *   → the chip's mapping stages: quantize → partition → place → route → emit → summarize
 * The compiler's passes are chip-agnostic; the mapping stages are the backend's, each followed by
 * the chip's own invariant and, after partition and emit, the generic ones (one owner per neuron,
 * every synapse stored as often as the chip declares).
 */
export function compile<S, P>(graph: Graph, backend: ChipBackend<unknown, S, P>, options: CompileOptions = {}): CompileResult<P> {
  const ctx: PassContext = {
    backend,
    seed: options.seed ?? 0,
    config: { ...DEFAULT_CONFIG, ...options.config },
    maxNeuronsPerCore: nameMap(options.maxNeuronsPerCore),
    routing: options.routing ?? 'slice',
    ...(options.activity ? { activity: nameMap(options.activity) } : {}),
    ...(options.file ? { file: options.file } : {}),
    diagnostics: [],
  };
  const trace: PassTrace[] = [];
  const step = <T>(pass: string, run: () => T, check: (r: T) => void, sizes: (r: T) => Record<string, number>): T => {
    const t0 = performance.now();
    const r = run();
    const t1 = performance.now();
    check(r);
    const entry: PassTrace = { pass, ms: t1 - t0, verifyMs: performance.now() - t1, sizes: sizes(r) };
    trace.push(entry);
    options.onPass?.(entry);
    return r;
  };
  const profile = backend.profile;

  const shapes = step('normalize', () => normalize(graph, ctx), (s) => verify.verifyShapes(graph, s), () => ({ nodes: graph.nodes.length, edges: graph.edges.length }));
  step('support', () => supportCheck(graph, ctx), () => undefined, (r) => ({ nodes: r.supported }));
  const net = step('lower', () => lower(graph, shapes, ctx), (n) => verify.verifyLowered(graph, shapes, n), (n) => ({
    populations: n.populations.length, projections: n.projections.length, synapses: n.projections.reduce((a, p) => a + p.target.length, 0),
  }));
  // before delay extension: its relays pass spikes on with their own weights and thresholds
  const weightScale = decideWeightScale(net, backend, ctx.config, profile, options.weightScale ?? 1);
  scaleNetwork(net, weightScale.scale);
  if (weightScale.warning)
    ctx.diagnostics.push(diag('W_WEIGHT_SCALE', `--weight-scale ${weightScale.scale}: ${weightScale.warning}`, { severity: 'warning', field: 'weight-scale', chip: profile.id, hint: 'leave --weight-scale out to let the chip choose, or see the note for the range it has' }));
  if (profile.limits.maxDelaySteps) step('delays', () => extendDelays(net, ctx), () => verify.verifyDelays(net, profile), (r) => ({ relays: r.relays, movedSynapses: r.moved }));

  const mapping = backend.mapping;
  const state = mapping.begin(net, {
    profile, seed: ctx.seed, config: ctx.config, maxNeuronsPerCore: ctx.maxNeuronsPerCore, routing: ctx.routing, diagnostics: ctx.diagnostics,
    modelSynapses: modelSynapses(graph, shapes), ...(ctx.activity ? { activity: ctx.activity } : {}), ...(ctx.file ? { file: ctx.file } : {}),
  });
  for (const stage of MAPPING_STAGES) {
    const impl = mapping.stages[stage];
    step(stage, () => impl?.run(state) ?? {}, () => {
      impl?.check(state);
      if (stage === 'partition') verify.verifyOwners(net, mapping.owners(state));
      if (stage === 'emit') verify.verifyStored(net, mapping.stored(state));
    }, (sizes) => sizes);
  }
  const parts = step('summarize', () => mapping.finish(state), () => undefined, (p) => ({ units: p.units.length }));

  const program: ChipProgram<P> = {
    schemaVersion: PROGRAM_SCHEMA_VERSION,
    graphHash: graphHash(graph),
    profile: { id: profile.id, family: profile.family, version: profile.version, mappingHash: mappingHash(profile) },
    config: ctx.config,
    seed: ctx.seed,
    weightScale: weightScale.scale,
    ...parts,
    payloadChecksum: '',
  };
  return { program, network: net, mapping: state, diagnostics: ctx.diagnostics, trace, weightScale };
}
