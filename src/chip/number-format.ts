/**
 * Number formats of a chip (data, not code): a profile names the format of each stored quantity
 * (neuron state, weights, delays) and the compiler and golden models quantize to it.
 */
import type { RoundingMode } from './arithmetic-spec.js';
import { roundToCode } from './rounding.js';

/** Two's-complement (signed) or unsigned fixed point: value = integer · 2^−fracBits. */
export interface FixedFormat {
  kind: 'fixed';
  signed: boolean;
  /** Integer bits, sign excluded (s16.15 → 16). */
  intBits: number;
  fracBits: number;
}

/** A plain unsigned integer field of `bits` bits (delays, indices). */
export interface IntFormat {
  kind: 'int';
  signed: boolean;
  bits: number;
}

export type NumberFormat = FixedFormat | IntFormat;

export function totalBits(f: NumberFormat): number {
  return f.kind === 'fixed' ? f.intBits + f.fracBits + (f.signed ? 1 : 0) : f.bits;
}

/** Smallest and largest representable integer codes. */
export function codeRange(f: NumberFormat): { min: number; max: number } {
  const bits = totalBits(f);
  return f.signed ? { min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 } : { min: 0, max: 2 ** bits - 1 };
}

/** Result of quantizing one value: the integer code and what happened to it. */
export interface Quantized {
  code: number;
  saturated: boolean;
  /** The value was nonzero and became 0. */
  zeroed: boolean;
}

/**
 * Round with saturation (roundToCode); `scaleExp` is an extra 2^scaleExp unit, `mode` the declared
 * rounding (default: to nearest, ties away from zero).
 */
export function quantize(value: number, f: NumberFormat, scaleExp = 0, mode: RoundingMode = 'nearest-away'): Quantized {
  const frac = f.kind === 'fixed' ? f.fracBits : 0;
  const { min, max } = codeRange(f);
  const { code, saturated } = roundToCode(value, frac - scaleExp, mode, min, max);
  return { code, saturated, zeroed: code === 0 && value !== 0 };
}

/** The value an integer code stands for. */
export function dequantize(code: number, f: NumberFormat, scaleExp = 0): number {
  const frac = f.kind === 'fixed' ? f.fracBits : 0;
  return code * 2 ** (scaleExp - frac);
}

export function formatName(f: NumberFormat): string {
  return f.kind === 'fixed' ? `${f.signed ? 's' : 'u'}${f.intBits}.${f.fracBits}` : `${f.signed ? 'i' : 'u'}${f.bits}`;
}
