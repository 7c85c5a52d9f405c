import type { FlatNode, NodeKind } from './graph-types.js';
import type { PrimitiveSpec } from './spec.js';
import { affine } from './nodes/affine.js';
import { avgPool2d } from './nodes/avg-pool2d.js';
import { conv1d } from './nodes/conv1d.js';
import { conv2d } from './nodes/conv2d.js';
import { cubaLI } from './nodes/cuba-li.js';
import { cubaLIF } from './nodes/cuba-lif.js';
import { currentLIF } from './nodes/current-lif.js';
import { delay } from './nodes/delay.js';
import { flatten } from './nodes/flatten.js';
import { i } from './nodes/i.js';
import { ifNeuron } from './nodes/if.js';
import { input } from './nodes/input.js';
import { li } from './nodes/li.js';
import { lif } from './nodes/lif.js';
import { linear } from './nodes/linear.js';
import { output } from './nodes/output.js';
import { scale } from './nodes/scale.js';
import { sparseLinear } from './nodes/sparse-linear.js';
import { spikeSource } from './nodes/spike-source.js';
import { sumPool2d } from './nodes/sum-pool2d.js';
import { threshold } from './nodes/threshold.js';

export type FlatKind = FlatNode['kind'];
type SpecTable = { [K in FlatKind]: PrimitiveSpec<Extract<FlatNode, { kind: K }>> };

/** Every primitive kind except NIRGraph (which loaders flatten away), kind → spec. */
export const PRIMITIVES: SpecTable = {
  Input: input,
  Output: output,
  Affine: affine,
  Linear: linear,
  Scale: scale,
  Conv1d: conv1d,
  Conv2d: conv2d,
  SumPool2d: sumPool2d,
  AvgPool2d: avgPool2d,
  Flatten: flatten,
  Delay: delay,
  Threshold: threshold,
  I: i,
  IF: ifNeuron,
  LI: li,
  LIF: lif,
  CubaLI: cubaLI,
  CubaLIF: cubaLIF,
  SparseLinear: sparseLinear,
  SpikeSource: spikeSource,
  CurrentLIF: currentLIF,
};

/** The 19 kinds NIR defines (NIRGraph included). */
export const NIR_KINDS: readonly NodeKind[] = [
  'Input', 'Output', 'NIRGraph', 'Affine', 'Linear', 'Scale', 'Conv1d', 'Conv2d', 'SumPool2d', 'AvgPool2d',
  'Flatten', 'Delay', 'Threshold', 'I', 'IF', 'LI', 'LIF', 'CubaLI', 'CubaLIF',
];

/** neuromesh's own kinds (not in NIR; stored in .nmg files only). */
export const OWN_KINDS: readonly NodeKind[] = ['SparseLinear', 'SpikeSource', 'CurrentLIF'];

export function isFlatKind(kind: string): kind is FlatKind {
  return Object.prototype.hasOwnProperty.call(PRIMITIVES, kind);
}

/** The spec of a node, typed loosely for generic code (validation, codecs). */
export function specOf(node: FlatNode): PrimitiveSpec<FlatNode> {
  return PRIMITIVES[node.kind] as unknown as PrimitiveSpec<FlatNode>;
}
