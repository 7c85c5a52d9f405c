/**
 * The arithmetic a digital chip declares as data (profile section `arithmetic`): which number
 * format holds what, how every multiply rounds, where results saturate and in which order
 * synaptic events are applied. A chip's kernels and its golden model both obey it; neither
 * hard-codes a rounding or a width.
 *
 * Rounding modes of a fixed-point multiply p = a·b shifted right by f bits:
 *  - `floor`: ⌊p / 2^f⌋ (arithmetic shift)
 *  - `toward-zero`: truncation
 *  - `nearest-up`: ⌊p / 2^f + ½⌋ (ties toward +∞, ARM SMMULR-style)
 *  - `nearest-even`: ties to even
 *  - `nearest-away`: ties away from zero (used for turning float parameters into codes)
 */
export type RoundingMode = 'floor' | 'toward-zero' | 'nearest-up' | 'nearest-even' | 'nearest-away';
export const ROUNDING_MODES: readonly RoundingMode[] = ['floor', 'toward-zero', 'nearest-up', 'nearest-even', 'nearest-away'];

/** The JSON shape of the `arithmetic` section. */
export interface ArithmeticSpec {
  source?: string;
  derived?: string;
  assumed?: string;
  /** Names of entries in `formats`. */
  state: string;
  weight: string;
  coefficient: string;
  ringBuffer: string;
  /** How float parameters (voltages, coefficients, weights) become codes. */
  parameterRounding: RoundingMode;
  /** Rounding of each named multiply: `decay` (state × decay factor), `input` (input × gain). */
  multiply: { decay: RoundingMode; input: RoundingMode };
  /** Where results saturate instead of wrapping: 'ringBuffer', 'state'. */
  saturate: string[];
  /** The order synaptic events are applied in (prose; it matters only when a sum saturates). */
  eventOrder: string;
  input?: string;
  updates?: string;
}
