/**
 * The spinnaker2 mapping's own invariants, checked after each of its stages (quantized weights and
 * shifts, slices within core limits, placement onto usable cores, routers that deliver every key
 * exactly to its targets, cores holding every synapse once). A failure is a bug (E_INVARIANT).
 */
import type { Network } from '../../../src/chip/program.js';
import type { MachineLayout, Partition, Placement, ProgramCore, Quantization, RouterEntry, RouterTable, Routing, SliceGraph } from '../program-types.js';
import { profileValue, type ChipProfile } from '../../../src/chip/profile.js';
import { diag, NeuromeshError } from '../../../src/errors.js';
import { own } from '../../../src/own.js';

function fail(pass: string, message: string): never {
  throw new NeuromeshError([diag('E_INVARIANT', `after ${pass}: ${message}`, { hint: 'this is a bug in neuromesh (the spinnaker2 mapping); rerun with --debug' })]);
}

export function verifyQuantized(net: Network, q: Quantization, profile: ChipProfile): void {
  const maxShift = profileValue(profile, 'limits.maxRingBufferShift');
  for (const pr of net.projections) if (q.weights[pr.index]!.length !== pr.target.length) fail('quantize', `projection '${pr.name}' lost weights`);
  for (const s of q.shifts.flat()) if (!Number.isInteger(s) || s < 0 || s > maxShift) fail('quantize', `ring-buffer shift ${s} out of 0–${maxShift}`);
}

/** Slices tile every population exactly once, each within the core limits. */
export function verifyPartition(net: Network, part: Partition, profile: ChipProfile, caps: ReadonlyMap<string, number>): void {
  const sram = profile.limits.dataSramPerPe?.value ?? Infinity;
  const dflt = profile.limits.maxNeuronsPerCore?.value ?? Infinity;
  part.slices.forEach((s, i) => {
    if (s.index !== i) fail('partition', `slice ${i} has index ${s.index}`);
    if (s.hi <= s.lo) fail('partition', `slice ${i} is empty`);
    const p = net.populations[s.pop]!;
    if (s.hi - s.lo > (caps.get(p.name) ?? caps.get('*') ?? dflt)) fail('partition', `slice ${i} of '${p.name}' has ${s.hi - s.lo} neurons, over the cap`);
    if (s.sramBytes > sram) fail('partition', `slice ${i} of '${p.name}' needs ${s.sramBytes} B of SRAM, over ${sram}`);
  });
  net.populations.forEach((p) => {
    let next = 0;
    for (const si of part.popSlices[p.index]!) {
      const s = part.slices[si]!;
      if (s.pop !== p.index || s.lo !== next) fail('partition', `population '${p.name}' is not tiled in order at neuron ${next}`);
      for (let n = s.lo; n < s.hi; n++) if (part.sliceOf[p.index]![n] !== si) fail('partition', `neuron ${n} of '${p.name}' maps to the wrong slice`);
      next = s.hi;
    }
    if (next !== p.size) fail('partition', `population '${p.name}' tiled up to ${next} of ${p.size}`);
  });
}

/** Every slice on its own usable core. */
export function verifyPlacement(part: Partition, placement: Placement, machine: MachineLayout): void {
  const used = new Set<number>();
  const P = machine.coresPerChip;
  for (let s = 0; s < part.slices.length; s++) {
    const c = placement.coreOf[s]!;
    if (c < 0 || Math.floor(c / P) >= machine.chips.length || c % P >= machine.usableCoresPerChip) fail('place', `slice ${s} on invalid core ${c}`);
    if (used.has(c)) fail('place', `two slices on core ${c}`);
    used.add(c);
  }
}

/** First-match lookup accelerated per mask (docs/semantics.md §6): the entry with the lowest index that matches. */
export class RouterLookup {
  private readonly groups: [number, Map<number, number>][] = [];
  constructor(readonly entries: readonly RouterEntry[]) {
    const byMask = new Map<number, Map<number, number>>();
    entries.forEach((e, i) => {
      const m = byMask.get(e.mask) ?? byMask.set(e.mask, new Map()).get(e.mask)!;
      if (!m.has(e.key)) m.set(e.key, i);
    });
    this.groups = [...byMask.entries()];
  }
  match(key: number): RouterEntry | undefined {
    let best = Infinity;
    for (const [mask, m] of this.groups) {
      const i = m.get((key & mask) >>> 0);
      if (i !== undefined && i < best) best = i;
    }
    return best === Infinity ? undefined : this.entries[best];
  }
}

export function routerLookups(routers: readonly RouterTable[]): Map<number, RouterLookup> {
  return new Map(routers.map((r) => [r.chip, new RouterLookup(r.entries)]));
}

/**
 * Replay one packet: start at the source chip's router, follow first-match routes over chip
 * links. Returns the global ids of the cores it reaches, the chips where it was dropped, and
 * whether it looped (reached a chip twice).
 */
export function replayKey(lookups: Map<number, RouterLookup>, machine: MachineLayout, srcChip: number, key: number): { cores: number[]; dropped: number[]; looped: boolean } {
  const cores: number[] = [];
  const dropped: number[] = [];
  const seen = new Set<number>();
  let looped = false;
  const stack = [srcChip];
  while (stack.length) {
    const c = stack.pop()!;
    if (seen.has(c)) {
      looped = true;
      continue;
    }
    seen.add(c);
    const e = lookups.get(c)?.match(key);
    if (!e) {
      dropped.push(c);
      continue;
    }
    for (const pe of e.cores) cores.push(c * machine.coresPerChip + pe);
    for (const l of e.links) {
      const d = machine.neighbour[c * machine.linksPerChip + l]!;
      if (d < 0) {
        dropped.push(c);
        continue;
      }
      stack.push(d);
    }
  }
  return { cores: cores.sort((a, b) => a - b), dropped, looped };
}

/**
 * Replaying the routers delivers the key of every checked neuron to every core holding one of its
 * targets, and to no core outside its slice's targets (a backend may route per slice, reaching the
 * union of the slice's targets, or per neuron block, reaching exactly the neuron's targets).
 * `keys`: 'ends' checks the first and last neuron of each slice (every compile), 'all' every
 * neuron (tests).
 */
export function verifyRouting(net: Network, part: Partition, placement: Placement, traffic: SliceGraph, routing: Routing, machine: MachineLayout, keys: 'ends' | 'all' = 'ends'): void {
  const lookups = routerLookups(routing.routers);
  const P = machine.coresPerChip;
  const byPre: number[][] = net.populations.map(() => []);
  for (const pr of net.projections) byPre[pr.pre]!.push(pr.index);
  for (const sl of part.slices) {
    const s = sl.index;
    const union = new Set<number>();
    for (let e = traffic.indptr[s]!; e < traffic.indptr[s + 1]!; e++) union.add(placement.coreOf[traffic.dst[e]!]!);
    if (!union.size) continue;
    const n = sl.hi - sl.lo;
    const offsets = keys === 'all' ? Array.from({ length: n }, (_, i) => i) : [...new Set([0, n - 1])];
    for (const o of offsets) {
      const own = new Set<number>();
      for (const k of byPre[sl.pop]!) {
        const pr = net.projections[k]!;
        const post = part.sliceOf[pr.post]!;
        for (let x = pr.indptr[sl.lo + o]!; x < pr.indptr[sl.lo + o + 1]!; x++) own.add(placement.coreOf[post[pr.target[x]!]!]!);
      }
      const key = (routing.sliceKey[s]! + o) >>> 0;
      const r = replayKey(lookups, machine, Math.floor(placement.coreOf[s]! / P), key);
      if (r.looped) fail('route', `key ${key} of slice ${s} loops`);
      if (own.size && r.dropped.length) fail('route', `key ${key} of slice ${s} is dropped at chip ${r.dropped[0]}`);
      const got = new Set(r.cores);
      if (got.size !== r.cores.length) fail('route', `key ${key} of slice ${s} reaches a core twice`);
      for (const c of own) if (!got.has(c)) fail('route', `key ${key} of slice ${s} misses core ${c} that holds one of its targets`);
      for (const c of got) if (!union.has(c)) fail('route', `key ${key} of slice ${s} reaches core ${c}, which holds none of its slice's targets`);
    }
  }
}

/** Every synapse became exactly one word on the core of its post neuron. */
export function verifyCores(net: Network, part: Partition, cores: ProgramCore[]): void {
  const synapses = net.projections.reduce((a, p) => a + p.target.length, 0);
  const words = cores.reduce((a, c) => a + c.words.length, 0);
  if (synapses !== words) fail('emit', `${synapses} synapses but ${words} synapse words`);
  if (cores.length !== part.slices.length) fail('emit', `${part.slices.length} slices but ${cores.length} cores`);
  for (const c of cores) {
    const n = c.hi - c.lo;
    if (c.rowStart[c.rowStart.length - 1] !== c.words.length) fail('emit', `core of slice ${c.slice} has malformed rows`);
    for (let i = 0; i < c.words.length; i++) if ((c.words[i]! & 0xff) >= n) fail('emit', `core of slice ${c.slice} has a word for neuron ${c.words[i]! & 0xff} of ${n}`);
  }
}
