import type { ChipBackend } from '../src/chip/backend.js';
import { PROGRAM_SCHEMA_VERSION, type ChipProgram, type Network, type Quantization } from '../src/chip/program.js';
import type { Diagnostic } from '../src/errors.js';
import type { Graph } from '../src/graph/graph.js';
import { DEFAULT_CONFIG, type CompileOptions, type PassContext, type PassTrace } from './context.js';
import { graphHash } from './graph-hash.js';
import { emitCores } from './passes/emit.js';
import { extendDelays } from './passes/delays.js';
import { estimate } from './passes/estimate.js';
import { lower } from './passes/lower.js';
import { normalize } from './passes/normalize.js';
import { partitionPass } from './passes/partition.js';
import { placePass } from './passes/place.js';
import { quantizeNetwork } from './passes/quantize.js';
import { routePass } from './passes/route.js';
import { supportCheck } from './passes/support.js';
import * as verify from './verify.js';
import { specOf } from '../src/graph/registry.js';
import type { ShapeInfo } from '../src/graph/graph.js';

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

export interface CompileResult {
  program: ChipProgram;
  /** The lowered network (populations and composed projections) and its quantized weights. */
  network: Network;
  quantization: Quantization;
  /** Warnings (rounded weights, …); errors are thrown as NeuromeshError. */
  diagnostics: Diagnostic[];
  /** Per-pass wall time and sizes: for --verbose and the `host` section only. */
  trace: PassTrace[];
}

/**
 * Compile a graph for a chip. The pass list, in order; each pass is followed by its invariant:
 *   normalize → support check → lower → delays → quantize → partition → place → route → emit → estimate
 * The passes are chip-agnostic; partition, place and route call the backend's strategies.
 */
export function compile(graph: Graph, backend: ChipBackend, options: CompileOptions = {}): CompileResult {
  const ctx: PassContext = {
    backend,
    seed: options.seed ?? 0,
    config: { ...DEFAULT_CONFIG, ...options.config },
    maxNeuronsPerCore: options.maxNeuronsPerCore ?? {},
    routing: options.routing ?? 'slice',
    ...(options.activity ? { activity: options.activity } : {}),
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
  step('delays', () => extendDelays(net, ctx), () => verify.verifyDelays(net, profile), (r) => ({ relays: r.relays, movedSynapses: r.moved }));
  const q = step('quantize', () => quantizeNetwork(net, ctx), (r) => verify.verifyQuantized(net, r, profile), (r) => ({
    zeroed: r.zeroed.reduce((a, b) => a + b, 0), saturated: r.saturated.reduce((a, b) => a + b, 0),
  }));
  const part = step('partition', () => partitionPass(net, q, ctx), (p) => verify.verifyPartition(net, p, profile, ctx.maxNeuronsPerCore), (p) => ({ slices: p.slices.length }));
  const { machine, traffic, placement } = step('place', () => placePass(net, part, ctx), (r) => verify.verifyPlacement(part, r.placement, r.machine), (r) => ({
    sliceEdges: r.traffic.dst.length, cost: r.placement.cost, naiveCost: r.placement.naiveCost, moves: r.placement.moves,
  }));
  const routing = step('route', () => routePass(net, part, placement, traffic, machine, ctx), (r) => verify.verifyRouting(net, part, placement, traffic, r, machine), (r) => ({
    routers: r.routers.length, entriesBefore: r.routers.reduce((a, t) => a + t.entriesBefore, 0), entriesAfter: r.routers.reduce((a, t) => a + t.entries.length, 0),
  }));
  const cores = step('emit', () => emitCores(net, q, part, placement, routing, machine, ctx), (c) => verify.verifyCores(net, part, c), (c) => ({
    cores: c.length, words: c.reduce((a, x) => a + x.words.length, 0),
  }));
  const summary = step('estimate', () => estimate(net, q, part, placement, routing, cores, ctx, modelSynapses(graph, shapes)), () => undefined, (s) => ({ cores: s.cores, chips: s.chips }));

  const program: ChipProgram = {
    schemaVersion: PROGRAM_SCHEMA_VERSION,
    graphHash: graphHash(graph),
    profile: { id: profile.id, family: profile.family, version: profile.version },
    config: ctx.config,
    seed: ctx.seed,
    machine: { chips: machine.chips, coresPerChip: machine.coresPerChip, usableCoresPerChip: machine.usableCoresPerChip, linksPerChip: machine.linksPerChip, neighbour: machine.neighbour },
    populations: net.populations.map((p, i) => ({ ...p, fixed: q.params[i]!, ...(q.bias[i] ? { fixedBias: q.bias[i] } : {}) })),
    cores,
    routers: routing.routers,
    summary,
  };
  return { program, network: net, quantization: q, diagnostics: ctx.diagnostics, trace };
}
