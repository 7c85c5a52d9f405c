/**
 * spinnaker2 neuron updates: one core's neurons for one step, in the declared fixed-point formats
 * and rounding modes (any profile), with the specialised CurrentLIF loops (kernel-current-lif.ts)
 * taking over when the arithmetic is the common one. Each update reads ring-buffer slot t, turns it
 * into an input current (sum << receptor shift, + bias, saturated to the state format), clears the
 * slot, updates the neurons, sends one packet per spike to each destination worker of the core's
 * route and charges the core's counters.
 */
import type { PacketSink } from '../../src/runtime/kernel.js';
import { makeClamp, makeMul, type SatCount } from './kernel-arith.js';
import { emitSpikes, type CoreState } from './kernel-core-state.js';
import { C, countPackets } from './kernel-counters.js';
import { createCurrentLifLoop, currentLifFastArith } from './kernel-current-lif.js';
import { currentLifAtRest } from './kernel-rest.js';
import type { CurrentLifWasm } from './kernel-current-lif-wasm.js';
import { KIND, type S2Options } from './kernel-types.js';

/** Update owned core st (counters row at `base`) for `step`. */
export interface NeuronUpdate {
  (st: CoreState, step: number, out: PacketSink, base: number): void;
  /** Core-ticks skipped because the core was at rest (kernel-rest.ts). */
  readonly restSkips: number;
}

/** @param wasm the worker's WebAssembly CurrentLIF kernel, which updates the cores attached to it (st.wasm). */
export function createNeuronUpdate(opt: S2Options, counters: Float64Array, tickRoute: Float64Array, wasm?: CurrentLifWasm): NeuronUpdate {
  const ar = opt.arith;
  // NEUROMESH_REST_SKIP=0 turns the skip of cores at rest off (tests compare both)
  const restSkip = process.env.NEUROMESH_REST_SKIP !== '0';
  let restSkips = 0;
  const sat: SatCount = { n: 0 };
  /** Saturate (or wrap, when the profile says so) to the state format, counting saturations. */
  const S = makeClamp(ar.stateMin, ar.stateMax, ar.saturateState, sat);
  const mulDecay = makeMul(ar.decayRounding, ar.coefFrac);
  const mulInput = makeMul(ar.inputRounding, ar.coefFrac);
  const subtract = opt.reset === 'subtract';
  /** The declared arithmetic is the common one (round half up, saturate): a specialised, inlined loop. */
  const FAST = currentLifFastArith(ar);
  const drop = opt.refractoryInput === 'drop';
  // under drop a spike sets the count to at least 1: the next step's input is discarded even when t_ref < dt
  const minRef = drop ? 1 : 0;
  const currentLifFast = createCurrentLifLoop(ar, subtract, drop, sat);

  // The loops below update st's neurons from the input currents in st.x and return the number of
  // spikes, leaving the spiking neurons in st.spk.

  /** LIF and LI: leak towards v_leak, then the input; LIF fires. */
  function leaky(st: CoreState): number {
    const { n, v, x, pop, spk } = st;
    const lo = st.core.lo;
    const fires = pop.kind === KIND.LIF;
    const a = pop.a!;
    const g = pop.g!;
    const vl = pop.vl!;
    const vth = pop.vth;
    const vr = pop.vr;
    let nSpk = 0;
    for (let k = 0; k < n; k++) {
      const q = lo + k;
      const l = vl[q]!;
      let vk = S(S(l + mulDecay(S(v[k]! - l), a[q]!)) + mulInput(x[k]!, g[q]!));
      if (fires && vk > vth![q]!) {
        vk = subtract ? S(vk - vth![q]!) : vr![q]!;
        spk[nSpk++] = k;
      }
      v[k] = vk;
    }
    return nSpk;
  }

  /** IF and I: integrate the input; IF fires. */
  function integrating(st: CoreState): number {
    const { n, v, x, pop, spk } = st;
    const lo = st.core.lo;
    const fires = pop.kind === KIND.IF;
    const g = pop.g!;
    const vth = pop.vth;
    const vr = pop.vr;
    let nSpk = 0;
    for (let k = 0; k < n; k++) {
      const q = lo + k;
      let vk = S(v[k]! + mulInput(x[k]!, g[q]!));
      if (fires && vk > vth![q]!) {
        vk = subtract ? S(vk - vth![q]!) : vr![q]!;
        spk[nSpk++] = k;
      }
      v[k] = vk;
    }
    return nSpk;
  }

  /** CubaLIF and CubaLI: a decaying synaptic current feeds a leaky v; CubaLIF fires. */
  function cuba(st: CoreState): number {
    const { n, v, x, pop, spk } = st;
    const lo = st.core.lo;
    const fires = pop.kind === KIND.CubaLIF;
    const a = pop.a!;
    const g = pop.g!;
    const as = pop.as!;
    const gs = pop.gs!;
    const vl = pop.vl!;
    const vth = pop.vth;
    const vr = pop.vr;
    const cur = st.cur;
    let nSpk = 0;
    for (let k = 0; k < n; k++) {
      const q = lo + k;
      const ik = S(mulDecay(cur[k]!, as[q]!) + mulInput(x[k]!, gs[q]!));
      cur[k] = ik;
      const l = vl[q]!;
      let vk = S(S(l + mulDecay(S(v[k]! - l), a[q]!)) + mulInput(ik, g[q]!));
      if (fires && vk > vth![q]!) {
        vk = subtract ? S(vk - vth![q]!) : vr![q]!;
        spk[nSpk++] = k;
      }
      v[k] = vk;
    }
    return nSpk;
  }

  /** CurrentLIF: one decaying current per receptor, a refractory period, then leak and threshold. */
  function currentLif(st: CoreState): number {
    const { n, R, v, x, pop, spk } = st;
    const lo = st.core.lo;
    const a = pop.a!;
    const c = pop.c!;
    const arr = pop.ar!;
    const ref = pop.ref!;
    const vl = pop.vl!;
    const vth = pop.vth;
    const vr = pop.vr;
    const cur = st.cur;
    const left = st.refLeft;
    const size = pop.size;
    const delta = pop.delta;
    const fired = st.fired;
    let nSpk = 0;
    for (let k = 0; k < n; k++) {
      const q = lo + k;
      // drop: current input arriving while refractory is discarded (its saturation to the state format
      // still counted); a delta receptor has no current
      if (!drop || left[k] === 0) for (let r = 0; r < R; r++) if (delta?.[r] !== 1) cur[r * n + k] = S(cur[r * n + k]! + x[r * n + k]!);
      let vk = v[k]!;
      // delta receptors: v += input (saturated), unless refractory or spiked in the previous step
      if (delta && fired[k] === 0 && left[k] === 0) for (let r = 0; r < R; r++) if (delta[r] === 1) vk = S(vk + x[r * n + k]!);
      if (left[k]! > 0) left[k] = left[k]! - 1;
      if (left[k] === 0) {
        const l = vl[q]!;
        vk = S(l + mulDecay(S(vk - l), a[q]!));
        for (let r = 0; r < R; r++) vk = S(vk + mulInput(cur[r * n + k]!, c[r * size + q]!));
      }
      for (let r = 0; r < R; r++) cur[r * n + k] = S(mulDecay(cur[r * n + k]!, arr[r]!));
      if (left[k] === 0 && vk > vth![q]!) {
        vk = subtract ? S(vk - S(vth![q]! - vr![q]!)) : vr![q]!;
        left[k] = ref[q]! || minRef;
        spk[nSpk++] = k;
        if (delta) fired[k] = 1;
      } else if (delta) fired[k] = 0;
      v[k] = vk;
    }
    return nSpk;
  }

  /** Threshold: v is the input; fires above the threshold. */
  function threshold(st: CoreState): number {
    const { n, v, x, pop, spk } = st;
    const lo = st.core.lo;
    const vth = pop.vth!;
    let nSpk = 0;
    for (let k = 0; k < n; k++) {
      v[k] = x[k]!;
      if (x[k]! > vth[lo + k]!) spk[nSpk++] = k;
    }
    return nSpk;
  }

  /** Input current per receptor into st.x: (ring sum << shift) + bias, saturated; clear the slot. */
  function readInput(st: CoreState, step: number): void {
    const { n, R, x, ring, pop } = st;
    const slot = step & 15;
    for (let r = 0; r < R; r++) {
      const off = (slot * R + r) * n;
      const sh = st.shifts[r]!;
      for (let k = 0; k < n; k++) {
        x[r * n + k] = S(ring[off + k]! * sh);
        ring[off + k] = 0;
      }
    }
    st.dirty[slot] = 0;
    if (pop.bias) {
      const bias = pop.bias;
      const lo = st.core.lo;
      for (let k = 0; k < n; k++) x[k] = S(x[k]! + bias[lo + k]!);
    }
  }

  const update = (st: CoreState, step: number, out: PacketSink, base: number): void => {
    const { n, pop } = st;
    const kind = pop.kind;
    sat.n = 0;
    let nSpk: number;
    // a core at rest with no input: its update is the identity (kernel-rest.ts)
    if (restSkip && currentLifAtRest(st, step)) {
      nSpk = 0;
      restSkips++;
    }
    // delta receptors take the generic loop (the specialised loops hold currents only)
    else if (st.wasm) nSpk = wasm!.step(st, step, sat);
    else if (FAST && kind === KIND.CurrentLIF && !pop.bias && !pop.delta) nSpk = currentLifFast(st, step);
    else {
      readInput(st, step);
      if (kind === KIND.LIF || kind === KIND.LI) nSpk = leaky(st);
      else if (kind === KIND.IF || kind === KIND.I) nSpk = integrating(st);
      else if (kind === KIND.CubaLIF || kind === KIND.CubaLI) nSpk = cuba(st);
      else if (kind === KIND.CurrentLIF) nSpk = currentLif(st);
      else if (kind === KIND.Threshold) nSpk = threshold(st);
      else throw new Error(`unknown neuron kind ${kind} in population '${pop.name}'`);
    }
    emitSpikes(st, step, out, nSpk);
    if (st.trace.length) st.trace.set(st.v, step * n);
    counters[base + C.neuron_updates]! += n;
    counters[base + C.sram_bytes]! += n * opt.neuronStateBytes;
    if (nSpk) countPackets(counters, tickRoute, base, st.core, nSpk);
    counters[base + C.saturations]! += sat.n;
  };
  return Object.defineProperty(update, 'restSkips', { get: () => restSkips }) as NeuronUpdate;
}
