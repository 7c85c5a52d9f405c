/**
 * spinnaker2 CurrentLIF neuron update in WebAssembly SIMD (AssemblyScript; built by `npm run
 * build` into dist/wasm/spinnaker2-current-lif.wasm). The same operations in the same order as
 * the JavaScript loops of chips/spinnaker2/kernel-current-lif.ts (currentLif2 and the any-R loop),
 * bit-identical in state, spikes and saturation counts wherever the predicate
 * `currentLifWasmApplies` (chips/spinnaker2/kernel-current-lif-wasm.ts) holds.
 *
 * All state lives in the caller's shared memory; a core is described by a block of i32 words at
 * `d` (offsets D_* below, filled by kernel-current-lif-wasm.ts). Two paths per group of 4 neurons:
 *  - fast: when every |v|, |i_r| is below the core's guard G and every ring input |ring_r| below
 *    G_r = ⌊(G−1)/2^shift_r⌋+1, the caller has proved (from the core's parameters) that no value
 *    of the update can leave the state format: no clamp can fire, so plain i32 lanes (products in
 *    i64 lanes, rounded and narrowed back) give the exact result with no saturation;
 *  - exact: otherwise (and for the n mod 4 tail) each neuron runs the scalar i64 code, every
 *    intermediate saturated and counted as in the JavaScript loop.
 */

// descriptor word offsets
const D_N = 0;
const D_R = 1;
const D_V = 2;
const D_CUR = 3;
const D_LEFT = 4;
const D_RING = 5;
const D_SPK = 6;
const D_PA = 7;
const D_PVL = 8;
const D_PVTH = 9;
const D_PVR = 10;
const D_PREF = 11;
const D_PC = 12;
const D_PMASK = 13;
const D_PSIZE = 14;
const D_SUB = 15;
const D_SMIN = 16;
const D_SMAX = 17;
const D_FRAC = 18;
const D_G = 19;
const D_SAT = 20;
/** Per receptor r < 16: shift at D_SH + r, decay code at D_AR + r, ring guard at D_GR + r. */
const D_SH = 24;
const D_AR = 40;
const D_GR = 56;

let SMIN: i64 = 0;
let SMAX: i64 = 0;
let FRAC: i64 = 0;
let HALF: i64 = 0;
let SAT: i32 = 0;

@inline function w(d: usize, i: i32): i32 {
  return load<i32>(d + (<usize>i << 2));
}
@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}
@inline function clamp(x: i64): i64 {
  if (x > SMAX) { SAT++; return SMAX; }
  if (x < SMIN) { SAT++; return SMIN; }
  return x;
}
@inline function mul(x: i64, c: i64): i64 {
  return (x * c + HALF) >> FRAC;
}

/** The exact scalar update of neuron k (the JavaScript loop's order); returns 1 when it spikes. */
function exact(d: usize, k: i32, input: bool, ring: usize): i32 {
  const n = w(d, D_N);
  const R = w(d, D_R);
  const q = k & w(d, D_PMASK);
  const psize = w(d, D_PSIZE);
  const cur = <usize>w(d, D_CUR);
  const left = <usize>w(d, D_LEFT);
  if (input) for (let r = 0; r < R; r++) {
    const ri = at(ring, r * n + k);
    const xi = clamp(<i64>load<i32>(ri) << <i64>w(d, D_SH + r));
    store<i32>(ri, 0);
    const ci = at(cur, r * n + k);
    store<i32>(ci, <i32>clamp(<i64>load<i32>(ci) + xi));
  }
  let lk = load<i32>(at(left, k));
  if (lk > 0) store<i32>(at(left, k), --lk);
  const vp = at(<usize>w(d, D_V), k);
  let vk = <i64>load<i32>(vp);
  if (lk == 0) {
    const l = <i64>load<i32>(at(<usize>w(d, D_PVL), q));
    const dd = clamp(vk - l);
    vk = clamp(l + mul(dd, <i64>load<i32>(at(<usize>w(d, D_PA), q))));
    const pc = <usize>w(d, D_PC);
    for (let r = 0; r < R; r++) vk = clamp(vk + mul(<i64>load<i32>(at(cur, r * n + k)), <i64>load<i32>(at(pc, r * psize + q))));
  }
  for (let r = 0; r < R; r++) {
    const ci = at(cur, r * n + k);
    store<i32>(ci, <i32>clamp(mul(<i64>load<i32>(ci), <i64>w(d, D_AR + r))));
  }
  let spike = 0;
  if (lk == 0) {
    const vth = <i64>load<i32>(at(<usize>w(d, D_PVTH), q));
    if (vk > vth) {
      const vr = <i64>load<i32>(at(<usize>w(d, D_PVR), q));
      if (w(d, D_SUB)) vk = clamp(vk - clamp(vth - vr));
      else vk = vr;
      store<i32>(at(left, k), load<i32>(at(<usize>w(d, D_PREF), q)));
      spike = 1;
    }
  }
  store<i32>(vp, <i32>vk);
  return spike;
}

/** Round-half-up fixed-point product of 4 lanes: ((x·c + half) >> frac), narrowed to i32. */
@inline function mul4(x: v128, c: v128, half: v128, frac: i32): v128 {
  const lo = i64x2.shr_s(i64x2.add(i64x2.extmul_low_i32x4_s(x, c), half), frac);
  const hi = i64x2.shr_s(i64x2.add(i64x2.extmul_high_i32x4_s(x, c), half), frac);
  return i32x4.shuffle(lo, hi, 0, 2, 4, 6);
}

/** A parameter of neurons q … q+3: one broadcast value (uniform slice) or 4 consecutive ones. */
@inline function par(p: usize, q: i32, uniform: bool): v128 {
  return uniform ? v128.load32_splat(p) : v128.load(at(p, q));
}

/** Whether every lane's |x| is below g (abs of INT_MIN stays 2^31 unsigned, so it fails). */
@inline function small(x: v128, g: v128): v128 {
  return i32x4.lt_u(i32x4.abs(x), g);
}

/**
 * Update the core's neurons for one step: `slot` is the ring-buffer slot (its base is computed
 * here), `input` whether that slot received anything. Returns the number of spikes (their neuron
 * indices, ascending, at D_SPK); the saturations are stored at D_SAT.
 */
export function step(d: usize, slot: i32, input: bool): i32 {
  SMIN = <i64>w(d, D_SMIN);
  SMAX = <i64>w(d, D_SMAX);
  FRAC = <i64>w(d, D_FRAC);
  HALF = (<i64>1) << (FRAC - 1);
  SAT = 0;
  const n = w(d, D_N);
  const R = w(d, D_R);
  const ring = at(<usize>w(d, D_RING), slot * R * n);
  const uniform = w(d, D_PMASK) == 0;
  const nSpk = R == 2
    ? (uniform ? loop2<u8>(d, ring, input) : loop2<u16>(d, ring, input))
    : (uniform ? loopR<u8>(d, ring, input) : loopR<u16>(d, ring, input));
  store<i32>(d + (<usize>D_SAT << 2), SAT);
  return nSpk;
}

/**
 * The fast path of group k (4 neurons) after its input currents are in: refractory count, leak,
 * the receptors' v terms `vacc`, threshold and reset, all in i32 lanes. Returns the new spike count.
 */
@inline function finish(
  vp: usize, lp: usize, spk: usize, k: i32, nSpk: i32, vacc: v128,
  l: v128, a: v128, vth: v128, vr: v128, ref: v128, sub: bool, half: v128, frac: i32,
): i32 {
  const zero = i32x4.splat(0);
  let lk = v128.load(lp);
  lk = i32x4.add(lk, i32x4.gt_s(lk, zero));
  const active = i32x4.eq(lk, zero);
  const v = v128.load(vp);
  const vnew = i32x4.add(i32x4.add(l, mul4(i32x4.sub(v, l), a, half, frac)), vacc);
  let vk = v128.bitselect(vnew, v, active);
  const spike = v128.and(active, i32x4.gt_s(vk, vth));
  if (v128.any_true(spike)) {
    const reset = sub ? i32x4.sub(vk, i32x4.sub(vth, vr)) : vr;
    vk = v128.bitselect(reset, vk, spike);
    lk = v128.bitselect(ref, lk, spike);
    const m = i32x4.bitmask(spike);
    for (let j = 0; j < 4; j++) if (m & (1 << j)) store<i32>(at(spk, nSpk++), k + j);
  }
  v128.store(lp, lk);
  v128.store(vp, vk);
  return nSpk;
}

/** One receptor of a group on the fast path: i += ring << shift (ring cleared); stores the decayed i, returns its v term. */
@inline function receptor(cp: usize, rp: usize, input: bool, sh: i32, c: v128, decay: v128, half: v128, frac: i32): v128 {
  let e = v128.load(cp);
  if (input) {
    e = i32x4.add(e, i32x4.shl(v128.load(rp), sh));
    v128.store(rp, i32x4.splat(0));
  }
  v128.store(cp, mul4(e, decay, half, frac));
  return mul4(e, c, half, frac);
}

/** Whether group k may take the fast path: every |v|, |i_r| < G and, with input, |ring_r| < G_r. */
@inline function guarded(d: usize, k: i32, R: i32, n: i32, v: usize, cur: usize, ring: usize, input: bool, g: v128): bool {
  let ok = small(v128.load(at(v, k)), g);
  for (let r = 0; r < R; r++) {
    ok = v128.and(ok, small(v128.load(at(cur, r * n + k)), g));
    if (input) ok = v128.and(ok, small(v128.load(at(ring, r * n + k)), i32x4.splat(w(d, D_GR + r))));
  }
  return i32x4.all_true(ok);
}

/** Two receptors (CUBA): the receptor code twice, no inner loop; U = u8: uniform parameters (broadcast once). */
function loop2<U>(d: usize, ring: usize, input: bool): i32 {
  const uniform = sizeof<U>() == 1;
  const n = w(d, D_N);
  const frac = w(d, D_FRAC);
  const half = i64x2.splat(HALF);
  const G = w(d, D_G);
  const g = i32x4.splat(G);
  const v = <usize>w(d, D_V);
  const cur = <usize>w(d, D_CUR);
  const left = <usize>w(d, D_LEFT);
  const spk = <usize>w(d, D_SPK);
  const pa = <usize>w(d, D_PA);
  const pvl = <usize>w(d, D_PVL);
  const pvth = <usize>w(d, D_PVTH);
  const pvr = <usize>w(d, D_PVR);
  const pref = <usize>w(d, D_PREF);
  const pc0 = <usize>w(d, D_PC);
  const pc1 = at(pc0, w(d, D_PSIZE));
  const sub = w(d, D_SUB) != 0;
  const sh0 = w(d, D_SH);
  const sh1 = w(d, D_SH + 1);
  const ar0 = i32x4.splat(w(d, D_AR));
  const ar1 = i32x4.splat(w(d, D_AR + 1));
  const gr0 = i32x4.splat(w(d, D_GR));
  const gr1 = i32x4.splat(w(d, D_GR + 1));
  const ring1 = at(ring, n);
  const cur1 = at(cur, n);
  // uniform slices: every parameter broadcast once, outside the loop
  const ua = v128.load32_splat(pa);
  const ul = v128.load32_splat(pvl);
  const uth = v128.load32_splat(pvth);
  const ur = v128.load32_splat(pvr);
  const uref = v128.load32_splat(pref);
  const uc0 = v128.load32_splat(pc0);
  const uc1 = v128.load32_splat(pc1);
  let nSpk = 0;
  let k = 0;
  const n4 = G > 0 ? n & ~3 : 0;
  for (; k < n4; k += 4) {
    const vp = at(v, k);
    const c0p = at(cur, k);
    const c1p = at(cur1, k);
    const r0p = at(ring, k);
    const r1p = at(ring1, k);
    let ok = v128.and(small(v128.load(vp), g), v128.and(small(v128.load(c0p), g), small(v128.load(c1p), g)));
    if (input) ok = v128.and(ok, v128.and(small(v128.load(r0p), gr0), small(v128.load(r1p), gr1)));
    if (i32x4.all_true(ok)) {
      const c0 = uniform ? uc0 : v128.load(at(pc0, k));
      const c1 = uniform ? uc1 : v128.load(at(pc1, k));
      const vacc = i32x4.add(receptor(c0p, r0p, input, sh0, c0, ar0, half, frac), receptor(c1p, r1p, input, sh1, c1, ar1, half, frac));
      nSpk = uniform
        ? finish(vp, at(left, k), spk, k, nSpk, vacc, ul, ua, uth, ur, uref, sub, half, frac)
        : finish(vp, at(left, k), spk, k, nSpk, vacc, v128.load(at(pvl, k)), v128.load(at(pa, k)), v128.load(at(pvth, k)), v128.load(at(pvr, k)), v128.load(at(pref, k)), sub, half, frac);
    } else {
      for (let j = k; j < k + 4; j++) if (exact(d, j, input, ring)) store<i32>(at(spk, nSpk++), j);
    }
  }
  for (; k < n; k++) if (exact(d, k, input, ring)) store<i32>(at(spk, nSpk++), k);
  return nSpk;
}

/** Any number of receptors: the receptor code in a loop. */
function loopR<U>(d: usize, ring: usize, input: bool): i32 {
  const uniform = sizeof<U>() == 1;
  const n = w(d, D_N);
  const R = w(d, D_R);
  const frac = w(d, D_FRAC);
  const half = i64x2.splat(HALF);
  const G = w(d, D_G);
  const g = i32x4.splat(G);
  const v = <usize>w(d, D_V);
  const cur = <usize>w(d, D_CUR);
  const left = <usize>w(d, D_LEFT);
  const spk = <usize>w(d, D_SPK);
  const pa = <usize>w(d, D_PA);
  const pvl = <usize>w(d, D_PVL);
  const pvth = <usize>w(d, D_PVTH);
  const pvr = <usize>w(d, D_PVR);
  const pref = <usize>w(d, D_PREF);
  const pc = <usize>w(d, D_PC);
  const psize = w(d, D_PSIZE);
  const sub = w(d, D_SUB) != 0;
  let nSpk = 0;
  let k = 0;
  const n4 = G > 0 ? n & ~3 : 0;
  for (; k < n4; k += 4) {
    if (guarded(d, k, R, n, v, cur, ring, input, g)) {
      let vacc = i32x4.splat(0);
      for (let r = 0; r < R; r++) {
        const cr = at(pc, r * psize);
        const c = uniform ? v128.load32_splat(cr) : v128.load(at(cr, k));
        vacc = i32x4.add(vacc, receptor(at(cur, r * n + k), at(ring, r * n + k), input, w(d, D_SH + r), c, i32x4.splat(w(d, D_AR + r)), half, frac));
      }
      nSpk = finish(at(v, k), at(left, k), spk, k, nSpk, vacc, par(pvl, k, uniform), par(pa, k, uniform), par(pvth, k, uniform), par(pvr, k, uniform), par(pref, k, uniform), sub, half, frac);
    } else {
      for (let j = k; j < k + 4; j++) if (exact(d, j, input, ring)) store<i32>(at(spk, nSpk++), j);
    }
  }
  for (; k < n; k++) if (exact(d, k, input, ring)) store<i32>(at(spk, nSpk++), k);
  return nSpk;
}

/** Where the module's own static data ends: the caller's arena starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
