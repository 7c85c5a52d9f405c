import fc from 'fast-check';
import type { Metadata, MetaValue } from '../../src/graph/spec.js';
import { numel, type FloatDType, type FloatTensor, type IndexArray, type IndexDType, type Shape } from '../../src/graph/tensor.js';

/**
 * A thin wrapper over fast-check's `gen()` value that draws the pieces a random graph needs
 * (integers, tensors, index arrays, metadata). Every value comes from fast-check, so failures
 * replay from the seed and shrink as far as `fc.gen()` allows.
 */
/** Node names that are keys of Object.prototype (or change it): a plain-object lookup by name would find them. */
export const RESERVED_NAMES = ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty', 'isPrototypeOf'] as const;

export class Draw {
  constructor(private readonly g: fc.GeneratorValue) {}

  int(min: number, max: number): number {
    return this.g(fc.integer, { min, max });
  }

  /** An unbiased integer (fast-check's integers lean to small values; choices must not). */
  uniform(min: number, max: number): number {
    return this.g(() => fc.noBias(fc.integer({ min, max })));
  }

  bool(pTrue = 0.5): boolean {
    return this.uniform(0, 999) < pTrue * 1000;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.uniform(0, items.length - 1)]!;
  }

  dtype(): FloatDType {
    return this.bool() ? 'float32' : 'float64';
  }

  /** A finite value in [min, max]; includes −0 and 0 when the range allows. */
  value(dtype: FloatDType, min: number, max: number): number {
    if (dtype === 'float32') return this.g(fc.float, { min: Math.fround(min), max: Math.fround(max), noNaN: true, noDefaultInfinity: true });
    return this.g(fc.double, { min, max, noNaN: true, noDefaultInfinity: true });
  }

  /** A tensor of `shape` with values in [min, max] (and, sometimes, special values −0 and 0). */
  tensor(shape: Shape, min = -10, max = 10, dtype: FloatDType = this.dtype()): FloatTensor {
    const n = numel(shape);
    const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const special = this.int(0, 9);
      if (special === 0 && min <= 0 && max >= 0) data[i] = this.bool() ? -0 : 0;
      else data[i] = this.value(dtype, min, max);
    }
    return dtype === 'float32' ? { dtype, shape, data: data as Float32Array } : { dtype, shape, data: data as Float64Array };
  }

  /**
   * A per-neuron parameter for a population of shape `shape`: a 1-element tensor (broadcast) or
   * one value per neuron, with the population's shape.
   */
  param(shape: Shape, min = -10, max = 10): FloatTensor {
    return this.bool() ? this.tensor(this.pick([[1], [] as number[]]), min, max) : this.tensor(shape, min, max);
  }

  /** An index array of the smallest dtype that can hold `maxValue`, or a wider one. */
  index(values: readonly number[], maxValue: number): IndexArray {
    const dtypes: IndexDType[] = ['int32', 'uint32'];
    if (maxValue < 256) dtypes.push('uint8');
    if (maxValue < 65536) dtypes.push('uint16');
    const dt = this.pick(dtypes);
    const ctor = { int32: Int32Array, uint32: Uint32Array, uint8: Uint8Array, uint16: Uint16Array }[dt];
    return ctor.from(values);
  }

  name(base: string, k: number): string {
    // names that are JavaScript object keys are names like any other (k is unique per graph, so each is used once)
    if (k < RESERVED_NAMES.length && this.bool(0.3)) return RESERVED_NAMES[k]!;
    const pre = this.pick(['', '', '', 'sub.', 'a.b.', 'ß∂-', 'layer ']);
    return `${pre}${base}${k}`;
  }

  /** Free-form metadata: strings, numbers (no NaN), booleans, lists, nested groups. */
  metadata(depth = 0): Metadata {
    const m: Metadata = {};
    const n = this.int(1, 3);
    for (let i = 0; i < n; i++) {
      const key = this.pick(['source', 'author', 'dt', 'note', 'ñame', 'layers', 'x.y', 'note 2']) + (i ? String(i) : '');
      m[key] = this.metaValue(depth);
    }
    return m;
  }

  private metaValue(depth: number): MetaValue {
    switch (this.int(0, depth < 2 ? 5 : 4)) {
      case 0: return this.g(fc.string, { maxLength: 12, unit: 'grapheme' });
      case 1: return this.g(fc.double, { noNaN: true });
      case 2: return this.bool();
      case 3: return this.g(fc.array, fc.double({ noNaN: true }), { minLength: 1, maxLength: 5 });
      case 4: return this.g(fc.array, fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 4 });
      default: return this.metadata(depth + 1);
    }
  }
}
