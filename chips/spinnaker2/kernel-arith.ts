/**
 * spinnaker2 kernel arithmetic for any declared format: fixed-point multiplies in the profile's
 * rounding modes and the saturating (or wrapping) clamp to a format, which counts what it clips.
 * The specialised loops (kernel-current-lif.ts) inline the common case instead.
 */

/** Clamps that clipped a value since the counter was last reset (one per kernel, shared by its clamps). */
export interface SatCount {
  n: number;
}

/** Fixed-point product a·b (b with `frac` fraction bits) rounded back to a's format. */
export function makeMul(mode: string, frac: number): (a: number, b: number) => number {
  const inv = 2 ** -frac;
  const half = 2 ** (frac - 1);
  const one = 2 ** frac;
  switch (mode) {
    case 'floor':
      return (a, b) => Math.floor(a * b * inv);
    case 'toward-zero':
      return (a, b) => Math.trunc(a * b * inv);
    case 'nearest-up':
      return (a, b) => Math.floor((a * b + half) * inv);
    case 'nearest-away':
      return (a, b) => {
        const p = a * b;
        return p >= 0 ? Math.floor((p + half) * inv) : -Math.floor((half - p) * inv);
      };
    case 'nearest-even':
      return (a, b) => {
        const p = a * b;
        const q = Math.floor(p * inv);
        const r = p - q * one;
        return r > half || (r === half && (q & 1) !== 0) ? q + 1 : q;
      };
    default:
      throw new Error(`unknown rounding mode '${mode}'`);
  }
}

/**
 * Saturate x to [min, max] (or wrap it into that range when `saturate` is false, as the profile
 * may say), counting every out-of-range value in sat.n.
 */
export function makeClamp(min: number, max: number, saturate: boolean, sat: SatCount): (x: number) => number {
  const range = max - min + 1;
  return saturate
    ? (x: number): number => (x > max ? (sat.n++, max) : x < min ? (sat.n++, min) : x)
    : (x: number): number => (x > max || x < min ? (sat.n++, ((((x - min) % range) + range) % range) + min) : x);
}
