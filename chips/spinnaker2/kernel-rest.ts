/**
 * A CurrentLIF core at rest: no input in this tick's ring slot and every neuron at rest. Its
 * update is then the identity, in every declared rounding mode and overflow rule, so it is skipped
 * (its counters are still charged: the emulated PE still runs its loop).
 *
 * Proof, per neuron with v = v_leak, every current 0, refractory count 0, and v ≤ v_th:
 * - input: the ring slot holds only zeros (a slot is marked dirty by every add, cleared when read),
 *   so each current stays 0 + 0 = 0 and nothing saturates; there is no bias and no delta receptor
 *   (both excluded), so nothing else reaches v or the currents;
 * - refractory count 0 stays 0;
 * - leak: v_leak + round(0 · a) = v_leak, since every rounding of the product 0 is 0 (floor,
 *   toward-zero, nearest-up: ⌊½⌋ = 0, nearest-away, nearest-even); v_leak = v lies in the state
 *   range, so neither saturation nor wrapping changes it;
 * - current terms: v += round(0 · c) = 0; current decays: round(0 · decay) = 0;
 * - threshold: v = v_leak ≤ v_th does not fire, so no reset, no refractory count, no spike.
 * The state after the update equals the state before; the trace (v) is the same either way.
 */
import type { CoreState } from './kernel-core-state.js';
import { KIND } from './kernel-types.js';

/** Whether core st's CurrentLIF update for `step` is provably the identity (see above). */
export function currentLifAtRest(st: CoreState, step: number): boolean {
  const pop = st.pop;
  if (pop.kind !== KIND.CurrentLIF || pop.bias || pop.delta || st.dirty[step & 15] !== 0) return false;
  const { n, R, v, cur } = st;
  const left = st.refLeft;
  const lo = st.core.lo;
  const vl = pop.vl!;
  const vth = pop.vth!;
  // in a busy network the first neuron already fails: the check costs a few loads per core-tick
  for (let k = 0; k < n; k++) {
    const vk = v[k]!;
    if (left[k] !== 0 || vk !== vl[lo + k] || vk > vth[lo + k]!) return false;
    for (let r = 0; r < R; r++) if (cur[r * n + k] !== 0) return false;
  }
  return true;
}
