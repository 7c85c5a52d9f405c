import { type Network } from '../../../src/chip/program.js';
import { SYNAPSE_WORD, type Quantization } from '../program-types.js';
import { resolveArithmetic, type RoundingMode } from '../../../src/chip/arithmetic.js';
import { codeRange, type NumberFormat } from '../../../src/chip/number-format.js';
import { profileValue } from '../../../src/chip/profile.js';
import { roundCodes } from '../../../src/chip/rounding.js';
import { roundingLimit, roundingWarnings, worstRounding } from './rounding-report.js';
import { diag, NeuromeshError } from '../../../src/errors.js';
import type { MappingContext } from '../../../src/chip/backend.js';

/**
 * Quantize weights to the profile's `weight` format with a ring-buffer left shift chosen per
 * (target population, receptor), as sPyNNaker does: the smallest shift s for which the largest
 * |weight| into that receptor fits, a weight w being stored as round(w · 2^(F − s)) where F is the
 * state format's fraction bits. Neuron voltages, thresholds and biases go to the `state` format. Every
 * float → code rounds as the profile's `arithmetic.parameterRounding` declares (src/chip/rounding.ts). Weights
 * that round to zero or saturate are counted per projection and reported as warnings.
 */
export function quantizeNetwork(net: Network, ctx: MappingContext): Quantization {
  const profile = ctx.profile;
  // the formats the arithmetic section names (as the kernels and the golden model read them)
  const ar = resolveArithmetic(profile);
  const wf: NumberFormat = ar.weight;
  const sf: NumberFormat = ar.state;
  const mode = ar.spec.parameterRounding;
  const frac = ar.state.fracBits;
  const maxShift = profileValue(profile, 'limits.maxRingBufferShift');
  if (ar.weight.bits > SYNAPSE_WORD.weightBits)
    throw new NeuromeshError([diag('E_PROFILE', `the weight format has ${ar.weight.bits} bits; a synapse word holds ${SYNAPSE_WORD.weightBits}`, { chip: profile.id, field: `formats.${ar.spec.weight}`, hint: `use an int format of at most ${SYNAPSE_WORD.weightBits} bits` })]);
  const { min, max } = codeRange(wf);
  // largest |w| per (post, receptor)
  const maxAbs = net.populations.map((p) => new Float64Array(p.receptors));
  for (const pr of net.projections) {
    const m = maxAbs[pr.post]!;
    let a = m[pr.receptor]!;
    const w = pr.weight;
    for (let s = 0; s < w.length; s++) {
      const v = Math.abs(w[s]!);
      if (v > a) a = v;
    }
    m[pr.receptor] = a;
  }
  const shifts = maxAbs.map((m) =>
    Array.from(m, (a) => {
      let s = 0;
      while (s < maxShift && a > max * 2 ** (s - frac)) s++;
      return s;
    }),
  );
  const weights: Int16Array[] = [];
  const zeroed: number[] = [];
  const saturated: number[] = [];
  for (const pr of net.projections) {
    const shift = shifts[pr.post]![pr.receptor]!;
    const w = pr.weight;
    const q = new Int16Array(w.length);
    // w · 2^(F − shift) rounded as declared, saturating at the format's range
    const sat = roundCodes(w, frac - shift, mode, min, max, q);
    let z = 0;
    for (let s = 0; s < w.length; s++) if (q[s] === 0 && w[s] !== 0) z++;
    weights.push(q);
    zeroed.push(z);
    saturated.push(sat);
    if (z) ctx.diagnostics.push(diag('W_WEIGHT_ZERO', `${z} nonzero weights of ${w.length} round to 0 with ring-buffer shift ${shift}`, {
      severity: 'warning', node: pr.name, chip: profile.id, hint: 'these synapses have no effect on the chip; rescale weights or split small and large weights into different receptors',
    }));
    if (sat) ctx.diagnostics.push(diag('W_WEIGHT_SATURATED', `${sat} of ${w.length} weights saturate the ${wf.kind === 'int' ? wf.bits : ''}-bit weight`, {
      severity: 'warning', node: pr.name, chip: profile.id,
    }));
  }
  const params = net.populations.map((p) => {
    const out: Record<string, Int32Array> = {};
    // voltages and thresholds are stored in the state format; time constants become decay
    // factors in the kernels and are kept as float64 parameters
    for (const [k, v] of Object.entries(p.params)) if (/^v_|^threshold$/.test(k)) out[k] = codes(v, sf, mode, ctx, p.name, k);
    return out;
  });
  const bias = net.populations.map((p) => (p.bias ? codes(p.bias, sf, mode, ctx, p.name, 'bias') : undefined));
  return { weights, shifts, zeroed, saturated, params, bias };
}

function codes(v: Float64Array, f: NumberFormat, mode: RoundingMode, ctx: MappingContext, node: string, field: string): Int32Array {
  const out = new Int32Array(v.length);
  const { min, max } = codeRange(f);
  const sat = roundCodes(v, f.kind === 'fixed' ? f.fracBits : 0, mode, min, max, out);
  let zero = 0;
  for (let i = 0; i < v.length; i++) if (out[i] === 0 && v[i] !== 0) zero++;
  if (sat) ctx.diagnostics.push(diag('W_PARAM_SATURATED', `${sat} values exceed the state format and saturate`, { severity: 'warning', node, field, chip: ctx.profile.id }));
  if (zero) ctx.diagnostics.push(diag('W_PARAM_ZERO', `${zero} nonzero values round to 0 in the state format`, { severity: 'warning', node, field, chip: ctx.profile.id }));
  const worst = worstRounding(field, v, out, f.kind === 'fixed' ? 2 ** -f.fracBits : 1, { min, max });
  if (worst) ctx.diagnostics.push(...roundingWarnings(node, [worst], roundingLimit(ctx.profile), ctx.profile.id));
  return out;
}
