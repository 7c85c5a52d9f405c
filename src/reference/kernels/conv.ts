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
 * Inverse of windowTable: for every in-plane input position, the (output position, tap) pairs
 * that read it, in increasing output position — CSR (ptr over positions, pairs flat).
 */
export function inverseWindow(table: Int32Array, plane: number, taps: number): { ptr: Int32Array; out: Int32Array; tap: Int32Array } {
  const ptr = new Int32Array(plane + 1);
  for (let k = 0; k < table.length; k++) if (table[k]! >= 0) ptr[table[k]! + 1]!++;
  for (let q = 0; q < plane; q++) ptr[q + 1] = ptr[q + 1]! + ptr[q]!;
  const fill = ptr.slice(0, plane);
  const out = new Int32Array(ptr[plane]!);
  const tap = new Int32Array(ptr[plane]!);
  for (let k = 0; k < table.length; k++) {
    const q = table[k]!;
    if (q < 0) continue;
    const at = fill[q]!++;
    out[at] = Math.floor(k / taps);
    tap[at] = k % taps;
  }
  return { ptr, out, tap };
}

/**
 * Conv1d / Conv2d: y[co, o] = Σ_ci Σ_taps W[co, ci, tap] · x[g·Cin/G + ci, in(o, tap)] + b[co]
 * (cross-correlation with stride, zero padding, dilation and groups; g = co / (Cout/G)).
 * Computed by scattering each nonzero input element, in increasing flat index, to the outputs
 * that read it: every output therefore receives its terms in (ci, ky, kx) order — the order of
 * the naive gather loop, with bit-identical sums — and skips the zeros of spike inputs. The bias
 * is added last. Conv1d is computed as a Conv2d of height 1.
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
  const taps = kh * kw;
  const plane = H * W;
  const outPlane = Ho * Wo;
  const inv = inverseWindow(windowTable(H, W, kh, kw, Ho, Wo, stride, padding, dilation), plane, taps);
  const { ptr, out: invOut, tap: invTap } = inv;
  const wt = Float64Array.from(node.weight.data);
  const bias = new Float64Array(Cout);
  for (let c = 0; c < Cout; c++) bias[c] = node.bias.data.length === 1 ? node.bias.data[0]! : node.bias.data[c]!;
  const coutG = Cout / node.groups;
  const size = numel(ctx.outShape);
  return {
    size,
    receptors: 1,
    spiking: false,
    vars: {},
    step(_t, x, y) {
      y.fill(0);
      for (let c = 0; c < Cin; c++) {
        const g = Math.floor(c / CinG);
        const ci = c - g * CinG;
        const xb = c * plane;
        for (let q = 0; q < plane; q++) {
          const xv = x[xb + q]!;
          if (xv === 0) continue;
          const a = ptr[q]!;
          const b = ptr[q + 1]!;
          for (let co = g * coutG; co < (g + 1) * coutG; co++) {
            const wb = (co * CinG + ci) * taps;
            const yb = co * outPlane;
            for (let k = a; k < b; k++) {
              const at = yb + invOut[k]!;
              y[at] = y[at]! + wt[wb + invTap[k]!]! * xv;
            }
          }
        }
      }
      for (let co = 0; co < Cout; co++) {
        const b = bias[co]!;
        const yb = co * outPlane;
        for (let o = 0; o < outPlane; o++) y[yb + o] = y[yb + o]! + b;
      }
    },
  };
}
