import type { ChipProfile } from './profile.js';
import type { Network, RunConfig } from './program.js';

/**
 * The weight scale K of a program (docs/semantics.md, "Weight scale"): every voltage-like
 * parameter of a neuron population (v_leak, v_threshold, v_reset, v_rest, v_init, threshold), every
 * bias and every weight into a neuron is multiplied by K before the chip's number formats see it.
 * In exact arithmetic spikes are unchanged and every voltage is K times the model's; a run divides
 * recorded v back by K, so traces are in the model's units.
 */

/** What a chip's `chooseWeightScale` hook answers. */
export interface WeightScaleChoice {
  scale: number;
  /**
   * The worst relative resolution left at that scale: the largest LSB / |value| over the smallest
   * nonzero threshold and the smallest nonzero weight into each receptor (null: nothing to resolve,
   * or a float chip).
   */
  worstResolution: number | null;
  /** One sentence: what bounded the scale. */
  why: string;
  /** A given scale that cannot work on the chip (state saturates, or values round to 0): W_WEIGHT_SCALE. */
  warning?: string;
}

/** The scale a program was compiled with, and where it came from. */
export interface WeightScaleDecision extends WeightScaleChoice {
  /** 'auto': chosen by the chip's hook; 'option': given by the user (--weight-scale K). */
  source: 'auto' | 'option';
}

/** The largest scale accepted (above it every voltage of a model in volts overflows a 32-bit state). */
export const MAX_WEIGHT_SCALE = 1e6;

/** The voltage-like parameters a scale multiplies (the ones a chip stores in its state format). */
export const VOLTAGE_PARAM = /^v_|^threshold$/;

/** Multiply voltages, biases and weights of a lowered network by k, in place (k = 1: nothing). */
export function scaleNetwork(net: Network, k: number): void {
  if (k === 1) return;
  const times = (a: Float64Array): Float64Array => a.map((x) => x * k);
  for (const p of net.populations) {
    if (p.role === 'source') continue;
    for (const name of Object.keys(p.params)) if (VOLTAGE_PARAM.test(name)) p.params[name] = times(p.params[name]!);
    if (p.bias) p.bias = times(p.bias);
  }
  for (const q of net.projections) q.weight = q.weight.map((x) => x * k) as typeof q.weight;
}

/**
 * The scale to compile with: `given` (a number: the user's override), or the chip's choice
 * ('auto'; a chip without the hook gets 1). The chip's hook also evaluates a given scale, so the
 * resolution it leaves is reported either way.
 */
export function decideWeightScale(net: Network, backend: { chooseWeightScale?(net: Network, config: RunConfig, profile: ChipProfile, given?: number): WeightScaleChoice }, config: RunConfig, profile: ChipProfile, given: number | 'auto'): WeightScaleDecision {
  const source = given === 'auto' ? 'auto' : 'option';
  const hook = backend.chooseWeightScale;
  if (!hook) return { scale: given === 'auto' ? 1 : given, worstResolution: null, why: 'the chip declares no weight-scale choice (scale 1 unless given)', source };
  const c = hook(net, config, profile, given === 'auto' ? undefined : given);
  return { ...c, scale: given === 'auto' ? c.scale : given, source };
}

/** The note line printed on stderr (and the `weightScaleNote` of JSON documents). */
export function weightScaleNote(d: WeightScaleDecision): string {
  const res = d.worstResolution === null ? '' : `; worst relative resolution ${d.worstResolution.toPrecision(2)}`;
  const how = d.source === 'auto' ? 'chosen automatically' : 'given by --weight-scale';
  const units = d.scale === 1 ? 'voltages and weights as in the model' : `voltages, biases and weights into neurons × ${d.scale} on the chip; recorded v is divided back (model units)`;
  return `weight scale ${d.scale} (${how}: ${d.why})${res}; ${units}`;
}
