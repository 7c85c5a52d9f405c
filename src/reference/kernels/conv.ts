import type { Conv1dNode, Conv2dNode } from '../../graph/graph.js';
import { numel } from '../../graph/tensor.js';
import type { Kernel, KernelContext } from '../kernel.js';

/**
 * Gather table of a 2-D sliding window: for output position o and kernel tap t, the flat
 * in-plane input index, or −1 where the tap reads zero padding.
 */
export function windowTable(
  H: number, W: number, kh: number, kw: number, Ho: number, Wo: number,
  stride: readonly number[], padding: readonly number[], dilation: readonly number[],
): Int32Array {
  const taps = kh * kw;
  const table = new Int32Array(Ho * Wo * taps);
  for (let oy = 0; oy < Ho; oy++)
    for (let ox = 0; ox < Wo; ox++)
      for (let ky = 0; ky < kh; ky++)
        for (let kx = 0; kx < kw; kx++) {
          const iy = oy * stride[0]! - padding[0]! + ky * dilation[0]!;
          const ix = ox * stride[1]! - padding[1]! + kx * dilation[1]!;
          table[((oy * Wo + ox) * kh + ky) * kw + kx] = iy >= 0 && iy < H && ix >= 0 && ix < W ? iy * W + ix : -1;
        }
  return table;
}

/**
 * Conv1d / Conv2d: y[co, o] = Σ_ci Σ_taps W[co, ci, tap] · x[g·Cin/G + ci, in(o, tap)] + b[co]
 * (cross-correlation with stride, zero padding, dilation and groups; g = co / (Cout/G)).
 * The sum runs over ci, then the kernel taps in C order; the bias is added last.
 * Conv1d is computed as a Conv2d of height 1.
 */
export function convKernel(node: Conv1dNode | Conv2dNode, ctx: KernelContext): Kernel {
  const inShape = ctx.inShape!;
  const two = node.kind === 'Conv2d';
  const [Cin, H, W] = two ? [inShape[0]!, inShape[1]!, inShape[2]!] : [inShape[0]!, 1, inShape[1]!];
  const ws = node.weight.shape;
  const [Cout, CinG, kh, kw] = two ? [ws[0]!, ws[1]!, ws[2]!, ws[3]!] : [ws[0]!, ws[1]!, 1, ws[2]!];
  const [Ho, Wo] = two ? [ctx.outShape[1]!, ctx.outShape[2]!] : [1, ctx.outShape[1]!];
  const stride = two ? node.stride : [1, node.stride[0]!];
  const padding = two ? node.padding : [0, node.padding[0]!];
  const dilation = two ? node.dilation : [1, node.dilation[0]!];
  const table = windowTable(H, W, kh, kw, Ho, Wo, stride, padding, dilation);
  const wt = Float64Array.from(node.weight.data);
  const bias = new Float64Array(Cout);
  for (let c = 0; c < Cout; c++) bias[c] = node.bias.data.length === 1 ? node.bias.data[0]! : node.bias.data[c]!;
  const taps = kh * kw;
  const plane = H * W;
  const outPlane = Ho * Wo;
  const coutG = Cout / node.groups;
  void Cin;
  return {
    size: numel(ctx.outShape),
    receptors: 1,
    spiking: false,
    vars: {},
    step(_t, x, y) {
      for (let co = 0; co < Cout; co++) {
        const cBase = Math.floor(co / coutG) * CinG;
        for (let o = 0; o < outPlane; o++) {
          let s = 0;
          const tb = o * taps;
          for (let ci = 0; ci < CinG; ci++) {
            const xb = (cBase + ci) * plane;
            const wb = (co * CinG + ci) * taps;
            for (let t = 0; t < taps; t++) {
              const idx = table[tb + t]!;
              if (idx >= 0) {
                const xv = x[xb + idx]!;
                if (xv !== 0) s += wt[wb + t]! * xv;
              }
            }
          }
          y[co * outPlane + o] = s + bias[co]!;
        }
      }
    },
  };
}
