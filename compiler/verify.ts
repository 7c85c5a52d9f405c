import type { Network } from '../src/chip/program.js';
import { profileValue, type ChipProfile } from '../src/chip/profile.js';
import { diag, NeuromeshError } from '../src/errors.js';
import { neuronCount, type Graph, type ShapeInfo } from '../src/graph/graph.js';

/**
 * The invariant checked after each pass. A failure is a compiler bug (exit 3), reported with the
 * pass and what broke.
 */
function fail(pass: string, message: string): never {
  throw new NeuromeshError([diag('E_INVARIANT', `after ${pass}: ${message}`, { hint: 'this is a bug in the neuromesh compiler; rerun with --debug' })]);
}

export function verifyShapes(graph: Graph, shapes: ShapeInfo): void {
  for (const n of graph.nodes) if (!shapes.output.has(n.name)) fail('normalize', `node '${n.name}' has no shape`);
}

/** Neurons in = neurons lowered; every projection is well-formed CSR. */
export function verifyLowered(graph: Graph, shapes: ShapeInfo, net: Network): void {
  const inGraph = neuronCount(graph, shapes);
  const lowered = net.populations.filter((p) => p.role === 'neuron').reduce((a, p) => a + p.size, 0);
  if (inGraph !== lowered) fail('lower', `graph has ${inGraph} neurons, populations hold ${lowered}`);
  for (const pr of net.projections) {
    const pre = net.populations[pr.pre]!;
    const post = net.populations[pr.post]!;
    if (pr.indptr.length !== pre.size + 1 || pr.indptr[pre.size] !== pr.target.length) fail('lower', `projection '${pr.name}' has a malformed indptr`);
    if (pr.weight.length !== pr.target.length || (pr.delay && pr.delay.length !== pr.target.length)) fail('lower', `projection '${pr.name}' arrays differ in length`);
    for (let s = 0; s < pr.target.length; s++) if (pr.target[s]! >= post.size) fail('lower', `projection '${pr.name}' targets neuron ${pr.target[s]} of ${post.size}`);
  }
}

/** No synaptic delay beyond the ring buffer is left after delay extension. */
export function verifyDelays(net: Network, profile: ChipProfile): void {
  const D = profileValue(profile, 'limits.maxDelaySteps');
  for (const pr of net.projections) if (pr.delay) for (let s = 0; s < pr.delay.length; s++) if (pr.delay[s]! > D) fail('delays', `projection '${pr.name}' keeps a delay of ${pr.delay[s]} steps`);
  for (const pr of net.projections) if (pr.indptr.length !== net.populations[pr.pre]!.size + 1 || pr.indptr[pr.indptr.length - 1] !== pr.target.length) fail('delays', `projection '${pr.name}' has a malformed indptr`);
}

/** Generic, after partition: every neuron of every population has exactly one owning unit. */
export function verifyOwners(net: Network, o: { units: number; owner: ArrayLike<number>[] }): void {
  if (o.owner.length !== net.populations.length) fail('partition', `${o.owner.length} owner tables for ${net.populations.length} populations`);
  net.populations.forEach((p, i) => {
    const own = o.owner[i]!;
    if (own.length !== p.size) fail('partition', `population '${p.name}' has ${own.length} owners for ${p.size} neurons`);
    for (let k = 0; k < own.length; k++) {
      const u = own[k]!;
      if (!Number.isInteger(u) || u < 0 || u >= o.units) fail('partition', `neuron ${k} of '${p.name}' has no owning unit (${u} of ${o.units})`);
    }
  });
}

/** Generic, after emit: the program stores every synapse exactly as often as the chip declares. */
export function verifyStored(net: Network, s: { synapses: number; copies: number }): void {
  const model = net.projections.reduce((a, p) => a + p.target.length, 0);
  if (s.synapses !== model * s.copies) fail('emit', `${s.synapses} synapses stored, the network has ${model} (× ${s.copies} copies)`);
}
