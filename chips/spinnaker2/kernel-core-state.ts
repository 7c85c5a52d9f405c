/**
 * spinnaker2 kernel state of one owned core: its neurons' state, ring buffer, spike log, trace and
 * the worker-side view of its multicast route; and the spike output every neuron loop shares.
 */
import type { PacketSink } from '../../src/runtime/kernel.js';
import { KIND, type CoreData, type PopData } from './kernel-types.js';

/** (step, neuron index in the population) pairs, growing as needed. */
export class SpikeLog {
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

/**
 * CurrentLIF parameters as the specialised loops read them: parameter q = (pLo + k) & pMask of
 * pa, pvl, pvth, pvr, pref and pc (receptor r at r·pSize + q). When every neuron of the core's
 * slice has the same values they are one-element copies read at q = 0 (pMask 0): the loop keeps
 * one code path, but its parameter loads hit one cache line instead of streaming the slice.
 */
export interface CurrentLifParams {
  pa: Int32Array;
  pvl: Int32Array;
  pvth: Int32Array;
  pvr: Int32Array;
  pref: Int32Array;
  pc: Int32Array;
  pLo: number;
  pMask: number;
  pSize: number;
}

export interface CoreState {
  id: number;
  core: CoreData;
  pop: PopData;
  n: number;
  R: number;
  v: Int32Array;
  cur: Int32Array;
  refLeft: Int32Array;
  /** CurrentLIF with delta receptors: 1 where the neuron spiked in the previous step (else empty). */
  fired: Uint8Array;
  ring: Int32Array;
  x: Int32Array;
  /** Workers owning at least one destination core of this core's route, ascending. */
  destWorkers: Int32Array;
  shifts: Float64Array;
  log: SpikeLog;
  trace: Int32Array;
  /** Scratch: the neurons that spiked in this tick, in order (see emitSpikes). */
  spk: Int32Array;
  /** Ring-buffer slots that received a weight since they were last read. */
  dirty: Uint8Array;
  /** CurrentLIF neuron cores only. */
  par: CurrentLifParams | undefined;
  /** Cores updated by the WebAssembly kernel: their descriptor there (kernel-current-lif-wasm.ts). */
  wasm?: Int32Array;
}

/** Where a core's state arrays come from: plain memory, or a WebAssembly arena (kernel-current-lif-wasm.ts). */
export type AllocI32 = (n: number) => Int32Array;
const plainI32: AllocI32 = (n) => new Int32Array(n);

/** CurrentLIF parameters of a slice, collapsed to one neuron when they are all the same. */
export function sliceParams(pop: PopData, lo: number, hi: number): CurrentLifParams {
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

/** The state of program core `id` (of `pop`), with the owner worker of every core and the run's steps. */
export function createCoreState(id: number, core: CoreData, pop: PopData, coreToWorker: Int32Array, steps: number, alloc: AllocI32 = plainI32): CoreState {
  const n = pop.role !== 'source' ? core.hi - core.lo : 0;
  const R = pop.receptors;
  const v = alloc(n);
  if (pop.v0) for (let k = 0; k < n; k++) v[k] = pop.v0[core.lo + k]!;
  return {
    id, core, pop, n, R, v,
    cur: alloc(pop.kind === KIND.CubaLIF || pop.kind === KIND.CubaLI || pop.kind === KIND.CurrentLIF ? R * n : 0),
    refLeft: alloc(pop.kind === KIND.CurrentLIF ? n : 0),
    fired: new Uint8Array(pop.kind === KIND.CurrentLIF && pop.delta ? n : 0),
    ring: alloc(16 * R * n),
    x: new Int32Array(R * n),
    destWorkers: Int32Array.from(new Set(Array.from(core.dests, (d) => coreToWorker[d]!))).sort(),
    shifts: Float64Array.from(core.shifts, (s) => 2 ** s),
    log: new SpikeLog(),
    trace: new Int32Array(pop.trace && pop.role !== 'source' ? steps * n : 0),
    dirty: new Uint8Array(16),
    spk: alloc(n),
    par: pop.kind === KIND.CurrentLIF && pop.role !== 'source' ? sliceParams(pop, core.lo, core.hi) : undefined,
  };
}

/**
 * Log and send the nSpk spikes a neuron loop left in st.spk, in that order: one packet (payload =
 * routing key) to each destination worker of the core's route. Keeping these calls out of the
 * loops keeps their bodies small enough for V8 to hold their state in registers.
 */
export function emitSpikes(st: CoreState, step: number, out: PacketSink, nSpk: number): void {
  const spk = st.spk;
  const log = st.log;
  const dw = st.destWorkers;
  const nw = dw.length;
  const lo = st.core.lo;
  const key0 = st.core.key;
  for (let s = 0; s < nSpk; s++) {
    const k = spk[s]!;
    log.push(step, lo + k);
    for (let j = 0; j < nw; j++) out.sendToWorker(dw[j]!, key0 + k);
  }
}
