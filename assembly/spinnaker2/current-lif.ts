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

/** The tail of a group: v, refractory count, threshold and reset of 4 lanes; returns the new count of spikes. */
@inline function finish<U>(d: usize, k: i32, vacc: v128, nSpk: i32, half: v128, frac: i32): i32 {
  const uniform = sizeof<U>() == 1;
  const vp = at(<usize>w(d, D_V), k);
  const lp = at(<usize>w(d, D_LEFT), k);
  const zero = i32x4.splat(0);
  let lk = v128.load(lp);
  lk = i32x4.add(lk, i32x4.gt_s(lk, zero));
  const active = i32x4.eq(lk, zero);
  const v = v128.load(vp);
  const l = par(<usize>w(d, D_PVL), k, uniform);
  const vnew = i32x4.add(i32x4.add(l, mul4(i32x4.sub(v, l), par(<usize>w(d, D_PA), k, uniform), half, frac)), vacc);
  let vk = v128.bitselect(vnew, v, active);
  const vth = par(<usize>w(d, D_PVTH), k, uniform);
  const spike = v128.and(active, i32x4.gt_s(vk, vth));
  if (v128.any_true(spike)) {
    const vr = par(<usize>w(d, D_PVR), k, uniform);
    const reset = w(d, D_SUB) ? i32x4.sub(vk, i32x4.sub(vth, vr)) : vr;
    vk = v128.bitselect(reset, vk, spike);
    lk = v128.bitselect(par(<usize>w(d, D_PREF), k, uniform), lk, spike);
    const m = i32x4.bitmask(spike);
    const spk = <usize>w(d, D_SPK);
    for (let j = 0; j < 4; j++) if (m & (1 << j)) store<i32>(at(spk, nSpk++), k + j);
  }
  v128.store(lp, lk);
  v128.store(vp, vk);
  return nSpk;
}

/** Receptor r of group k on the fast path: i_r += ring << shift; returns the v term, stores the decayed i_r. */
@inline function receptor<U>(d: usize, k: i32, r: i32, n: i32, ring: usize, input: bool, half: v128, frac: i32): v128 {
  const uniform = sizeof<U>() == 1;
  const cp = at(<usize>w(d, D_CUR), r * n + k);
  let e = v128.load(cp);
  if (input) {
    const rp = at(ring, r * n + k);
    e = i32x4.add(e, i32x4.shl(v128.load(rp), w(d, D_SH + r)));
    v128.store(rp, i32x4.splat(0));
  }
  // receptor r's gain: pc[r] when uniform (pSize 1), pc[r·n + k …] otherwise
  const c = par(at(<usize>w(d, D_PC), r * w(d, D_PSIZE)), k, uniform);
  v128.store(cp, mul4(e, i32x4.splat(w(d, D_AR + r)), half, frac));
  return mul4(e, c, half, frac);
}

/** Whether group k may take the fast path. */
@inline function guarded(d: usize, k: i32, R: i32, n: i32, ring: usize, input: bool, g: v128): bool {
  let ok = small(v128.load(at(<usize>w(d, D_V), k)), g);
  const cur = <usize>w(d, D_CUR);
  for (let r = 0; r < R; r++) {
    ok = v128.and(ok, small(v128.load(at(cur, r * n + k)), g));
    if (input) ok = v128.and(ok, small(v128.load(at(ring, r * n + k)), i32x4.splat(w(d, D_GR + r))));
  }
  return i32x4.all_true(ok);
}

function loop2<U>(d: usize, ring: usize, input: bool): i32 {
  const n = w(d, D_N);
  const frac = w(d, D_FRAC);
  const half = i64x2.splat(HALF);
  const G = w(d, D_G);
  const g = i32x4.splat(G);
  const spk = <usize>w(d, D_SPK);
  let nSpk = 0;
  let k = 0;
  const n4 = G > 0 ? n & ~3 : 0;
  for (; k < n4; k += 4) {
    if (guarded(d, k, 2, n, ring, input, g)) {
      const vacc = i32x4.add(receptor<U>(d, k, 0, n, ring, input, half, frac), receptor<U>(d, k, 1, n, ring, input, half, frac));
      nSpk = finish<U>(d, k, vacc, nSpk, half, frac);
    } else {
      for (let j = k; j < k + 4; j++) if (exact(d, j, input, ring)) store<i32>(at(spk, nSpk++), j);
    }
  }
  for (; k < n; k++) if (exact(d, k, input, ring)) store<i32>(at(spk, nSpk++), k);
  return nSpk;
}

function loopR<U>(d: usize, ring: usize, input: bool): i32 {
  const n = w(d, D_N);
  const R = w(d, D_R);
  const frac = w(d, D_FRAC);
  const half = i64x2.splat(HALF);
  const G = w(d, D_G);
  const g = i32x4.splat(G);
  const spk = <usize>w(d, D_SPK);
  let nSpk = 0;
  let k = 0;
  const n4 = G > 0 ? n & ~3 : 0;
  for (; k < n4; k += 4) {
    if (guarded(d, k, R, n, ring, input, g)) {
      let vacc = i32x4.splat(0);
      for (let r = 0; r < R; r++) vacc = i32x4.add(vacc, receptor<U>(d, k, r, n, ring, input, half, frac));
      nSpk = finish<U>(d, k, vacc, nSpk, half, frac);
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
