import type { FlatNode } from '../../graph/graph.js';
import type { KernelContext, KernelResult } from '../kernel.js';
import { convKernel } from './conv.js';
import { currentLIFKernel } from './current-lif.js';
import { delayKernel } from './delay.js';
import { identityKernel, scaleKernel, thresholdKernel } from './elementwise.js';
import { matrixKernel } from './matrix.js';
import { cubaKernel, integratorKernel, leakyKernel } from './neurons.js';
import { poolKernel } from './pool.js';
import { sparseLinearKernel } from './sparse-linear.js';
import { inputKernel, spikeSourceKernel } from './sources.js';

type Factory<K extends FlatNode['kind']> = (node: Extract<FlatNode, { kind: K }>, ctx: KernelContext) => KernelResult;

/** Kind → kernel factory: every flat kind has one (a table, not an if-chain). */
export const KERNELS: { [K in FlatNode['kind']]: Factory<K> } = {
  Input: inputKernel,
  Output: identityKernel,
  Affine: matrixKernel,
  Linear: matrixKernel,
  Scale: scaleKernel,
  Conv1d: convKernel,
  Conv2d: convKernel,
  SumPool2d: poolKernel,
  AvgPool2d: poolKernel,
  Flatten: identityKernel,
  Delay: delayKernel,
  Threshold: thresholdKernel,
  I: integratorKernel,
  IF: integratorKernel,
  LI: leakyKernel,
  LIF: leakyKernel,
  CubaLI: cubaKernel,
  CubaLIF: cubaKernel,
  SparseLinear: sparseLinearKernel,
  SpikeSource: spikeSourceKernel,
  CurrentLIF: currentLIFKernel,
};

export function makeKernel(node: FlatNode, ctx: KernelContext): KernelResult {
  return (KERNELS[node.kind] as Factory<FlatNode['kind']>)(node as never, ctx);
}
