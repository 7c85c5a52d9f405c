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
  checkFracBits(fracBits);
  if (Number.isNaN(x)) return { code: 0, saturated: false };
  const c = roundScaled(x, x * 2 ** fracBits, mode);
  if (c > max) return { code: max, saturated: true };
  if (c < min) return { code: min, saturated: true };
  return { code: c + 0, saturated: false };
}

/**
 * roundToCode over a whole array, into `out` (same length), without allocating: the compiler's
 * per-synapse path. Returns how many values saturated.
 */
export function roundCodes(values: ArrayLike<number>, fracBits: number, mode: RoundingMode, min: number, max: number, out: { [i: number]: number }): number {
  checkFracBits(fracBits);
  const scale = 2 ** fracBits;
  let saturated = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) {
      out[i] = 0;
      continue;
    }
    let c = roundScaled(x, x * scale, mode);
    if (c > max) {
      c = max;
      saturated++;
    } else if (c < min) {
      c = min;
      saturated++;
    }
    out[i] = c + 0;
  }
  return saturated;
}

function checkFracBits(fracBits: number): void {
  if (!Number.isInteger(fracBits) || Math.abs(fracBits) > 1000) throw new RangeError(`fraction bits ${fracBits} out of range`);
}

/** x · 2^fracBits (= s, computed by the caller) rounded by `mode`, not yet clamped (may be ±∞). */
function roundScaled(x: number, s: number, mode: RoundingMode): number {
  if (s === Infinity || s === -Infinity) return s;
  if (Math.abs(s) < 0.25) {
    // the exact product lies strictly between −½ and ½ (it may not even be representable)
    return mode === 'floor' && x < 0 ? -1 : 0;
  }
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
  return neg ? -m : m;
}
