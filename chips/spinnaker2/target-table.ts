/**
 * What the spinnaker2 runtime derives from a compiled program's routing: which cores send, where
 * each source neuron's synaptic rows are, and the check that the program is slice-routed (the only
 * routing the runtime executes).
 */
import type { Spinnaker2Program } from './program-types.js';
import { diag, NeuromeshError } from '../../src/errors.js';

/**
 * Cores whose neurons have synapses somewhere (some core holds a row with one of their keys):
 * only those send packets, as on SpiNNaker a population without outgoing projections sends none.
 */
export function sendingCores(program: Spinnaker2Program): Uint8Array {
  const out = new Uint8Array(program.payload.cores.length);
  const mask = program.payload.cores[0]?.mask ?? 0;
  if (program.payload.cores.some((c) => c.mask !== mask)) return out.fill(1);
  const byKey = new Map<number, number>();
  program.payload.cores.forEach((c, i) => byKey.set((c.key & mask) >>> 0, i));
  for (const c of program.payload.cores) {
    let last = -1;
    for (let r = 0; r < c.rowKeys.length; r++) {
      const k = (c.rowKeys[r]! & mask) >>> 0;
      if (k === last) continue;
      last = k;
      const src = byKey.get(k);
      if (src !== undefined) out[src] = 1;
    }
  }
  return out;
}

/**
 * Per source neuron, the (core, row) pairs holding its synapses, from every core's row keys: the
 * kernels' replacement for a per-packet row search (built once, shared by every worker).
 */
export function targetTable(program: Spinnaker2Program, routeDests?: ArrayLike<number>[]): { neuronBase: Int32Array; tgtIndex: Int32Array; tgt: Int32Array; unrouted: number } {
  const C = program.payload.cores.length;
  const neuronBase = new Int32Array(new SharedArrayBuffer(4 * (C + 1)));
  program.payload.cores.forEach((c, i) => (neuronBase[i + 1] = neuronBase[i]! + (c.hi - c.lo)));
  const slots = neuronBase[C]!;
  const mask = program.payload.cores[0]?.mask ?? 0;
  if (program.payload.cores.some((c) => c.mask !== mask))
    throw new NeuromeshError([diag('E_INTERNAL', 'cores have different key masks; the spinnaker2 kernels need one', { chip: program.profile.id })]);
  const coreOfKey = new Map<number, number>();
  program.payload.cores.forEach((c, i) => coreOfKey.set((c.key & mask) >>> 0, i));
  const slotOf = (key: number): number => {
    const s = coreOfKey.get((key & mask) >>> 0);
    if (s === undefined) return -1;
    const k = key - program.payload.cores[s]!.key;
    return k >= 0 && k < program.payload.cores[s]!.hi - program.payload.cores[s]!.lo ? neuronBase[s]! + k : -1;
  };
  // a row on a core the source's packets never reach (no route) is never used: count it instead
  const onRoute = routeDests?.map((d) => new Set(Array.from(d)));
  const srcOfSlot = new Int32Array(slots);
  program.payload.cores.forEach((_c, i) => srcOfSlot.fill(i, neuronBase[i]!, neuronBase[i + 1]!));
  let unrouted = 0;
  const reachable = (sl: number, d: number): boolean => !onRoute || onRoute[srcOfSlot[sl]!]!.has(d);
  const tgtIndex = new Int32Array(new SharedArrayBuffer(4 * (slots + 1)));
  program.payload.cores.forEach((c, d) => {
    for (let r = 0; r < c.rowKeys.length; r++) {
      const sl = slotOf(c.rowKeys[r]!);
      if (sl < 0) continue;
      if (reachable(sl, d)) tgtIndex[sl + 1]!++;
      else unrouted++;
    }
  });
  for (let i = 0; i < slots; i++) tgtIndex[i + 1]! += tgtIndex[i]!;
  const fill = tgtIndex.slice(0, slots);
  const tgt = new Int32Array(new SharedArrayBuffer(Math.max(8, 8 * tgtIndex[slots]!)));
  program.payload.cores.forEach((c, d) => {
    for (let r = 0; r < c.rowKeys.length; r++) {
      const sl = slotOf(c.rowKeys[r]!);
      if (sl < 0 || !reachable(sl, d)) continue;
      const e = fill[sl]!++;
      tgt[2 * e] = d;
      tgt[2 * e + 1] = r;
    }
  });
  return { neuronBase, tgtIndex, tgt, unrouted };
}

/**
 * The runtime routes each core's packets once, with the core's first key, and delivers every key
 * of the core along that route: right only when all keys of a core's block take the same route.
 * Slice routing guarantees it (entries are whole core blocks, compression only widens masks); a
 * program compiled with `--routing exact` has entries finer than a core's block, whose keys
 * reach different cores. Such a program is refused (exit 2) instead of being delivered wrongly.
 */
export function assertSliceRouted(program: Spinnaker2Program, file?: string): void {
  const mask = program.payload.cores[0]?.mask ?? 0;
  for (const t of program.payload.routers)
    for (const e of t.entries)
      if (((e.mask >>> 0) & ~mask) >>> 0) {
        const chip = program.payload.machine.chips[t.chip];
        throw new NeuromeshError([diag('E_UNSUPPORTED', `the program is routed per neuron block (compiled with --routing exact): router of chip (${chip ? chip.join(', ') : t.chip}) has an entry finer than a core's key block, and the spinnaker2 runtime routes each core's packets by its first key`, {
          chip: program.profile.id, field: 'routing', ...(file ? { file } : {}), hint: 'recompile without --routing exact (slice routing, the default, is what the runtime executes)',
        })]);
      }
}
