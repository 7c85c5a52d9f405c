/**
 * spinnaker2 CurrentLIF update in WebAssembly SIMD (assembly/spinnaker2/current-lif.ts, built into
 * dist/wasm/spinnaker2-current-lif.wasm): the same results as the JavaScript loops of
 * kernel-current-lif.ts, bit for bit (state, spikes, saturations), about 10× faster.
 *
 * State sharing: a core that takes the WebAssembly path has its v, currents, refractory counts,
 * ring buffer and spike scratch allocated in the worker's shared WebAssembly.Memory (a
 * WasmArena: typed-array views over it, which the JavaScript code — synaptic delivery, traces,
 * emitSpikes — uses exactly as before), and its CurrentLIF parameters copied there once. The
 * kernel reads and writes those bytes in place: nothing is copied per step. Each core has a
 * descriptor (i32 words at D_*) with the addresses, the arithmetic and its fast-path guard.
 */
import { instantiateWasm } from '../../src/kernels/wasm-module.js';
import type { WasmArena } from '../../src/kernels/wasm-arena.js';
import type { CoreState, CurrentLifParams } from './kernel-core-state.js';
import { currentLifFastArith } from './kernel-current-lif.js';
import { KIND, type PopData, type S2Arith, type S2Options } from './kernel-types.js';

/** Descriptor word offsets (the same constants as in assembly/spinnaker2/current-lif.ts). */
const D = {
  N: 0, R: 1, V: 2, CUR: 3, LEFT: 4, RING: 5, SPK: 6, PA: 7, PVL: 8, PVTH: 9, PVR: 10, PREF: 11, PC: 12,
  PMASK: 13, PSIZE: 14, SUB: 15, SMIN: 16, SMAX: 17, FRAC: 18, G: 19, SAT: 20, SH: 24, AR: 40, GR: 56,
} as const;
const D_WORDS = 72;
const MAX_RECEPTORS = 16;

function maxAbs(x: ArrayLike<number> | undefined): number {
  let m = 0;
  if (x) for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

/** The largest |coefficient code| of a population (cached: every core of it asks). */
const coefMax = new WeakMap<PopData, number>();
function coefBound(pop: PopData): number {
  let m = coefMax.get(pop);
  if (m === undefined) coefMax.set(pop, (m = Math.max(maxAbs(pop.a), maxAbs(pop.c), maxAbs(pop.ar))));
  return m;
}

/**
 * THE predicate: whether the WebAssembly kernel computes exactly what the JavaScript CurrentLIF
 * loops compute for a core of `pop` with receptor shifts `shifts` under arithmetic `ar`. Every
 * condition is one the kernel's code relies on:
 *  - the arithmetic the JavaScript fast loops take (currentLifFastArith: nearest-up multiplies,
 *    saturating state) and no bias (the loops' own condition);
 *  - a state format inside int32 that contains 0 (the kernel's lanes are i32);
 *  - 1 … 16 receptors, each shift an integer ≥ 0 (ring << shift in i64, exact up to shift 32;
 *    a larger one saturates any non-zero sum either way);
 *  - every product state × coefficient (+ half) exact in a double (< 2^53), as the JavaScript
 *    loops need to be exact: then their floats and the kernel's i64 agree.
 *  - the refractory input rule `integrate` (the kernel does not implement `drop` yet), and no
 *    delta receptor (tau_syn = 0: its input goes to v, which the kernel does not do yet).
 * A change to the JavaScript loops that the kernel does not implement (a new receptor kind, a
 * new refractory input rule, …) must add its condition here, so that those cores keep the
 * JavaScript loop until the kernel follows.
 */
export function currentLifWasmApplies(ar: S2Arith, pop: PopData, shifts: readonly number[], refractoryInput: S2Options['refractoryInput']): boolean {
  if (refractoryInput !== 'integrate') return false;
  if (!currentLifFastArith(ar) || pop.kind !== KIND.CurrentLIF || pop.role === 'source' || pop.bias || pop.delta) return false;
  if (!(ar.stateMin >= -(2 ** 31) && ar.stateMax <= 2 ** 31 - 1 && ar.stateMin < 0 && ar.stateMax > 0)) return false;
  if (!Number.isInteger(ar.coefFrac) || ar.coefFrac < 1 || ar.coefFrac > 62) return false;
  const R = pop.receptors;
  if (R < 1 || R > MAX_RECEPTORS || shifts.length < R) return false;
  for (let r = 0; r < R; r++) if (!Number.isInteger(shifts[r]) || shifts[r]! < 0) return false;
  const coef = coefBound(pop);
  const state = Math.max(-ar.stateMin, ar.stateMax); // every factor is a state saturated before its multiply
  return state * coef + 2 ** (ar.coefFrac - 1) < 2 ** 53;
}

/**
 * The fast-path guard G of a core: the largest 2^p (p ≤ 30) such that |v|, |i_r| < G and ring
 * inputs |ring_r << shift_r| < G prove that no step of the update leaves [stateMin, stateMax]
 * (so no clamp fires and i32 lanes are exact); 0 when none does. Bounds with g = G − 1:
 * i_r + x_r ≤ 2g; v − v_rest ≤ g + L; v ≤ L + (g + L)·A + 1 + Σ_r (2g·C_r + 1) =: V; decayed
 * currents ≤ 2g·AR_r + 1; subtractive reset ≤ V + max|v_th − v_reset| (L, A, C_r, AR_r: the
 * largest |v_rest| and coefficients of the slice, coefficients as reals).
 */
export function fastGuard(ar: S2Arith, par: CurrentLifParams, n: number, R: number, decay: ArrayLike<number>, subtract: boolean): number {
  const S = Math.min(ar.stateMax, -ar.stateMin) - 8; // 8: room for the bound's own rounding
  const f = 2 ** ar.coefFrac;
  const m = par.pMask === 0 ? 1 : n;
  const slice = (x: Int32Array, off = 0): Int32Array => x.subarray(off + par.pLo, off + par.pLo + m);
  const L = maxAbs(slice(par.pvl));
  const A = maxAbs(slice(par.pa)) / f;
  let dth = 0;
  const vth = slice(par.pvth);
  const vr = slice(par.pvr);
  for (let k = 0; k < m; k++) dth = Math.max(dth, Math.abs(vth[k]! - vr[k]!));
  if (dth > S) return 0;
  for (let p = 30; p >= 2; p--) {
    const g = 2 ** p - 1;
    let ok = 2 * g <= S && g + L <= S;
    let V = L + (g + L) * A + 1;
    for (let r = 0; r < R && ok; r++) {
      V += 2 * g * (maxAbs(slice(par.pc, r * par.pSize)) / f) + 1;
      ok = 2 * g * (Math.abs(decay[r]!) / f) + 1 <= S;
    }
    if (ok && V <= S && (!subtract || V + dth <= S)) return 2 ** p;
  }
  return 0;
}

/** The worker's WebAssembly CurrentLIF kernel: allocate a core's state in it, then run its steps. */
export interface CurrentLifWasm {
  /** Where the state of cores that take this path must live. */
  arena: WasmArena;
  /** Make core st (its arrays from `arena`) run here: copies its parameters, writes its descriptor. */
  attach(st: CoreState): void;
  /** Update core st (attached) for `step`: returns the number of spikes (in st.spk); adds its saturations to sat.n. */
  step(st: CoreState, step: number, sat: { n: number }): number;
}

interface Exports {
  step(d: number, slot: number, input: number): number;
}

/** The kernel, or undefined when the module is not built, cannot compile here, or NEUROMESH_WASM=0. */
export function createCurrentLifWasm(ar: S2Arith, subtract: boolean): CurrentLifWasm | undefined {
  const k = instantiateWasm<Exports>('spinnaker2-current-lif');
  if (!k) return undefined;
  const { arena } = k;
  const run = k.exports.step;
  const ptr = (x: Int32Array): number => x.byteOffset;
  return {
    arena,
    attach(st) {
      const { n, R } = st;
      const src = st.par!;
      const uni = src.pMask === 0;
      const m = uni ? 1 : n;
      const cut = (x: Int32Array, off = 0): Int32Array => arena.copyI32(x.subarray(off + src.pLo, off + src.pLo + m));
      const pc = arena.i32(R * m);
      for (let r = 0; r < R; r++) pc.set(src.pc.subarray(r * src.pSize + src.pLo, r * src.pSize + src.pLo + m), r * m);
      const par: CurrentLifParams = {
        pa: cut(src.pa), pvl: cut(src.pvl), pvth: cut(src.pvth), pvr: cut(src.pvr), pref: cut(src.pref), pc,
        pLo: 0, pMask: uni ? 0 : -1, pSize: m,
      };
      st.par = par;
      const decay = st.pop.ar!;
      const d = arena.i32(D_WORDS);
      d[D.N] = n; d[D.R] = R;
      d[D.V] = ptr(st.v); d[D.CUR] = ptr(st.cur); d[D.LEFT] = ptr(st.refLeft); d[D.RING] = ptr(st.ring); d[D.SPK] = ptr(st.spk);
      d[D.PA] = ptr(par.pa); d[D.PVL] = ptr(par.pvl); d[D.PVTH] = ptr(par.pvth); d[D.PVR] = ptr(par.pvr); d[D.PREF] = ptr(par.pref); d[D.PC] = ptr(pc);
      d[D.PMASK] = par.pMask; d[D.PSIZE] = m; d[D.SUB] = subtract ? 1 : 0;
      d[D.SMIN] = ar.stateMin; d[D.SMAX] = ar.stateMax; d[D.FRAC] = ar.coefFrac;
      const G = fastGuard(ar, par, n, R, decay, subtract);
      d[D.G] = G;
      for (let r = 0; r < R; r++) {
        const sh = Math.log2(st.shifts[r]!);
        d[D.SH + r] = Math.min(sh, 32);
        d[D.AR + r] = decay[r]!;
        d[D.GR + r] = sh >= 31 ? 1 : Math.floor((G - 1) / 2 ** sh) + 1;
      }
      st.wasm = d;
    },
    step(st, step, sat) {
      const slot = step & 15;
      const input = st.dirty[slot] === 1;
      st.dirty[slot] = 0;
      const d = st.wasm!;
      const nSpk = run(d.byteOffset, slot, input ? 1 : 0);
      sat.n += d[D.SAT]!;
      return nSpk;
    },
  };
}
