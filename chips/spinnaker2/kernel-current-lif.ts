/**
 * spinnaker2 CurrentLIF loops for the common arithmetic (nearest-up multiplies, saturating state,
 * no bias): the generic loop of kernel-neurons.ts computes the same (the golden-model property
 * checks both paths), with the ring-buffer read folded in and every multiply and clamp inlined.
 *
 * Two loops, the same operations in the same order: one for any number of receptors and one
 * unrolled for two (exc, inh: CUBA and most CurrentLIF models), without the per-receptor inner
 * loops, which cost V8 about 3× the arithmetic they wrap. Per neuron: input (ring << shift,
 * saturated, added to the current, saturated), refractory count-down, leak, the current terms, the
 * current decays, then threshold and reset — each result saturated as in the generic loop. Both
 * read the slice's parameters through CurrentLifParams (one-element copies when uniform), leave
 * the spiking neurons in st.spk for emitSpikes, and add their saturations to the kernel's count.
 */
import type { SatCount } from './kernel-arith.js';
import type { CoreState } from './kernel-core-state.js';
import type { S2Arith } from './kernel-types.js';

/** Update the neurons of a CurrentLIF core for `step`; returns the number of spikes (in st.spk). */
export type CurrentLifLoop = (st: CoreState, step: number) => number;

/** Whether the specialised loops apply to the declared arithmetic (they also need no bias). */
export function currentLifFastArith(ar: S2Arith): boolean {
  return ar.decayRounding === 'nearest-up' && ar.inputRounding === 'nearest-up' && ar.saturateState;
}

/** The specialised CurrentLIF update, choosing the loop by the core's receptor count. */
export function createCurrentLifLoop(ar: S2Arith, subtract: boolean, drop: boolean, satCount: SatCount): CurrentLifLoop {
  const SMAX = ar.stateMax;
  const SMIN = ar.stateMin;
  const HALF = 2 ** (ar.coefFrac - 1);
  const INV = 2 ** -ar.coefFrac;
  // drop: a spike sets the refractory count to at least 1 (see kernel-neurons.ts)
  const minRef = drop ? 1 : 0;

  function anyR(st: CoreState, step: number): number {
    const { n, R, v, ring, pop } = st;
    const slot = step & 15;
    const par = st.par!;
    const a = par.pa;
    const c = par.pc;
    const ref = par.pref;
    const vl = par.pvl;
    const vth = par.pvth;
    const vr = par.pvr;
    const pLo = par.pLo;
    const pMask = par.pMask;
    const size = par.pSize;
    const arr = pop.ar!;
    const cur = st.cur;
    const left = st.refLeft;
    const shifts = st.shifts;
    const spk = st.spk;
    let sat = 0;
    let nSpk = 0;
    // a slot nothing was added to is all zeros: skip reading and clearing it
    const input = st.dirty[slot] === 1;
    st.dirty[slot] = 0;
    for (let k = 0; k < n; k++) {
      const q = (pLo + k) & pMask;
      let lk = left[k]!;
      // drop: input arriving while refractory is discarded (the slot still read, saturated and cleared)
      const take = !drop || lk === 0;
      // i_r += (ring << shift_r), saturated; clear the slot
      if (input) for (let r = 0; r < R; r++) {
        const ri = (slot * R + r) * n + k;
        let xi = ring[ri]! * shifts[r]!;
        ring[ri] = 0;
        if (xi > SMAX) { xi = SMAX; sat++; } else if (xi < SMIN) { xi = SMIN; sat++; }
        if (!take) continue;
        let ci = cur[r * n + k]! + xi;
        if (ci > SMAX) { ci = SMAX; sat++; } else if (ci < SMIN) { ci = SMIN; sat++; }
        cur[r * n + k] = ci;
      }
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
        left[k] = ref[q]! || minRef;
        spk[nSpk++] = k;
      }
      v[k] = vk;
    }
    satCount.n += sat;
    return nSpk;
  }

  function two(st: CoreState, step: number): number {
    const { n, v, ring, pop } = st;
    const slot = step & 15;
    const par = st.par!;
    const a = par.pa;
    const c = par.pc;
    const ref = par.pref;
    const vl = par.pvl;
    const vth = par.pvth;
    const vr = par.pvr;
    const pLo = par.pLo;
    const pMask = par.pMask;
    const size = par.pSize;
    const cur = st.cur;
    const left = st.refLeft;
    const sh0 = st.shifts[0]!;
    const sh1 = st.shifts[1]!;
    const ar0 = pop.ar![0]!;
    const ar1 = pop.ar![1]!;
    const r0 = slot * 2 * n;
    const r1 = r0 + n;
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
      let lk = left[k]!;
      if (input) {
        let x = ring[r0 + k]! * sh0;
        ring[r0 + k] = 0;
        if (x > smax) { x = smax; sat++; } else if (x < smin) { x = smin; sat++; }
        let y = ring[r1 + k]! * sh1;
        ring[r1 + k] = 0;
        if (y > smax) { y = smax; sat++; } else if (y < smin) { y = smin; sat++; }
        // drop: input arriving while refractory is discarded
        if (!drop || lk === 0) {
          e += x;
          if (e > smax) { e = smax; sat++; } else if (e < smin) { e = smin; sat++; }
          i += y;
          if (i > smax) { i = smax; sat++; } else if (i < smin) { i = smin; sat++; }
        }
      }
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
        left[k] = ref[q]! || minRef;
        spk[nSpk++] = k;
      }
      v[k] = vk;
    }
    satCount.n += sat;
    return nSpk;
  }

  return (st, step) => (st.R === 2 ? two(st, step) : anyR(st, step));
}
