import type { Network } from '../../../src/chip/program.js';
import type { CompileSummary, Partition, Placement, ProgramCore, Quantization, Routing } from '../program-types.js';
import type { MappingContext } from '../../../src/chip/backend.js';
import { modelStatsOf } from '../../../src/chip/model-stats.js';

/** Resource summary: cores, SRAM, router entries, link loads, traffic, placement cost, weight losses. */
export function summarize(net: Network, q: Quantization, part: Partition, placement: Placement, routing: Routing, cores: ProgramCore[], ctx: MappingContext, modelSynapses: number): CompileSummary {
  const profile = ctx.profile;
  const model = modelStatsOf(net, modelSynapses);
  let sramMax = 0;
  let sramSum = 0;
  for (const s of part.slices) {
    sramMax = Math.max(sramMax, s.sramBytes);
    sramSum += s.sramBytes;
  }
  const chips = new Set(cores.map((c) => c.chip));
  let before = 0;
  let after = 0;
  let maxAfter = 0;
  for (const r of routing.routers) {
    before += r.entriesBefore;
    after += r.entries.length;
    maxAfter = Math.max(maxAfter, r.entries.length);
  }
  let lmax = 0;
  let lsum = 0;
  for (const v of routing.linkLoads.values()) {
    lmax = Math.max(lmax, v);
    lsum += v;
  }
  const nl = routing.linkLoads.size;
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    neurons: model.neurons, sources: model.sources, relays: model.relays, relaySynapses: model.relaySynapses, biasInputs: model.biasInputs,
    synapses: model.synapses, modelSynapses, denseConnections: model.denseConnections, storedWeights: model.storedWeights,
    cores: cores.length, chips: chips.size,
    sramPerCore: { max: sramMax, mean: round(part.slices.length ? sramSum / part.slices.length : 0), limit: profile.limits.dataSramPerPe?.value ?? 0 },
    routerEntries: { before, after, maxAfter, limit: routing.tableSize },
    linkLoad: { max: lmax, mean: round(nl ? lsum / nl : 0), links: nl },
    traffic: { chipHops: round(routing.chipHops), meshHops: round(routing.meshHops), basis: ctx.activity ? 'reference run activity' : 'one spike per neuron' },
    placement: { cost: round(placement.cost), startCost: round(placement.startCost), naiveCost: round(placement.naiveCost), moves: placement.moves, accepted: placement.accepted },
    weights: net.projections.filter((pr) => !pr.relay).map((pr) => ({
      node: pr.name, synapses: pr.target.length, zeroed: q.zeroed[pr.index]!, saturated: q.saturated[pr.index]!, shift: q.shifts[pr.post]![pr.receptor]!,
    })),
  };
}
