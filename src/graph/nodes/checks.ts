import { diag, type Diagnostic } from '../../errors.js';
import { formatShape, numel, sameShape, type FloatTensor, type Shape } from '../tensor.js';

/** Largest element count we accept for one parameter array or one activation (refused before allocating). */
export const MAX_ELEMENTS = 2 ** 31 - 1;
export const MAX_DIM = 2 ** 30;

export function finite(node: string, field: string, t: FloatTensor | undefined): Diagnostic[] {
  if (!t) return [];
  const bad = shapeProblem(t.shape);
  if (bad) return [diag('E_BAD_SHAPE', bad, { node, field })];
  if (numel(t.shape) !== t.data.length)
    return [diag('E_BAD_SHAPE', `shape ${formatShape(t.shape)} holds ${numel(t.shape)} values but ${t.data.length} were given`, { node, field })];
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i]!;
    if (!Number.isFinite(v))
      return [diag('E_NOT_FINITE', `value ${v} at flat index ${i} is not finite`, { node, field, hint: 'NaN and ±Inf parameters are refused' })];
  }
  return [];
}

export function positive(node: string, field: string, t: FloatTensor | undefined): Diagnostic[] {
  if (!t) return [];
  const f = finite(node, field, t);
  if (f.length) return f;
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i]!;
    if (!(v > 0))
      return [diag('E_NON_POSITIVE', `time constant ${v} at flat index ${i} must be > 0`, { node, field, hint: 'time constants are in seconds and strictly positive' })];
  }
  return [];
}

export function nonNegative(node: string, field: string, t: FloatTensor | undefined): Diagnostic[] {
  if (!t) return [];
  const f = finite(node, field, t);
  if (f.length) return f;
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i]!;
    if (v < 0) return [diag('E_NEGATIVE', `value ${v} at flat index ${i} must be ≥ 0`, { node, field })];
  }
  return [];
}

/** tau_syn: seconds ≥ 0, where 0 is a delta synapse (docs/semantics.md §2). */
export function synapticTau(node: string, t: FloatTensor): Diagnostic[] {
  return nonNegative(node, 'tau_syn', t).map((d) => (d.code === 'E_NEGATIVE' ? { ...d, hint: 'tau_syn is in seconds; 0 makes a delta synapse (the input jumps v)' } : d));
}

/** Returns a message if a shape is not a list of positive integers of sane size. */
export function shapeProblem(shape: readonly number[]): string | undefined {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) return `shape ${formatShape(shape)} has a dimension that is not a non-negative integer`;
    if (d > MAX_DIM) return `shape ${formatShape(shape)} has an absurd dimension ${d}`;
  }
  if (numel(shape) > MAX_ELEMENTS) return `shape ${formatShape(shape)} has ${numel(shape)} elements, more than ${MAX_ELEMENTS}`;
  return undefined;
}

export function positiveShape(node: string, field: string, shape: readonly number[]): Diagnostic[] {
  const bad = shapeProblem(shape);
  if (bad) return [diag('E_BAD_SHAPE', bad, { node, field })];
  if (shape.some((d) => d === 0)) return [diag('E_ZERO_SIZE', `shape ${formatShape(shape)} has a zero dimension`, { node, field, hint: 'every population and layer needs at least one element' })];
  return [];
}

export function ints(node: string, field: string, v: readonly number[], len: number | undefined, min: number): Diagnostic[] {
  if (len !== undefined && v.length !== len)
    return [diag('E_BAD_FIELD', `expected ${len} integers, got ${v.length}`, { node, field })];
  for (const x of v) {
    if (!Number.isInteger(x) || x < min || x > MAX_DIM)
      return [diag('E_BAD_FIELD', `value ${x} must be an integer ≥ ${min}`, { node, field })];
  }
  return [];
}

/**
 * Shape of a neuron population from its per-neuron parameters: all non-scalar parameters must
 * share one shape; scalars (1 element) broadcast. Returns undefined when every parameter is scalar.
 */
export function paramShape(node: string, params: Record<string, FloatTensor | undefined>): Shape | Diagnostic[] {
  let shape: Shape | undefined;
  let from = '';
  for (const [field, t] of Object.entries(params)) {
    if (!t || t.data.length === 1) continue;
    if (!shape) {
      shape = t.shape;
      from = field;
    } else if (!sameShape(shape, t.shape) && numel(shape) !== numel(t.shape)) {
      return [diag('E_SHAPE_MISMATCH', `shape ${formatShape(t.shape)} differs from '${from}' ${formatShape(shape)}`, { node, field, hint: 'per-neuron parameters must all have the population shape' })];
    }
  }
  return shape ?? [];
}

/** Neuron shape: parameters' shape if they have one, else the input's; the input must match it. */
export function neuronShape(node: string, params: Record<string, FloatTensor | undefined>, input: Shape | undefined): Shape | Diagnostic[] {
  const ps = paramShape(node, params);
  if (isDiagnostics(ps)) return ps;
  if (input === undefined) return ps.length ? ps : [1];
  if (ps.length === 0) return input;
  if (numel(ps) !== numel(input))
    return [diag('E_SHAPE_MISMATCH', `input of shape ${formatShape(input)} (${numel(input)} values) does not fit ${numel(ps)} neurons of shape ${formatShape(ps)}`, { node, hint: 'the layer feeding this population has a different size' })];
  return ps;
}

export function isDiagnostics(r: Shape | Diagnostic[]): r is Diagnostic[] {
  return r.length > 0 && typeof r[0] !== 'number';
}

/** Output length of a sliding window (conv/pool) along one axis; < 1 means the window does not fit. */
export function windowOut(size: number, kernel: number, stride: number, pad: number, dilation = 1): number {
  return Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}
