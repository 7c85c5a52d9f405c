import { diag, type Diagnostic } from '../../errors.js';
import type { Metadata, SynapseCount } from '../spec.js';
import { formatShape, numel, type Shape } from '../tensor.js';
import { ints, windowOut } from './checks.js';
import { validTaps } from './conv.js';

/** Fields shared by SumPool2d and AvgPool2d. */
export interface PoolFields {
  name: string;
  metadata?: Metadata;
  kernel_size: number[];
  stride: number[];
  padding: number[];
}

export function poolValidate(n: PoolFields): Diagnostic[] {
  return [...ints(n.name, 'kernel_size', n.kernel_size, 2, 1), ...ints(n.name, 'stride', n.stride, 2, 1), ...ints(n.name, 'padding', n.padding, 2, 0)];
}

export function poolOutput(n: PoolFields, inp: Shape | undefined): Shape | Diagnostic[] {
  if (inp === undefined) return [diag('E_UNCONNECTED', 'has no input', { node: n.name })];
  if (inp.length !== 3) return [diag('E_SHAPE_MISMATCH', `expects a [C, H, W] input, receives ${formatShape(inp)}`, { node: n.name })];
  const h = windowOut(inp[1]!, n.kernel_size[0]!, n.stride[0]!, n.padding[0]!);
  const w = windowOut(inp[2]!, n.kernel_size[1]!, n.stride[1]!, n.padding[1]!);
  if (h < 1 || w < 1) return [diag('E_SHAPE_MISMATCH', `window ${formatShape(n.kernel_size)} does not fit input ${formatShape(inp)}`, { node: n.name, field: 'kernel_size' })];
  return [inp[0]!, h, w];
}

/** Every in-bounds tap of every window is one connection; pools store no weights. */
export function poolSynapses(n: PoolFields, inp: Shape): SynapseCount {
  const out = poolOutput(n, inp) as Shape;
  const ty = validTaps(inp[1]!, n.kernel_size[0]!, n.stride[0]!, n.padding[0]!, 1).reduce((a, b) => a + b, 0);
  const tx = validTaps(inp[2]!, n.kernel_size[1]!, n.stride[1]!, n.padding[1]!, 1).reduce((a, b) => a + b, 0);
  return { dense: numel(inp) * numel(out), nonzero: inp[0]! * ty * tx, stored: 0 };
}
