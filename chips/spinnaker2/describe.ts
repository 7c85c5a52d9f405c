/**
 * What `compile` shows of a spinnaker2 program: the chip section of `compile --json` (cores with
 * their routing keys, routers in match order, the machine's links so that a checker can replay
 * the tables, the resource summary) and the one-screen text summary.
 */
import type { Spinnaker2Program } from './program-types.js';
import { groupDigits } from '../../src/report/index.js';

/** SpiNNaker link ids 0–5 with their grid direction (dx, dy). */
export const LINK_NAMES = ['east (+1,0)', 'north-east (+1,+1)', 'north (0,+1)', 'west (−1,0)', 'south-west (−1,−1)', 'south (0,−1)'];

/**
 * The body of the `neuromesh/compile@1` document (docs/semantics.md §5): totals, cores (where each
 * neuron range of each node runs, with its routing key), routers (entries in match order), the
 * machine's links (so that a checker can replay the tables) and the resource summary.
 */
export function programDoc(p: Spinnaker2Program, unverified: string[]): Record<string, unknown> {
  const xy = (c: number): [number, number] => p.payload.machine.chips[c]!;
  const links: { from: [number, number]; link: number; to: [number, number] }[] = [];
  for (let c = 0; c < p.payload.machine.chips.length; c++)
    for (let l = 0; l < p.payload.machine.linksPerChip; l++) {
      const d = p.payload.machine.neighbour[c * p.payload.machine.linksPerChip + l]!;
      if (d >= 0) links.push({ from: xy(c), link: l, to: xy(d) });
    }
  const { weights, ...resources } = p.payload.summary;
  return {
    chip: { id: p.profile.id, family: p.profile.family, version: p.profile.version, unverified },
    graphHash: p.graphHash,
    totals: { neurons: p.payload.summary.neurons, synapses: p.payload.summary.synapses, cores: p.payload.summary.cores, sources: p.payload.summary.sources, relays: p.payload.summary.relays, relaySynapses: p.payload.summary.relaySynapses, chips: p.payload.summary.chips, modelSynapses: p.payload.summary.modelSynapses, storedWeights: p.payload.summary.storedWeights, biasInputs: p.payload.summary.biasInputs },
    populations: p.populations.map((q) => ({ name: q.name, kind: q.kind, role: q.role, size: q.size, shape: q.shape, output: q.output })),
    cores: p.payload.cores.map((c) => ({
      chip: xy(c.chip), pe: c.pe, node: p.populations[c.pop]!.name, lo: c.lo, hi: c.hi, neurons: c.hi - c.lo,
      key: c.key, mask: c.mask, synapses: c.words.length, rows: c.rowKeys.length, sramBytes: c.sramBytes, shifts: c.shifts,
    })),
    routers: p.payload.routers.map((t) => ({
      chip: xy(t.chip), entriesBefore: t.entriesBefore,
      entries: t.entries.map((e) => ({ key: e.key, mask: e.mask, route: { links: e.links, cores: e.cores } })),
    })),
    machine: { chips: p.payload.machine.chips.length, coresPerChip: p.payload.machine.coresPerChip, usableCoresPerChip: p.payload.machine.usableCoresPerChip, linkNames: LINK_NAMES, links },
    resources,
    weights,
  };
}

/** The resource summary printed after a compile. */
export function formatSummary(model: string, p: Spinnaker2Program): string {
  const s = p.payload.summary;
  const g = groupDigits;
  const pct = (a: number, b: number): string => (b > 0 ? `${a <= b ? '−' : '+'}${Math.abs(Math.round((1 - a / b) * 100))}%` : 'n/a');
  const per = s.traffic.basis === 'one spike per neuron' ? 'per spike of every neuron' : 'over the reference run';
  const lines = [
    `${model} → ${p.profile.id} v${p.profile.version} (seed ${p.seed}, dt ${p.config.dt} s, weight scale ${p.weightScale})`,
    `neurons ${g(s.neurons)} placed (+ ${g(s.sources)} spike-source neurons, ${g(s.biasInputs)} constant bias inputs${s.relays ? `, ${g(s.relays)} delay-extension relays with ${g(s.relaySynapses)} synapses` : ''})`,
    `synapses ${g(s.synapses)} placed as 32-bit words (the model's nodes count ${g(s.modelSynapses)} connections one by one, ${g(s.storedWeights)} stored weights; chains of stateless nodes are composed into one projection)`,
    `cores ${g(s.cores)} on ${g(s.chips)} chip${s.chips === 1 ? '' : 's'}; SRAM per core max ${g(s.sramPerCore.max)} B, mean ${g(Math.round(s.sramPerCore.mean))} B of ${g(s.sramPerCore.limit)} B`,
    `router entries ${g(s.routerEntries.before)} before compression, ${g(s.routerEntries.after)} after (largest table ${g(s.routerEntries.maxAfter)} of ${g(s.routerEntries.limit)})`,
    `chip links used ${g(s.linkLoad.links)}: load max ${g(Math.round(s.linkLoad.max))}, mean ${s.linkLoad.mean} packets (${per})`,
    `estimated traffic (${per}): ${g(Math.round(s.traffic.chipHops))} chip-link hops, ${g(Math.round(s.traffic.meshHops))} on-chip mesh hops`,
    `placement cost ${s.placement.cost} (locality start ${s.placement.startCost}, naive row-major ${s.placement.naiveCost}: ${pct(s.placement.cost, s.placement.naiveCost)}; ${g(s.placement.accepted)} of ${g(s.placement.moves)} annealing moves accepted)`,
  ];
  const lossy = s.weights.filter((w) => w.zeroed || w.saturated);
  for (const w of lossy) lines.push(`weights of ${w.node}: ${g(w.zeroed)} of ${g(w.synapses)} round to zero, ${g(w.saturated)} saturate (shift ${w.shift})`);
  return lines.join('\n');
}
