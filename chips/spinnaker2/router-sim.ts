import type { RouterTable } from './program-types.js';

/**
 * The spinnaker2 multicast router, as docs/semantics.md §6 defines it: a packet carries a 32-bit key;
 * at each chip the first entry in table order with (key & mask) == entry.key wins, and its route
 * sends the packet out of chip links and to local cores. There is no default route: a packet no
 * entry matches is dropped and counted against that router.
 *
 * `RouterSim.route` follows one packet from its source core through every router it reaches and
 * returns where it was delivered and what it cost (router lookups, on-chip mesh hops, chip-link
 * hops, drops, and the cycles of its slowest branch).
 */

/** What the router simulation needs of the machine. */
export interface RouterMachine {
  chips: readonly (readonly [number, number])[];
  coresPerChip: number;
  linksPerChip: number;
  /** neighbour[chip · linksPerChip + link] = chip at the other end, or −1. */
  neighbour: Int32Array;
  /** On-chip mesh hops between two PEs of a chip. */
  meshHops(peA: number, peB: number): number;
}

export interface RouteCost {
  meshHopCycles: number;
  chipHopCycles: number;
}

/** One packet's journey. */
export interface PacketRoute {
  /** Global core ids (chip · coresPerChip + pe) the packet was delivered to, ascending. */
  cores: number[];
  /** Routers that looked the key up. */
  lookups: number;
  /** Chip-link traversals. */
  chipHops: number;
  /** On-chip mesh hops (source PE → router, router → each local target PE). */
  meshHops: number;
  /** Copies dropped for lack of a matching entry, and the chips where that happened. */
  dropped: number;
  droppedAt: number[];
  /** Copies that came back to a chip they had already visited (cut). */
  loops: number;
  /** Cycles until the last copy arrives (mesh and link hops × their cycle costs). */
  latencyCycles: number;
}

/** The PE of a chip that hosts its router (the compiler's placement cost uses the same). */
export const ROUTER_PE = 0;

export class RouterSim {
  private readonly tables: Map<number, { key: Uint32Array; mask: Uint32Array; links: number[][]; cores: number[][] }>;
  /** Lookups that found no entry, per chip id. */
  readonly droppedPerChip = new Map<number, number>();

  constructor(routers: readonly RouterTable[], private readonly machine: RouterMachine, private readonly cost: RouteCost) {
    this.tables = new Map();
    for (const t of routers) {
      this.tables.set(t.chip, {
        key: Uint32Array.from(t.entries, (e) => e.key >>> 0),
        mask: Uint32Array.from(t.entries, (e) => e.mask >>> 0),
        links: t.entries.map((e) => e.links),
        cores: t.entries.map((e) => e.cores),
      });
    }
  }

  /** Index of the first entry of chip `chip`'s table matching `key`, or −1. */
  match(chip: number, key: number): number {
    const t = this.tables.get(chip);
    if (!t) return -1;
    const k = key >>> 0;
    for (let e = 0; e < t.key.length; e++) if (((k & t.mask[e]!) >>> 0) === t.key[e]) return e;
    return -1;
  }

  /** Follow a packet with `key` sent by PE `pe` of chip `chip`. */
  route(chip: number, pe: number, key: number): PacketRoute {
    const m = this.machine;
    const out: PacketRoute = { cores: [], lookups: 0, chipHops: 0, meshHops: 0, dropped: 0, droppedAt: [], loops: 0, latencyCycles: 0 };
    const seen = new Set<number>();
    const toRouter = m.meshHops(pe, ROUTER_PE);
    out.meshHops += toRouter;
    // breadth-first over chips: [chip, cycles so far]
    let frontier: [number, number][] = [[chip, toRouter * this.cost.meshHopCycles]];
    while (frontier.length) {
      const next: [number, number][] = [];
      for (const [c, cycles] of frontier) {
        if (seen.has(c)) {
          out.loops++;
          continue;
        }
        seen.add(c);
        out.lookups++;
        const e = this.match(c, key);
        if (e < 0) {
          out.dropped++;
          out.droppedAt.push(c);
          this.droppedPerChip.set(c, (this.droppedPerChip.get(c) ?? 0) + 1);
          continue;
        }
        const t = this.tables.get(c)!;
        for (const p of t.cores[e]!) {
          const h = m.meshHops(ROUTER_PE, p);
          out.meshHops += h;
          out.cores.push(c * m.coresPerChip + p);
          out.latencyCycles = Math.max(out.latencyCycles, cycles + h * this.cost.meshHopCycles);
        }
        for (const l of t.links[e]!) {
          const d = m.neighbour[c * m.linksPerChip + l]!;
          out.chipHops++;
          if (d < 0) {
            out.dropped++;
            out.droppedAt.push(c);
            continue;
          }
          next.push([d, cycles + this.cost.chipHopCycles]);
        }
      }
      frontier = next;
    }
    out.cores.sort((a, b) => a - b);
    return out;
  }
}
