/**
 * Parameters that the chip's formats hold only approximately: the worst relative rounding error of
 * every parameter code, and a warning (compile, run) or an invariant violation (check --invariants)
 * above the profile's `limits.maxParameterRoundingError` (default 1 %).
 */
import type { ChipProfile } from '../../../src/chip/profile.js';
import { diag, type Diagnostic } from '../../../src/errors.js';

/** What each coefficient code stands for, for the rounding warnings. */
export const COEFFICIENT_MEANING: ReadonlyMap<string, string> = new Map([
  ['a', 'membrane decay'], ['g', 'input gain'], ['as', 'synaptic decay'], ['gs', 'synaptic gain'], ['c', 'receptor → membrane gain'], ['ar', 'receptor decay'],
]);

/** The worst relative rounding error of one coefficient code: |represented − value| / |value|. */
export interface RoundingError {
  code: string;
  rel: number;
  /** Index into the code's array (neuron, or receptor · n + neuron for c, receptor for ar). */
  index: number;
  value: number;
  represented: number;
}

export const DEFAULT_MAX_PARAMETER_ROUNDING = 0.01;

export function roundingLimit(profile: ChipProfile): number {
  return profile.limits.maxParameterRoundingError?.value ?? DEFAULT_MAX_PARAMETER_ROUNDING;
}

/**
 * The worst relative error of one array of values against its codes (LSB `lsb`); undefined when
 * every value is 0. Codes at the ends of `range` saturated and codes of 0 lost their value: both
 * have their own warnings (W_*_SATURATED, W_PARAM_ZERO) and are left out here.
 */
export function worstRounding(name: string, values: ArrayLike<number>, codes: ArrayLike<number>, lsb: number, range?: { min: number; max: number }): RoundingError | undefined {
  let worst: RoundingError | undefined;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    const c = codes[k]!;
    if (v === 0 || c === 0 || (range && (c <= range.min || c >= range.max))) continue;
    const rel = Math.abs(c * lsb - v) / Math.abs(v);
    if (!worst || rel > worst.rel) worst = { code: name, rel, index: k, value: v, represented: c * lsb };
  }
  return worst;
}

const pct = (x: number): string => `${(100 * x).toPrecision(3)} %`;

/** One line per parameter code above the limit. */
export function describeRounding(e: RoundingError, limit: number): string {
  const meaning = COEFFICIENT_MEANING.get(e.code);
  const sign = e.represented >= e.value ? '+' : '−';
  return `parameter ${e.code}${meaning ? ` (${meaning})` : ''} ${e.value.toPrecision(4)} is held as ${e.represented.toPrecision(4)} (${sign}${pct(e.rel)}, element ${e.index}), above the ${pct(limit)} limit`;
}

export function roundingWarnings(node: string, errors: readonly RoundingError[], limit: number, chip: string): Diagnostic[] {
  return errors.filter((e) => e.rel > limit).map((e) =>
    diag('W_PARAM_ROUNDING', describeRounding(e, limit), {
      severity: 'warning', node, field: e.code, chip,
      hint: 'the chip computes with this value: change dt or the time constants, rescale with --weight-scale, or raise limits.maxParameterRoundingError in the profile',
    }));
}
