/**
 * spinnaker2 worker-side kernels: the per-core neuron updates and synaptic input of the emulated
 * SpiNNaker-2-like PEs, in the fixed-point formats the profile declares (`arithmetic`, resolved
 * into `S2Options.arith` by run.ts). Loaded in every runtime worker (module contract:
 * src/runtime/kernel.ts).
 *
 * Per tick t, for each owned core:
 *  1. packets of tick t−1 (one per spike and destination worker, payload = the 32-bit routing key):
 *     the chip's multicast is emulated by the receiving worker, which delivers the packet to each of
 *     its cores on the route of the source slice (counted as received), finds the neuron's row on
 *     the cores that hold one (a per-neuron target table built once from the rows; the others count a
 *     row miss, like a master-population-table miss), and every 32-bit synapse word
 *     weight:16|delay:4|receptor:4|neuron:8 adds its weight code to ring-buffer slot (t + delay) mod 16;
 *  2. input spikes of step t (Input / SpikeSource populations) are generated locally — every worker
 *     that needs them draws the same ones (file data or the counter-based RNG) — and applied the
 *     same way, so they reach their first targets in the same tick;
 *  3. the neurons read slot t, turn it into an input current (sum << receptor shift, + bias,
 *     saturated to the state format), update in the declared formats, clear the slot, and send one
 *     packet per spike to each destination core of the source slice's multicast route.
 * Spikes between neurons therefore arrive one tick after they are emitted (delay 1).
 */
import type { PacketBatch, PacketSink, WorkerInit, WorkerKernel, WorkerOutput } from '../../src/runtime/kernel.js';
import { uniformAt } from '../../src/random/counter-rng.js';

export const KIND = { LIF: 0, LI: 1, IF: 2, I: 3, CubaLIF: 4, CubaLI: 5, CurrentLIF: 6, Threshold: 7 } as const;

/** Per-core event counters, in this order. */
export const COUNTER_NAMES = [
  'neuron_updates', 'synaptic_events', 'spikes', 'packets_sent', 'packets_received', 'router_lookups',
  'mesh_hops', 'chip_hops', 'packets_dropped', 'deliveries', 'row_misses', 'input_spikes', 'saturations',
  'sram_bytes', 'dram_bytes', 'cycles', 'max_tick_cycles', 'overruns',
] as const;
const C = Object.fromEntries(COUNTER_NAMES.map((n, i) => [n, i])) as Record<(typeof COUNTER_NAMES)[number], number>;
const NC = COUNTER_NAMES.length;

/** A population as the kernels need it: per-neuron codes, expanded (length = size). */
export interface PopData {
  name: string;
  kind: number;
  role: 'neuron' | 'source' | 'relay';
  size: number;
  receptors: number;
  /** State-format codes. */
  vth?: Int32Array;
  vl?: Int32Array;
  vr?: Int32Array;
  v0?: Int32Array;
  bias?: Int32Array;
  /** Coefficient-format codes: decay, gain, synaptic decay/gain; CurrentLIF c[r·size + k], ar[r]. */
  a?: Int32Array;
  g?: Int32Array;
  as?: Int32Array;
  gs?: Int32Array;
  c?: Int32Array;
  ar?: Int32Array;
  /** CurrentLIF refractory period in steps. */
  ref?: Int32Array;
  /** Record the state trace (v) of this population. */
  trace: boolean;
}

/** Input of a source population. */
export type SourceData =
  | { kind: 'dense'; size: number; steps: number; data: Float32Array }
  | { kind: 'poisson'; size: number; key: number; p: Float64Array }
  | { kind: 'none'; size: number };

/** One program core: its slice, synaptic rows and the multicast route of its packets. */
export interface CoreData {
  pop: number;
  lo: number;
  hi: number;
  key: number;
  shifts: number[];
  rowKeys: Uint32Array;
  rowStart: Uint32Array;
  words: Uint32Array;
  /** Program core ids its packets are delivered to (ascending), and the per-packet costs. */
  dests: Int32Array;
  lookups: number;
  meshHops: number;
  chipHops: number;
  dropped: number;
  latencyCycles: number;
  /** Source populations with rows on this core (their spikes must be generated here). */
  inputPops: number[];
  sramBytes: number;
}

export interface S2Shared {
  pops: PopData[];
  cores: CoreData[];
  /** By population index (only source populations have one). */
  sources: (SourceData | null)[];
  /** Per source population: key and core of each neuron. */
  sourceKeys: (Int32Array | null)[];
  sourceCores: (Int32Array | null)[];
  /**
   * Where each neuron's synaptic rows are: neuron k of core c is slot neuronBase[c] + k; its rows
   * are the pairs (destination core, row index) tgt[2e], tgt[2e+1] for e in tgtIndex[slot] … tgtIndex[slot+1]−1.
   */
  neuronBase: Int32Array;
  tgtIndex: Int32Array;
  tgt: Int32Array;
}

export interface S2Arith {
  stateMin: number;
  stateMax: number;
  ringMin: number;
  ringMax: number;
  saturateRing: boolean;
  saturateState: boolean;
  coefFrac: number;
  decayRounding: string;
  inputRounding: string;
}

export interface S2Options {
  arith: S2Arith;
  reset: 'zero' | 'subtract';
  /** Cycle model per core and tick, and the tick budget in cycles. */
  cycles: { neuron: number; synapse: number; packet: number; tick: number; budget: number };
  synapseWordBytes: number;
  neuronStateBytes: number;
}

/** What each worker returns. */
export interface S2WorkerOutput {
  cores: Int32Array;
  /** Per owned core: spikes as (step, neuron index in the population) pairs. */
  spikes: Int32Array[];
  /** Per owned core: v codes [step · n + k] when its population is traced, else empty. */
  traces: Int32Array[];
  /** Per step: slowest owned core's cycles, that core, and the slowest packet route's cycles. */
  stepCycles: Float64Array;
  stepCore: Int32Array;
  stepRoute: Float64Array;
}

/** Fixed-point product a·b (b with `frac` fraction bits) rounded back to a's format. */
function makeMul(mode: string, frac: number): (a: number, b: number) => number {
  const inv = 2 ** -frac;
  const half = 2 ** (frac - 1);
  const one = 2 ** frac;
  switch (mode) {
    case 'floor':
      return (a, b) => Math.floor(a * b * inv);
    case 'toward-zero':
      return (a, b) => Math.trunc(a * b * inv);
    case 'nearest-up':
      return (a, b) => Math.floor((a * b + half) * inv);
    case 'nearest-away':
      return (a, b) => {
        const p = a * b;
        return p >= 0 ? Math.floor((p + half) * inv) : -Math.floor((half - p) * inv);
      };
    case 'nearest-even':
      return (a, b) => {
        const p = a * b;
        const q = Math.floor(p * inv);
        const r = p - q * one;
        return r > half || (r === half && (q & 1) !== 0) ? q + 1 : q;
      };
    default:
      throw new Error(`unknown rounding mode '${mode}'`);
  }
}

class SpikeLog {
  data = new Int32Array(64);
  n = 0;
  push(step: number, neuron: number): void {
    if (this.n + 2 > this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.n++] = step;
    this.data[this.n++] = neuron;
  }
}

interface CoreState {
  id: number;
  core: CoreData;
  pop: PopData;
  n: number;
  R: number;
  v: Int32Array;
  cur: Int32Array;
  refLeft: Int32Array;
  ring: Int32Array;
  x: Int32Array;
  /** Workers owning at least one destination core of this core's route, ascending. */
  destWorkers: Int32Array;
  shifts: Float64Array;
  log: SpikeLog;
  trace: Int32Array;
  /** Scratch: the neurons that spiked in this tick (two-receptor CurrentLIF loop). */
  spk: Int32Array;
  /** Ring-buffer slots that received a weight since they were last read. */
  dirty: Uint8Array;
  /**
   * CurrentLIF parameters as the two-receptor loop reads them: parameter q = (pLo + k) & pMask of
   * pa, pvl, pvth, pvr, pref and pc (receptor r at r·pSize + q). When every neuron of the core's
   * slice has the same values they are one-element copies read at q = 0 (pMask 0): the loop keeps
   * one code path, but its parameter loads hit one cache line instead of streaming the slice.
   */
  par?: { pa: Int32Array; pvl: Int32Array; pvth: Int32Array; pvr: Int32Array; pref: Int32Array; pc: Int32Array; pLo: number; pMask: number; pSize: number };
}

/** CurrentLIF parameters of a slice, collapsed to one neuron when they are all the same. */
function sliceParams(pop: PopData, lo: number, hi: number): NonNullable<CoreState['par']> {
  const size = pop.size;
  const R = pop.receptors;
  const same = (x: Int32Array | undefined, off = 0): boolean => {
    if (!x) return false;
    const x0 = x[off + lo]!;
    for (let q = lo + 1; q < hi; q++) if (x[off + q] !== x0) return false;
    return true;
  };
  let uniform = hi > lo && same(pop.a) && same(pop.vl) && same(pop.vth) && same(pop.vr) && same(pop.ref);
  for (let r = 0; r < R && uniform; r++) uniform = same(pop.c, r * size);
  if (!uniform) return { pa: pop.a!, pvl: pop.vl!, pvth: pop.vth!, pvr: pop.vr!, pref: pop.ref!, pc: pop.c!, pLo: lo, pMask: -1, pSize: size };
  const one = (x: Int32Array): Int32Array => Int32Array.of(x[lo]!);
  const pc = new Int32Array(R);
  for (let r = 0; r < R; r++) pc[r] = pop.c![r * size + lo]!;
  return { pa: one(pop.a!), pvl: one(pop.vl!), pvth: one(pop.vth!), pvr: one(pop.vr!), pref: one(pop.ref!), pc, pLo: 0, pMask: 0, pSize: 1 };
}

export function createWorkerKernel(init: WorkerInit): WorkerKernel {
  const shared = init.shared as S2Shared;
  const opt = init.options as unknown as S2Options;
  const ar = opt.arith;
  const steps = init.steps;
  const SMIN = ar.stateMin;
  const SMAX = ar.stateMax;
  const RMIN = ar.ringMin;
  const RMAX = ar.ringMax;
  const mulDecay = makeMul(ar.decayRounding, ar.coefFrac);
  const mulInput = makeMul(ar.inputRounding, ar.coefFrac);
  const subtract = opt.reset === 'subtract';
  let sat = 0;
  const SRANGE = SMAX - SMIN + 1;
  const RRANGE = RMAX - RMIN + 1;
  /** Saturate (or wrap, when the profile says so) to the state format, counting saturations. */
  const S = ar.saturateState
    ? (x: number): number => (x > SMAX ? (sat++, SMAX) : x < SMIN ? (sat++, SMIN) : x)
    : (x: number): number => (x > SMAX || x < SMIN ? (sat++, ((((x - SMIN) % SRANGE) + SRANGE) % SRANGE) + SMIN) : x);
  const RS = ar.saturateRing
    ? (x: number): number => (x > RMAX ? (sat++, RMAX) : x < RMIN ? (sat++, RMIN) : x)
    : (x: number): number => (x > RMAX || x < RMIN ? (sat++, ((((x - RMIN) % RRANGE) + RRANGE) % RRANGE) + RMIN) : x);

  const nOwned = init.cores.length;
  const counters = new Float64Array(nOwned * NC);
  const local = new Int32Array(init.coreCount).fill(-1);
  const states: CoreState[] = [];
  const needPop = new Set<number>();
  for (let li = 0; li < nOwned; li++) {
    const id = init.cores[li]!;
    local[id] = li;
    const core = shared.cores[id]!;
    const pop = shared.pops[core.pop]!;
    const n = pop.role !== 'source' ? core.hi - core.lo : 0;
    const R = pop.receptors;
    const v = new Int32Array(n);
    if (pop.v0) for (let k = 0; k < n; k++) v[k] = pop.v0[core.lo + k]!;
    for (const p of core.inputPops) needPop.add(p);
    if (pop.role === 'source') needPop.add(core.pop);
    states.push({
      id, core, pop, n, R, v,
      cur: new Int32Array(pop.kind === KIND.CubaLIF || pop.kind === KIND.CubaLI || pop.kind === KIND.CurrentLIF ? R * n : 0),
      refLeft: new Int32Array(pop.kind === KIND.CurrentLIF ? n : 0),
      ring: new Int32Array(16 * R * n),
      x: new Int32Array(R * n),
      destWorkers: Int32Array.from(new Set(Array.from(core.dests, (d) => init.coreToWorker[d]!))).sort(),
      shifts: Float64Array.from(core.shifts, (s) => 2 ** s),
      log: new SpikeLog(),
      trace: new Int32Array(pop.trace && pop.role !== 'source' ? steps * n : 0),
      dirty: new Uint8Array(16),
      spk: new Int32Array(n),
      ...(pop.kind === KIND.CurrentLIF && R === 2 && pop.role !== 'source' ? { par: sliceParams(pop, core.lo, core.hi) } : {}),
    });
  }
  const inputPops = [...needPop].sort((a, b) => a - b);
  /** Per program core: the destination cores of its route that this worker owns (ascending). */
  const localDests: Int32Array[] = shared.cores.map((c) => Int32Array.from(Array.from(c.dests).filter((d) => local[d]! >= 0)));
  /**
   * The same as runs of consecutive local core indices [start, end): a packet adds its count to
   * packets_received of every owned core on its route, which for a route reaching hundreds of cores
   * is done once per run in a difference array (recvDiff) and summed into the counters once per tick.
   */
  const recvRunIndex = new Int32Array(shared.cores.length + 1);
  const recvRunList: number[] = [];
  for (let c = 0; c < shared.cores.length; c++) {
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
  recvRunIndex[shared.cores.length] = recvRunList.length / 2;
  const recvRuns = Int32Array.from(recvRunList);
  const recvDiff = new Float64Array(nOwned + 1);
  let recvPending = false;
  /** Add the pending packets_received of this tick to the counters. */
  function flushReceived(): void {
    if (!recvPending) return;
    recvPending = false;
    let acc = 0;
    for (let li = 0; li < nOwned; li++) {
      acc += recvDiff[li]!;
      recvDiff[li] = 0;
      if (acc !== 0) counters[li * NC + C.packets_received]! += acc;
    }
    recvDiff[nOwned] = 0;
  }
  /** Packets that found a row, per owned core (row misses = received − hits). */
  const hits = new Float64Array(nOwned);
  const { neuronBase, tgtIndex, tgt } = shared;
  /** Per needed source population: the spiking neurons of the current step and their counts. */
  const srcIdx = new Map<number, Int32Array>();
  const srcCnt = new Map<number, Float64Array>();
  const srcN = new Map<number, number>();
  for (const p of inputPops) {
    const size = shared.pops[p]!.size;
    srcIdx.set(p, new Int32Array(size));
    srcCnt.set(p, new Float64Array(size));
  }
  const stepCycles = new Float64Array(steps);
  const stepCore = new Int32Array(steps).fill(-1);
  const stepRoute = new Float64Array(steps);

  function drawInputs(step: number): void {
    for (const p of inputPops) {
      const src = shared.sources[p];
      const idx = srcIdx.get(p)!;
      const cnt = srcCnt.get(p)!;
      let m = 0;
      if (src && src.kind === 'dense') {
        if (step < src.steps) {
          const base = step * src.size;
          for (let k = 0; k < src.size; k++) {
            const c = src.data[base + k]!;
            if (c > 0) {
              idx[m] = k;
              cnt[m++] = c;
            }
          }
        }
      } else if (src && src.kind === 'poisson') {
        const pp = src.p;
        const one = pp.length === 1;
        for (let k = 0; k < src.size; k++) {
          if (uniformAt(src.key, k, step) < (one ? pp[0]! : pp[k]!)) {
            idx[m] = k;
            cnt[m++] = 1;
          }
        }
      }
      srcN.set(p, m);
    }
  }

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

  /** Deliver `count` packets of neuron k of core src to this worker's cores on its route. */
  function deliver(src: number, k: number, count: number, step: number): void {
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
      sat = 0;
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
      counters[base + C.saturations]! += sat;
      hits[li]! += count;
    }
  }

  /** The declared arithmetic is the common one (round half up, saturate): a specialised, inlined loop. */
  const FAST = ar.decayRounding === 'nearest-up' && ar.inputRounding === 'nearest-up' && ar.saturateState;
  const HALF = 2 ** (ar.coefFrac - 1);
  const INV = 2 ** -ar.coefFrac;

  /**
   * CurrentLIF with nearest-up multiplies and saturation, as the generic loop below computes it
   * (the golden-model property checks both paths), with the ring-buffer read folded in.
   */
  function currentLifFast(st: CoreState, step: number, out: PacketSink): number {
    const { n, R, v, ring, pop, core } = st;
    const slot = step & 15;
    const lo = core.lo;
    const a = pop.a!;
    const c = pop.c!;
    const arr = pop.ar!;
    const ref = pop.ref!;
    const vl = pop.vl!;
    const vth = pop.vth!;
    const vr = pop.vr!;
    const cur = st.cur;
    const left = st.refLeft;
    const size = pop.size;
    const shifts = st.shifts;
    const dw = st.destWorkers;
    const nw = dw.length;
    let sat = 0;
    let nSpk = 0;
    // a slot nothing was added to is all zeros: skip reading and clearing it
    const input = st.dirty[slot] === 1;
    st.dirty[slot] = 0;
    for (let k = 0; k < n; k++) {
      const q = lo + k;
      // i_r += (ring << shift_r), saturated; clear the slot
      if (input) for (let r = 0; r < R; r++) {
        const ri = (slot * R + r) * n + k;
        let xi = ring[ri]! * shifts[r]!;
        ring[ri] = 0;
        if (xi > SMAX) { xi = SMAX; sat++; } else if (xi < SMIN) { xi = SMIN; sat++; }
        let ci = cur[r * n + k]! + xi;
        if (ci > SMAX) { ci = SMAX; sat++; } else if (ci < SMIN) { ci = SMIN; sat++; }
        cur[r * n + k] = ci;
      }
      let lk = left[k]!;
      if (lk > 0) left[k] = --lk;
      let vk = v[k]!;
      if (lk === 0) {
        const l = vl[q]!;
        let d = vk - l;
        if (d > SMAX) { d = SMAX; sat++; } else if (d < SMIN) { d = SMIN; sat++; }
        vk = l + Math.floor((d * a[q]! + HALF) * INV);
        if (vk > SMAX) { vk = SMAX; sat++; } else if (vk < SMIN) { vk = SMIN; sat++; }
        for (let r = 0; r < R; r++) {
          vk += Math.floor((cur[r * n + k]! * c[r * size + q]! + HALF) * INV);
          if (vk > SMAX) { vk = SMAX; sat++; } else if (vk < SMIN) { vk = SMIN; sat++; }
        }
      }
      for (let r = 0; r < R; r++) {
        let ci = Math.floor((cur[r * n + k]! * arr[r]! + HALF) * INV);
        if (ci > SMAX) { ci = SMAX; sat++; } else if (ci < SMIN) { ci = SMIN; sat++; }
        cur[r * n + k] = ci;
      }
      if (lk === 0 && vk > vth[q]!) {
        if (subtract) {
          let dth = vth[q]! - vr[q]!;
          if (dth > SMAX) { dth = SMAX; sat++; } else if (dth < SMIN) { dth = SMIN; sat++; }
          vk -= dth;
          if (vk > SMAX) { vk = SMAX; sat++; } else if (vk < SMIN) { vk = SMIN; sat++; }
        } else vk = vr[q]!;
        left[k] = ref[q]!;
        st.log.push(step, q);
        nSpk++;
        const key = core.key + k;
        for (let j = 0; j < nw; j++) out.sendToWorker(dw[j]!, key);
      }
      v[k] = vk;
    }
    satFast = sat;
    return nSpk;
  }
  let satFast = 0;

  /**
   * currentLifFast unrolled for two receptors (exc, inh: CUBA and most CurrentLIF models): the same
   * operations in the same order, without the per-receptor inner loops, which cost V8 about 3× the
   * arithmetic they wrap. Per neuron: input (ring << shift, saturated, added to the current,
   * saturated), refractory count-down, leak, the two current terms, the two current decays, then
   * threshold and reset — each result saturated as in the generic loop.
   */
  function currentLif2(st: CoreState, step: number, out: PacketSink): number {
    const { n, v, ring, pop, core } = st;
    const slot = step & 15;
    const lo = core.lo;
    const par = st.par!;
    const a = par.pa;
    const c = par.pc;
    const ref = par.pref;
    const vl = par.pvl;
    const vth = par.pvth;
    const vr = par.pvr;
    const pLo = par.pLo;
    const pMask = par.pMask;
    const cur = st.cur;
    const left = st.refLeft;
    const size = par.pSize;
    const sh0 = st.shifts[0]!;
    const sh1 = st.shifts[1]!;
    const ar0 = pop.ar![0]!;
    const ar1 = pop.ar![1]!;
    const r0 = slot * 2 * n;
    const r1 = r0 + n;
    const dw = st.destWorkers;
    const nw = dw.length;
    const key0 = core.key;
    const log = st.log;
    const spk = st.spk;
    const smax = SMAX;
    const smin = SMIN;
    const half = HALF;
    const inv = INV;
    let sat = 0;
    let nSpk = 0;
    const input = st.dirty[slot] === 1;
    st.dirty[slot] = 0;
    for (let k = 0; k < n; k++) {
      const q = (pLo + k) & pMask;
      let e = cur[k]!;
      let i = cur[n + k]!;
      if (input) {
        let x = ring[r0 + k]! * sh0;
        ring[r0 + k] = 0;
        if (x > smax) { x = smax; sat++; } else if (x < smin) { x = smin; sat++; }
        e += x;
        if (e > smax) { e = smax; sat++; } else if (e < smin) { e = smin; sat++; }
        x = ring[r1 + k]! * sh1;
        ring[r1 + k] = 0;
        if (x > smax) { x = smax; sat++; } else if (x < smin) { x = smin; sat++; }
        i += x;
        if (i > smax) { i = smax; sat++; } else if (i < smin) { i = smin; sat++; }
      }
      let lk = left[k]!;
      if (lk > 0) left[k] = --lk;
      let vk = v[k]!;
      if (lk === 0) {
        const l = vl[q]!;
        let d = vk - l;
        if (d > smax) { d = smax; sat++; } else if (d < smin) { d = smin; sat++; }
        vk = l + Math.floor((d * a[q]! + half) * inv);
        if (vk > smax) { vk = smax; sat++; } else if (vk < smin) { vk = smin; sat++; }
        vk += Math.floor((e * c[q]! + half) * inv);
        if (vk > smax) { vk = smax; sat++; } else if (vk < smin) { vk = smin; sat++; }
        vk += Math.floor((i * c[size + q]! + half) * inv);
        if (vk > smax) { vk = smax; sat++; } else if (vk < smin) { vk = smin; sat++; }
      }
      e = Math.floor((e * ar0 + half) * inv);
      if (e > smax) { e = smax; sat++; } else if (e < smin) { e = smin; sat++; }
      cur[k] = e;
      i = Math.floor((i * ar1 + half) * inv);
      if (i > smax) { i = smax; sat++; } else if (i < smin) { i = smin; sat++; }
      cur[n + k] = i;
      if (lk === 0 && vk > vth[q]!) {
        if (subtract) {
          let dth = vth[q]! - vr[q]!;
          if (dth > smax) { dth = smax; sat++; } else if (dth < smin) { dth = smin; sat++; }
          vk -= dth;
          if (vk > smax) { vk = smax; sat++; } else if (vk < smin) { vk = smin; sat++; }
        } else vk = vr[q]!;
        left[k] = ref[q]!;
        spk[nSpk++] = k;
      }
      v[k] = vk;
    }
    // spikes are logged and sent after the loop, in the same order: keeping those calls out of
    // the loop keeps its body small enough for V8 to hold its state in registers
    for (let s = 0; s < nSpk; s++) {
      const k = spk[s]!;
      log.push(step, lo + k);
      for (let j = 0; j < nw; j++) out.sendToWorker(dw[j]!, key0 + k);
    }
    satFast = sat;
    return nSpk;
  }

  function update(st: CoreState, step: number, out: PacketSink, base: number): void {
    const { n, R, v, x, ring, pop, core } = st;
    if (FAST && pop.kind === KIND.CurrentLIF && !pop.bias) {
      const nSpk = R === 2 ? currentLif2(st, step, out) : currentLifFast(st, step, out);
      sat += satFast;
      if (st.trace.length) st.trace.set(v, step * n);
      counters[base + C.neuron_updates]! += n;
      counters[base + C.sram_bytes]! += n * opt.neuronStateBytes;
      if (nSpk) countPackets(base, core, nSpk, step);
      return;
    }
    const slot = step & 15;
    const lo = core.lo;
    // input current per receptor: (ring sum << shift) + bias, saturated; clear the slot
    for (let r = 0; r < R; r++) {
      const off = (slot * R + r) * n;
      const sh = st.shifts[r]!;
      for (let k = 0; k < n; k++) {
        x[r * n + k] = S(ring[off + k]! * sh);
        ring[off + k] = 0;
      }
    }
    if (pop.bias) for (let k = 0; k < n; k++) x[k] = S(x[k]! + pop.bias[lo + k]!);
    const kind = pop.kind;
    const spikes = st.log;
    let nSpk = 0;
    const vth = pop.vth;
    const vr = pop.vr;
    const fire = (k: number): void => {
      spikes.push(step, lo + k);
      nSpk++;
      const key = core.key + k;
      const dw = st.destWorkers;
      for (let j = 0; j < dw.length; j++) out.sendToWorker(dw[j]!, key);
    };
    if (kind === KIND.LIF || kind === KIND.LI) {
      const a = pop.a!;
      const g = pop.g!;
      const vl = pop.vl!;
      for (let k = 0; k < n; k++) {
        const q = lo + k;
        const l = vl[q]!;
        let vk = S(S(l + mulDecay(S(v[k]! - l), a[q]!)) + mulInput(x[k]!, g[q]!));
        if (kind === KIND.LIF && vk > vth![q]!) {
          vk = subtract ? S(vk - vth![q]!) : vr![q]!;
          fire(k);
        }
        v[k] = vk;
      }
    } else if (kind === KIND.IF || kind === KIND.I) {
      const g = pop.g!;
      for (let k = 0; k < n; k++) {
        const q = lo + k;
        let vk = S(v[k]! + mulInput(x[k]!, g[q]!));
        if (kind === KIND.IF && vk > vth![q]!) {
          vk = subtract ? S(vk - vth![q]!) : vr![q]!;
          fire(k);
        }
        v[k] = vk;
      }
    } else if (kind === KIND.CubaLIF || kind === KIND.CubaLI) {
      const a = pop.a!;
      const g = pop.g!;
      const as = pop.as!;
      const gs = pop.gs!;
      const vl = pop.vl!;
      const cur = st.cur;
      for (let k = 0; k < n; k++) {
        const q = lo + k;
        const ik = S(mulDecay(cur[k]!, as[q]!) + mulInput(x[k]!, gs[q]!));
        cur[k] = ik;
        const l = vl[q]!;
        let vk = S(S(l + mulDecay(S(v[k]! - l), a[q]!)) + mulInput(ik, g[q]!));
        if (kind === KIND.CubaLIF && vk > vth![q]!) {
          vk = subtract ? S(vk - vth![q]!) : vr![q]!;
          fire(k);
        }
        v[k] = vk;
      }
    } else if (kind === KIND.CurrentLIF) {
      const a = pop.a!;
      const c = pop.c!;
      const arr = pop.ar!;
      const ref = pop.ref!;
      const vl = pop.vl!;
      const cur = st.cur;
      const left = st.refLeft;
      const size = pop.size;
      for (let j = 0; j < R * n; j++) cur[j] = S(cur[j]! + x[j]!);
      for (let k = 0; k < n; k++) {
        const q = lo + k;
        if (left[k]! > 0) left[k] = left[k]! - 1;
        let vk = v[k]!;
        if (left[k] === 0) {
          const l = vl[q]!;
          vk = S(l + mulDecay(S(vk - l), a[q]!));
          for (let r = 0; r < R; r++) vk = S(vk + mulInput(cur[r * n + k]!, c[r * size + q]!));
        }
        for (let r = 0; r < R; r++) cur[r * n + k] = S(mulDecay(cur[r * n + k]!, arr[r]!));
        if (left[k] === 0 && vk > vth![q]!) {
          vk = subtract ? S(vk - S(vth![q]! - vr![q]!)) : vr![q]!;
          left[k] = ref[q]!;
          fire(k);
        }
        v[k] = vk;
      }
    } else if (kind === KIND.Threshold) {
      for (let k = 0; k < n; k++) {
        v[k] = x[k]!;
        if (x[k]! > vth![lo + k]!) fire(k);
      }
    } else throw new Error(`unknown neuron kind ${kind} in population '${pop.name}'`);
    if (st.trace.length) st.trace.set(v, step * n);
    counters[base + C.neuron_updates]! += n;
    counters[base + C.sram_bytes]! += n * opt.neuronStateBytes;
    if (nSpk) countPackets(base, core, nSpk, step);
  }

  function countPackets(base: number, core: CoreData, packets: number, step: number): void {
    counters[base + C.spikes]! += packets;
    if (core.lookups === 0) return; // a population without outgoing synapses sends no packets
    counters[base + C.packets_sent]! += packets;
    counters[base + C.router_lookups]! += packets * core.lookups;
    counters[base + C.mesh_hops]! += packets * core.meshHops;
    counters[base + C.chip_hops]! += packets * core.chipHops;
    counters[base + C.packets_dropped]! += packets * core.dropped;
    counters[base + C.deliveries]! += packets * core.dests.length;
    if (core.latencyCycles > stepRoute[step]!) stepRoute[step] = core.latencyCycles;
  }

  const cyc = opt.cycles;
  const tickStart = new Float64Array(nOwned * 3);

  return {
    counterNames: COUNTER_NAMES,
    tick(step: number, inbox: PacketBatch, out: PacketSink): void {
      // cycles of this tick are measured as counter deltas
      for (let li = 0; li < nOwned; li++) {
        const b = li * NC;
        tickStart[li * 3] = counters[b + C.neuron_updates]!;
        tickStart[li * 3 + 1] = counters[b + C.synaptic_events]!;
        tickStart[li * 3 + 2] = counters[b + C.packets_received]!;
      }
      // 1. packets of the previous tick
      const w = inbox.words;
      const stride = inbox.stride;
      const cores = shared.cores;
      for (let i = 0; i < inbox.count; i++) {
        const o = i * stride;
        const src = w[o]!;
        deliver(src, (w[o + 2]! - cores[src]!.key) >>> 0, 1, step);
      }
      // 2. input spikes of this step, generated locally
      if (inputPops.length) {
        drawInputs(step);
        for (let li = 0; li < nOwned; li++) {
          const s = states[li]!;
          const base = li * NC;
          if (s.pop.role === 'source') {
            // the source core's own multicast packets: counted once, by the worker that owns it
            const m = srcN.get(s.core.pop)!;
            const idx = srcIdx.get(s.core.pop)!;
            const cnt = srcCnt.get(s.core.pop)!;
            let pk = 0;
            for (let j = 0; j < m; j++) if (idx[j]! >= s.core.lo && idx[j]! < s.core.hi) pk += cnt[j]!;
            counters[base + C.input_spikes]! += pk;
            if (pk) countPackets(base, s.core, pk, step);
            continue;
          }
        }
        for (const p of inputPops) {
          if (shared.pops[p]!.role !== 'source') continue;
          const m = srcN.get(p)!;
          const idx = srcIdx.get(p)!;
          const cnt = srcCnt.get(p)!;
          const sc = shared.sourceCores[p]!;
          for (let j = 0; j < m; j++) {
            const src = sc[idx[j]!]!;
            deliver(src, idx[j]! - cores[src]!.lo, cnt[j]!, step);
          }
        }
      }
      flushReceived();
      // 3. neuron updates
      for (let li = 0; li < nOwned; li++) {
        const s = states[li]!;
        const base = li * NC;
        if (s.pop.role !== 'source') {
          out.setCore(s.id);
          sat = 0;
          update(s, step, out, base);
          counters[base + C.saturations]! += sat;
        }
        const cycles = cyc.tick
          + (counters[base + C.neuron_updates]! - tickStart[li * 3]!) * cyc.neuron
          + (counters[base + C.synaptic_events]! - tickStart[li * 3 + 1]!) * cyc.synapse
          + (counters[base + C.packets_received]! - tickStart[li * 3 + 2]!) * cyc.packet;
        counters[base + C.cycles]! += cycles;
        if (cycles > counters[base + C.max_tick_cycles]!) counters[base + C.max_tick_cycles] = cycles;
        if (cycles > cyc.budget) counters[base + C.overruns]!++;
        if (cycles > stepCycles[step]! || (cycles === stepCycles[step]! && (stepCore[step]! < 0 || s.id < stepCore[step]!))) {
          stepCycles[step] = cycles;
          stepCore[step] = s.id;
        }
      }
    },
    counters: () => {
      for (let li = 0; li < nOwned; li++) counters[li * NC + C.row_misses] = counters[li * NC + C.packets_received]! - hits[li]!;
      return counters;
    },
    finish(): WorkerOutput {
      const value: S2WorkerOutput = {
        cores: Int32Array.from(init.cores),
        spikes: states.map((s) => s.log.data.slice(0, s.log.n)),
        traces: states.map((s) => s.trace),
        stepCycles, stepCore, stepRoute,
      };
      return { value, transfer: [...value.spikes.map((a) => a.buffer as ArrayBuffer), ...value.traces.map((a) => a.buffer as ArrayBuffer), stepCycles.buffer, stepCore.buffer, stepRoute.buffer] };
    },
  };
}
