import type { AvgPool2dNode, SumPool2dNode } from '../../graph/graph.js';
import { numel } from '../../graph/tensor.js';
import type { Kernel, KernelContext } from '../kernel.js';
import { windowTable } from './conv.js';

/**
 * SumPool2d: y[c, o] = Σ over the window (zero padding) of x[c, ·];
 * AvgPool2d: the same sum divided by k₀·k₁ (padding counted, PyTorch's count_include_pad).
 */
export function poolKernel(node: SumPool2dNode | AvgPool2dNode, ctx: KernelContext): Kernel {
  const [C, H, W] = ctx.inShape as [number, number, number];
  const [, Ho, Wo] = ctx.outShape as [number, number, number];
  const [kh, kw] = node.kernel_size as [number, number];
  const table = windowTable(H, W, kh, kw, Ho, Wo, node.stride, node.padding, [1, 1]);
  const taps = kh * kw;
  const avg = node.kind === 'AvgPool2d';
  const plane = H * W;
  const outPlane = Ho * Wo;
  return {
    size: numel(ctx.outShape),
    receptors: 1,
    spiking: false,
    vars: {},
    step(_t, x, y) {
      for (let c = 0; c < C; c++) {
        const xb = c * plane;
        for (let o = 0; o < outPlane; o++) {
          let s = 0;
          const tb = o * taps;
          for (let t = 0; t < taps; t++) {
            const idx = table[tb + t]!;
            if (idx >= 0) s += x[xb + idx]!;
          }
          y[c * outPlane + o] = avg ? s / taps : s;
        }
      }
    },
  };
}
