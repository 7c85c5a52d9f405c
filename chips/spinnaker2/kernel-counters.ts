/**
 * spinnaker2 per-core event counters: their names and indices, the per-packet route costs charged
 * to the sending core, and the cycle model of a tick (measured as counter deltas).
 */
import type { CoreData, S2Options } from './kernel-types.js';

/** Per-core event counters, in this order. */
export const COUNTER_NAMES = [
  'neuron_updates', 'synaptic_events', 'spikes', 'packets_sent', 'packets_received', 'router_lookups',
  'mesh_hops', 'chip_hops', 'packets_dropped', 'deliveries', 'row_misses', 'input_spikes', 'saturations',
  'sram_bytes', 'dram_bytes', 'cycles', 'max_tick_cycles', 'overruns',
] as const;
/** Index of each counter in a core's row of the counter array. */
export const C = Object.fromEntries(COUNTER_NAMES.map((n, i) => [n, i])) as Record<(typeof COUNTER_NAMES)[number], number>;
/** Counters per core (the row length). */
export const NC = COUNTER_NAMES.length;

/**
 * Charge `packets` spikes of `core` (counters row at `base`) and, when it has outgoing synapses,
 * their packets and per-packet route costs; the slowest route of the current tick goes to tickRoute[0].
 */
export function countPackets(counters: Float64Array, tickRoute: Float64Array, base: number, core: CoreData, packets: number): void {
  counters[base + C.spikes]! += packets;
  if (core.lookups === 0) return; // a population without outgoing synapses sends no packets
  counters[base + C.packets_sent]! += packets;
  counters[base + C.router_lookups]! += packets * core.lookups;
  counters[base + C.mesh_hops]! += packets * core.meshHops;
  counters[base + C.chip_hops]! += packets * core.chipHops;
  counters[base + C.packets_dropped]! += packets * core.dropped;
  counters[base + C.deliveries]! += packets * core.dests.length;
  if (core.latencyCycles > tickRoute[0]!) tickRoute[0] = core.latencyCycles;
}

/** Cycles of each owned core per tick, from the counter deltas of the tick. */
export interface TickCycles {
  /** Remember the counters the cycle model reads, at the start of a tick. */
  begin(): void;
  /** Charge the tick's cycles to owned core li (program core id) and track the tick's slowest core. */
  end(li: number, id: number): void;
}

/**
 * @param tick [0]: the current tick's slowest owned core's cycles (reset to 0 by begin) …
 * @param tickCore [0]: … and that core's id (reset to −1 by begin)
 */
export function createTickCycles(cyc: S2Options['cycles'], counters: Float64Array, nOwned: number, tick: Float64Array, tickCore: Int32Array): TickCycles {
  const tickStart = new Float64Array(nOwned * 3);
  return {
    begin(): void {
      tick[0] = 0;
      tickCore[0] = -1;
      for (let li = 0; li < nOwned; li++) {
        const b = li * NC;
        tickStart[li * 3] = counters[b + C.neuron_updates]!;
        tickStart[li * 3 + 1] = counters[b + C.synaptic_events]!;
        tickStart[li * 3 + 2] = counters[b + C.packets_received]!;
      }
    },
    end(li: number, id: number): void {
      const base = li * NC;
      const cycles = cyc.tick
        + (counters[base + C.neuron_updates]! - tickStart[li * 3]!) * cyc.neuron
        + (counters[base + C.synaptic_events]! - tickStart[li * 3 + 1]!) * cyc.synapse
        + (counters[base + C.packets_received]! - tickStart[li * 3 + 2]!) * cyc.packet;
      counters[base + C.cycles]! += cycles;
      if (cycles > counters[base + C.max_tick_cycles]!) counters[base + C.max_tick_cycles] = cycles;
      if (cycles > cyc.budget) counters[base + C.overruns]!++;
      if (cycles > tick[0]! || (cycles === tick[0]! && (tickCore[0]! < 0 || id < tickCore[0]!))) {
        tick[0] = cycles;
        tickCore[0] = id;
      }
    },
  };
}
