import { resolveArithmetic } from '../../src/chip/arithmetic.js';
import { codeRange, formatName } from '../../src/chip/number-format.js';
import { profileValue, type ChipProfile } from '../../src/chip/profile.js';
import type { Network, RunConfig } from '../../src/chip/program.js';
import { MAX_WEIGHT_SCALE, VOLTAGE_PARAM, type WeightScaleChoice } from '../../src/chip/weight-scale.js';

/**
 * The spinnaker2 weight scale, chosen as sPyNNaker chooses ring-buffer left shifts: from the
 * largest value a neuron may see in one step, against the s16.15 state. Per population the bound is
 * max|voltage parameter| + g · (largest Σ|w| into one neuron and receptor + max|bias|), where g is
 * the per-step input gain when it exceeds 1 (IF/I: |r|, or dt·|r| in ode mode; others 1: their
 * input is stored in the state format before any gain below 1). K is the largest power of two with
 * K · bound ≤ state maximum / 2^HEADROOM_BITS, from 1 up to 2^19 (below 10^6).
 *
 * A power of two, not any real: × 2^k is exact in float64, so the scaled model is the same numbers
 * with shifted exponents (quantizing it to s16.15 is quantizing the model with 15 + k fraction bits),
 * and dividing recorded v back by K is exact too. Auto never scales down (K ≥ 1): the bound assumes
 * every input fires at once, too pessimistic to shrink a model that runs today.
 */
export const HEADROOM_BITS = 4;
const MAX_EXP = Math.floor(Math.log2(MAX_WEIGHT_SCALE));

interface Stats {
  bound: number;
  boundNode: string;
  minTheta: number;
  thetaNode: string;
  /** Per (population, receptor) with weights: max and min nonzero |w|. */
  weights: { node: string; max: number; min: number }[];
}

function stats(net: Network, config: RunConfig): Stats {
  const out: Stats = { bound: 0, boundNode: '', minTheta: Infinity, thetaNode: '', weights: [] };
  const sums = net.populations.map((p) => new Float64Array(p.size * p.receptors));
  const wmax = net.populations.map((p) => new Float64Array(p.receptors));
  const wmin = net.populations.map((p) => new Float64Array(p.receptors).fill(Infinity));
  for (const q of net.projections) {
    const sum = sums[q.post]!;
    const base = q.receptor * net.populations[q.post]!.size;
    let hi = wmax[q.post]![q.receptor]!;
    let lo = wmin[q.post]![q.receptor]!;
    for (let s = 0; s < q.weight.length; s++) {
      const a = Math.abs(q.weight[s]!);
      sum[base + q.target[s]!]! += a;
      if (a > hi) hi = a;
      if (a > 0 && a < lo) lo = a;
    }
    wmax[q.post]![q.receptor] = hi;
    wmin[q.post]![q.receptor] = lo;
  }
  for (const p of net.populations) {
    if (p.role === 'source') continue;
    let v = 0;
    for (const [name, a] of Object.entries(p.params)) {
      if (!VOLTAGE_PARAM.test(name)) continue;
      for (const x of a) {
        v = Math.max(v, Math.abs(x));
        if ((name === 'v_threshold' || name === 'threshold') && x !== 0 && Math.abs(x) < out.minTheta) (out.minTheta = Math.abs(x)), (out.thetaNode = p.name);
      }
    }
    let x = 0;
    for (const s of sums[p.index]!) x = Math.max(x, s);
    for (const b of p.bias ?? []) x = Math.max(x, Math.abs(b));
    let g = 1;
    if ((p.kind === 'IF' || p.kind === 'I') && p.params.r) for (const r of p.params.r) g = Math.max(g, Math.abs(r) * (config.ifMode === 'ode' ? config.dt : 1));
    const b = v + g * x;
    if (b > out.bound) (out.bound = b), (out.boundNode = p.name);
    for (let r = 0; r < p.receptors; r++)
      if (wmax[p.index]![r]! > 0) out.weights.push({ node: p.receptors > 1 ? `${p.name} receptor ${r}` : p.name, max: wmax[p.index]![r]!, min: wmin[p.index]![r]! });
  }
  return out;
}

export function chooseSpinnaker2WeightScale(net: Network, config: RunConfig, profile: ChipProfile, given?: number): WeightScaleChoice {
  const ar = resolveArithmetic(profile);
  const F = ar.state.fracBits;
  const lsb = 2 ** -F;
  const stateMax = codeRange(ar.state).max * lsb;
  const wCode = codeRange(ar.weight).max;
  const maxShift = profileValue(profile, 'limits.maxRingBufferShift');
  const st = stats(net, config);
  const limit = stateMax / 2 ** HEADROOM_BITS;
  let scale: number;
  let why: string;
  const fmt = formatName(ar.state);
  if (given !== undefined) {
    scale = given;
    why = st.bound > 0 ? `largest |v| + one step's input ${(st.bound * given).toPrecision(3)} (${st.boundNode}) is ${((100 * st.bound * given) / stateMax).toPrecision(2)} % of the ${fmt} range` : 'no voltages or weights';
  } else if (st.bound === 0) {
    scale = 1;
    why = 'no voltages or weights to scale';
  } else {
    const k = Math.floor(Math.log2(limit / st.bound));
    const e = Math.min(MAX_EXP, Math.max(0, k));
    scale = 2 ** e;
    why = k < 0
      ? `largest |v| + one step's input ${st.bound.toPrecision(3)} (${st.boundNode}) is already above 1/${2 ** HEADROOM_BITS} of the ${fmt} range; auto never scales down`
      : `largest |v| + one step's input ${st.bound.toPrecision(3)} (${st.boundNode}) × 2^${e} stays below 1/${2 ** HEADROOM_BITS} of the ${fmt} range${k > MAX_EXP ? ' (capped at 2^19)' : ''}`;
  }
  let worst: number | null = null;
  let worstWhat = '';
  if (st.minTheta < Infinity) (worst = lsb / (scale * st.minTheta)), (worstWhat = `threshold of ${st.thetaNode}`);
  for (const w of st.weights) {
    let s = 0;
    while (s < maxShift && scale * w.max > wCode * 2 ** (s - F)) s++;
    const rel = 2 ** (s - F) / (scale * w.min);
    if (worst === null || rel > worst) (worst = rel), (worstWhat = `smallest weight into ${w.node}`);
  }
  // a scale the user gave may not fit: the state saturates on one step's input, or values round to 0
  const warning = given === undefined ? undefined
    : st.bound * given > stateMax ? `largest |v| + one step's input becomes ${(st.bound * given).toPrecision(3)} (${st.boundNode}), beyond the ${fmt} state's ±${stateMax.toPrecision(3)}: the state saturates`
    : worst !== null && worst >= 1 ? `the ${worstWhat} is below one step of its format (relative resolution ${worst.toPrecision(2)}): it rounds to 0 on the chip`
    : undefined;
  return { scale, worstResolution: worst, why: worst === null ? why : `${why}; worst resolution: ${worstWhat}`, ...(warning ? { warning } : {}) };
}
