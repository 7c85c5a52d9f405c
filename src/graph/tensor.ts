/** Typed arrays that keep the dtype the model file gave them. */
export type FloatDType = 'float32' | 'float64';
export type IndexDType = 'int32' | 'uint32' | 'uint8' | 'uint16';

export type FloatArray = Float32Array | Float64Array;
export type IndexArray = Int32Array | Uint32Array | Uint8Array | Uint16Array;

export type Shape = number[];

/** A float parameter array with its shape (C order). */
export type FloatTensor =
  | { dtype: 'float32'; shape: Shape; data: Float32Array }
  | { dtype: 'float64'; shape: Shape; data: Float64Array };

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function f32(data: ArrayLike<number>, shape: Shape = [data.length]): FloatTensor {
  return { dtype: 'float32', shape, data: Float32Array.from(data) };
}

export function f64(data: ArrayLike<number>, shape: Shape = [data.length]): FloatTensor {
  return { dtype: 'float64', shape, data: Float64Array.from(data) };
}

/** A tensor of `shape` filled with `value`, in the given dtype. */
export function filled(shape: Shape, value: number, dtype: FloatDType = 'float64'): FloatTensor {
  const n = numel(shape);
  return dtype === 'float32'
    ? { dtype, shape, data: new Float32Array(n).fill(value) }
    : { dtype, shape, data: new Float64Array(n).fill(value) };
}

export function dtypeOf(a: FloatArray): FloatDType {
  return a instanceof Float32Array ? 'float32' : 'float64';
}

export function tensorFrom(data: FloatArray, shape: Shape): FloatTensor {
  return data instanceof Float32Array
    ? { dtype: 'float32', shape, data }
    : { dtype: 'float64', shape, data };
}

export function indexDTypeOf(a: IndexArray): IndexDType {
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint32Array) return 'uint32';
  if (a instanceof Uint16Array) return 'uint16';
  return 'uint8';
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Broadcast a per-neuron parameter to `n` values: a tensor of n elements is used as is,
 * a tensor of 1 element is repeated. Returns a Float64Array view or copy.
 */
export function perNeuron(t: FloatTensor, n: number): Float64Array {
  if (t.data.length === n) return t.data instanceof Float64Array ? t.data : Float64Array.from(t.data);
  if (t.data.length === 1) return new Float64Array(n).fill(t.data[0]!);
  throw new RangeError(`parameter of ${t.data.length} values cannot broadcast to ${n} neurons`);
}

export function formatShape(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}
