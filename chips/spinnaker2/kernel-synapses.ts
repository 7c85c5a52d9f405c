/**
 * spinnaker2 synaptic input on one worker: the multicast delivery of a spike packet to the owned
 * cores on its route (counted as received; those without a row count a row miss, like a
 * master-population-table miss), and the synaptic rows it reads: every 32-bit synapse word
 * weight:16|delay:4|receptor:4|neuron:8 adds its weight code × packet count to ring-buffer slot
 * (t + delay) mod 16 of its neuron and receptor, saturating (or wrapping) to the ring format.
 */
import { makeClamp, type SatCount } from './kernel-arith.js';
import type { CoreState } from './kernel-core-state.js';
import { C, NC } from './kernel-counters.js';
import type { S2Options, S2Shared } from './kernel-types.js';

export interface Synapses {
  /** Deliver `count` packets of neuron k of core src (emitted for step `step`) to this worker's cores on its route. */
  deliver(src: number, k: number, count: number, step: number): void;
  /** Add the packets_received of the deliveries since the last flush to the counters. */
  flushReceived(): void;
  /** Packets that found a row, per owned core (row misses = received − hits). */
  readonly hits: Float64Array;
}

/**
 * @param local local index of every program core on this worker (−1: not owned)
 * @param states the owned cores' states, by local index
 */
export function createSynapses(shared: S2Shared, opt: S2Options, local: Int32Array, states: CoreState[], counters: Float64Array): Synapses {
  const ar = opt.arith;
  const sat: SatCount = { n: 0 };
  /** Saturate (or wrap, when the profile says so) to the ring-buffer format, counting saturations. */
  const RS = makeClamp(ar.ringMin, ar.ringMax, ar.saturateRing, sat);
  const nOwned = states.length;
  const nCores = shared.cores.length;

  /** Per program core: the destination cores of its route that this worker owns (ascending). */
  const localDests: Int32Array[] = shared.cores.map((c) => Int32Array.from(Array.from(c.dests).filter((d) => local[d]! >= 0)));
  /**
   * The same as runs of consecutive local core indices [start, end): a packet adds its count to
   * packets_received of every owned core on its route, which for a route reaching hundreds of cores
   * is done once per run in a difference array (recvDiff) and summed into the counters once per tick.
   */
  const recvRunIndex = new Int32Array(nCores + 1);
  const recvRunList: number[] = [];
  for (let c = 0; c < nCores; c++) {
    recvRunIndex[c] = recvRunList.length / 2;
    const ld = localDests[c]!;
    let j = 0;
    while (j < ld.length) {
      const start = local[ld[j]!]!;
      let end = start + 1;
      j++;
      while (j < ld.length && local[ld[j]!]! === end) { end++; j++; }
      recvRunList.push(start, end);
    }
  }
  recvRunIndex[nCores] = recvRunList.length / 2;
  const recvRuns = Int32Array.from(recvRunList);
  const recvDiff = new Float64Array(nOwned + 1);
  let recvPending = false;

  const hits = new Float64Array(nOwned);
  const { neuronBase, tgtIndex, tgt } = shared;

  /**
   * This worker's synaptic rows in source-major order: for neuron slot i, the rows on owned cores
   * in the target table's order (myEntry[i] … myEntry[i+1]−1: owned core entLi[e], entLen[e]
   * words), their words copied one after the other from myWord[i] in myWords. A spike then reads
   * one contiguous run of words instead of a row offset and a row in each core's own table (two
   * dependent cache misses per row on 100k/10M, where almost every row holds one synapse). Same
   * rows, same order, so the same sums and saturations.
   */
  const nSlots = tgtIndex.length - 1;
  const myEntry = new Int32Array(nSlots + 1);
  const myWord = new Float64Array(nSlots + 1);
  let nEnt = 0;
  let nW = 0;
  for (let i = 0; i < nSlots; i++) {
    myEntry[i] = nEnt;
    myWord[i] = nW;
    for (let e = tgtIndex[i]!; e < tgtIndex[i + 1]!; e++) {
      const li = local[tgt[2 * e]!]!;
      if (li < 0) continue;
      const rs = shared.cores[tgt[2 * e]!]!.rowStart;
      const row = tgt[2 * e + 1]!;
      nEnt++;
      nW += rs[row + 1]! - rs[row]!;
    }
  }
  myEntry[nSlots] = nEnt;
  myWord[nSlots] = nW;
  const entLi = new Int32Array(nEnt);
  const entLen = new Int32Array(nEnt);
  const myWords = new Uint32Array(nW);
  {
    let ei = 0;
    let wi = 0;
    for (let i = 0; i < nSlots; i++)
      for (let e = tgtIndex[i]!; e < tgtIndex[i + 1]!; e++) {
        const li = local[tgt[2 * e]!]!;
        if (li < 0) continue;
        const cd = shared.cores[tgt[2 * e]!]!;
        const row = tgt[2 * e + 1]!;
        const a = cd.rowStart[row]!;
        const b = cd.rowStart[row + 1]!;
        entLi[ei] = li;
        entLen[ei++] = b - a;
        myWords.set(cd.words.subarray(a, b), wi);
        wi += b - a;
      }
  }

  return {
    hits,
    deliver(src: number, k: number, count: number, step: number): void {
      const r1 = recvRunIndex[src + 1]!;
      for (let r = recvRunIndex[src]!; r < r1; r++) {
        recvDiff[recvRuns[2 * r]!]! += count;
        recvDiff[recvRuns[2 * r + 1]!]! -= count;
        recvPending = true;
      }
      const slot = neuronBase[src]! + k;
      const e1 = myEntry[slot + 1]!;
      let s = myWord[slot]!;
      const wordBytes = opt.synapseWordBytes;
      for (let e = myEntry[slot]!; e < e1; e++) {
        const li = entLi[e]!;
        const len = entLen[e]!;
        const base = li * NC;
        const st = states[li]!;
        const ring = st.ring;
        const n = st.n;
        const R = st.R;
        const dirty = st.dirty;
        sat.n = 0;
        const end = s + len;
        for (; s < end; s++) {
          const w = myWords[s]!;
          const sl = (step + ((w >>> 12) & 15)) & 15;
          dirty[sl] = 1;
          const idx = (sl * R + ((w >>> 8) & 15)) * n + (w & 255);
          ring[idx] = RS(ring[idx]! + (w >> 16) * count);
        }
        counters[base + C.synaptic_events]! += len * count;
        counters[base + C.sram_bytes]! += len * wordBytes;
        counters[base + C.saturations]! += sat.n;
        hits[li]! += count;
      }
    },
    flushReceived(): void {
      if (!recvPending) return;
      recvPending = false;
      let acc = 0;
      for (let li = 0; li < nOwned; li++) {
        acc += recvDiff[li]!;
        recvDiff[li] = 0;
        if (acc !== 0) counters[li * NC + C.packets_received]! += acc;
      }
      recvDiff[nOwned] = 0;
    },
  };
}
