import { diag, type Diagnostic } from '../../errors.js';
import type { Metadata, SynapseCount } from '../spec.js';
import { formatShape, numel, type FloatTensor, type Shape } from '../tensor.js';
import { finite, ints, windowOut } from './checks.js';

/** Fields shared by Conv1d and Conv2d (NIR names). Spatial lists have one entry per spatial axis. */
export interface ConvFields {
  name: string;
  metadata?: Metadata;
  /** [C_out, C_in / groups, k…] */
  weight: FloatTensor;
  /** [C_out] (or 1 value) */
  bias: FloatTensor;
  stride: number[];
  padding: number[];
  dilation: number[];
  groups: number;
  /** Spatial input shape as written by the exporter (NIR ≥ 0.2); optional. */
  input_shape?: number[];
}

export function convValidate(n: ConvFields, dims: number): Diagnostic[] {
  const d = [...finite(n.name, 'weight', n.weight), ...finite(n.name, 'bias', n.bias)];
  if (d.length) return d;
  if (n.weight.shape.length !== dims + 2)
    return [diag('E_BAD_SHAPE', `weight must be ${dims + 2}-D [C_out, C_in/groups, k…], got ${formatShape(n.weight.shape)}`, { node: n.name, field: 'weight' })];
  d.push(...ints(n.name, 'stride', n.stride, dims, 1), ...ints(n.name, 'padding', n.padding, dims, 0), ...ints(n.name, 'dilation', n.dilation, dims, 1));
  if (!Number.isInteger(n.groups) || n.groups < 1 || n.weight.shape[0]! % n.groups !== 0)
    d.push(diag('E_BAD_FIELD', `groups ${n.groups} must be a positive divisor of C_out ${n.weight.shape[0]}`, { node: n.name, field: 'groups' }));
  if (n.bias.data.length !== 1 && n.bias.data.length !== n.weight.shape[0])
    d.push(diag('E_SHAPE_MISMATCH', `bias has ${n.bias.data.length} values for ${n.weight.shape[0]} output channels`, { node: n.name, field: 'bias' }));
  if (n.input_shape) d.push(...ints(n.name, 'input_shape', n.input_shape, dims, 1));
  return d;
}

export function convOutput(n: ConvFields, dims: number, inp: Shape | undefined): Shape | Diagnostic[] {
  if (inp === undefined) return [diag('E_UNCONNECTED', 'has no input', { node: n.name })];
  if (inp.length !== dims + 1)
    return [diag('E_SHAPE_MISMATCH', `expects a [C, ${dims === 1 ? 'L' : 'H, W'}] input, receives ${formatShape(inp)}`, { node: n.name })];
  const cin = n.weight.shape[1]! * n.groups;
  if (inp[0] !== cin)
    return [diag('E_SHAPE_MISMATCH', `weight ${formatShape(n.weight.shape)} with groups=${n.groups} expects ${cin} input channels, receives ${formatShape(inp)}`, { node: n.name, field: 'weight' })];
  if (n.input_shape && n.input_shape.some((s, i) => s !== inp[i + 1]))
    return [diag('E_SHAPE_MISMATCH', `declared input_shape ${formatShape(n.input_shape)} but receives ${formatShape(inp)}`, { node: n.name, field: 'input_shape' })];
  const out: Shape = [n.weight.shape[0]!];
  for (let a = 0; a < dims; a++) {
    const o = windowOut(inp[a + 1]!, n.weight.shape[a + 2]!, n.stride[a]!, n.padding[a]!, n.dilation[a]!);
    if (o < 1) return [diag('E_SHAPE_MISMATCH', `kernel does not fit input ${formatShape(inp)} along axis ${a + 1}`, { node: n.name, field: 'weight' })];
    out.push(o);
  }
  return out;
}

/**
 * validTaps[k] = number of output positions along one axis for which kernel tap k reads an
 * in-bounds (non-padding) input element.
 */
export function validTaps(size: number, kernel: number, stride: number, pad: number, dilation: number): number[] {
  const out = windowOut(size, kernel, stride, pad, dilation);
  const taps = new Array<number>(kernel).fill(0);
  for (let k = 0; k < kernel; k++)
    for (let o = 0; o < out; o++) {
      const i = o * stride - pad + k * dilation;
      if (i >= 0 && i < size) taps[k]!++;
    }
  return taps;
}

/** Exact synapse counts of a convolution: padding taps are not synapses. */
export function convSynapses(n: ConvFields, dims: number, inp: Shape): SynapseCount {
  const outShape = convOutput(n, dims, inp) as Shape;
  const [cout, cinPerGroup] = [n.weight.shape[0]!, n.weight.shape[1]!];
  const ks = n.weight.shape.slice(2);
  const taps = ks.map((k, a) => validTaps(inp[a + 1]!, k, n.stride[a]!, n.padding[a]!, n.dilation[a]!));
  const kernelSize = numel(ks);
  // connections per kernel position = product over axes of valid taps.
  const perTap = new Float64Array(kernelSize);
  for (let t = 0; t < kernelSize; t++) {
    let rem = t;
    let prod = 1;
    for (let a = dims - 1; a >= 0; a--) {
      const k = rem % ks[a]!;
      rem = Math.floor(rem / ks[a]!);
      prod *= taps[a]![k]!;
    }
    perTap[t] = prod;
  }
  let nonzero = 0;
  for (let co = 0; co < cout; co++)
    for (let ci = 0; ci < cinPerGroup; ci++)
      for (let t = 0; t < kernelSize; t++)
        if (n.weight.data[(co * cinPerGroup + ci) * kernelSize + t] !== 0) nonzero += perTap[t]!;
  return { dense: numel(inp) * numel(outShape), nonzero, stored: n.weight.data.length };
}
