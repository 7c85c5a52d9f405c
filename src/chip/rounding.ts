/**
 * Float → fixed-point code under a declared rounding mode (see arithmetic-spec.ts). The one
 * implementation the compiler (weights, voltages, biases) and the chips' main-thread code
 * (decay and gain coefficients) use; a golden model keeps its own, independent one.
 */
import type { RoundingMode } from './arithmetic-spec.js';

export interface RoundedCode {
  code: number;
  /** The rounded value lay outside [min, max] and was clamped. */
  saturated: boolean;
}

/**
 * The integer code of `x` in a format with `fracBits` fraction bits (x · 2^fracBits rounded by
 * `mode`), saturated to [min, max]. Exact: x · 2^fracBits is a power-of-two scaling, exact in a
 * double whenever the product is a normal number, and the fraction of |s| is exact too, so ties
 * (k + ½) are recognised exactly. Products too small to be normal are decided by the sign of x
 * alone (|x · 2^fracBits| < ¼). ±∞ saturate; NaN gives code 0; −0 never comes out.
 * `fracBits` may be negative (a weight stored with a ring-buffer shift above the fraction bits).
 */
export function roundToCode(x: number, fracBits: number, mode: RoundingMode, min: number, max: number): RoundedCode {
  if (!Number.isInteger(fracBits) || Math.abs(fracBits) > 1000) throw new RangeError(`fraction bits ${fracBits} out of range`);
  if (Number.isNaN(x)) return { code: 0, saturated: false };
  const s = x * 2 ** fracBits;
  let c: number;
  if (s === Infinity) c = Infinity;
  else if (s === -Infinity) c = -Infinity;
  else if (Math.abs(s) < 0.25) {
    // the exact product lies strictly between −½ and ½ (it may not even be representable)
    c = mode === 'floor' && x < 0 ? -1 : 0;
  } else {
    // round the magnitude: a − ⌊a⌋ is exact for a ≥ 0 (s − ⌊s⌋ is not for s in (−1, 0))
    const neg = s < 0;
    const a = Math.abs(s);
    const n = Math.floor(a);
    const r = a - n; // exact, in [0, 1)
    let up: boolean;
    switch (mode) {
      case 'floor': up = neg && r > 0; break;
      case 'toward-zero': up = false; break;
      case 'nearest-up': up = r > 0.5 || (r === 0.5 && !neg); break;
      case 'nearest-even': up = r > 0.5 || (r === 0.5 && n % 2 === 1); break;
      case 'nearest-away': up = r >= 0.5; break;
      default: throw new Error(`unknown rounding mode '${String(mode)}'`);
    }
    const m = up ? n + 1 : n;
    c = neg ? -m : m;
  }
  if (c > max) return { code: max, saturated: true };
  if (c < min) return { code: min, saturated: true };
  return { code: c + 0, saturated: false };
}
