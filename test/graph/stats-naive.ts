import type { FlatNode } from '../../src/graph/graph.js';
import type { FloatTensor, Shape } from '../../src/graph/tensor.js';

/**
 * Naive, independent counts for graphStats tests (unit and e2e): every conv/pool connection is
 * found by looping over every output position and every kernel tap and testing whether the tap
 * reads a real (non-padding) input element; output sizes by sliding the window until it no longer
 * fits, not by the closed formula the graph layer uses; parameter bytes by walking the node object
 * for typed arrays, not through the registry's field tables. Shares no code with src/graph.
 */

export type Counts = { dense: number; nonzero: number; stored: number };
export const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Number of window positions along one axis: slide until the last tap passes the padded end. */
export function naiveOut(size: number, k: number, s: number, p: number, d: number): number {
  let o = 0;
  while (o * s + (k - 1) * d <= size + 2 * p - 1) o++;
  return o;
}

/** N-D convolution/pool connections, counted tap by tap. weightAt(co, ci, tapIndex) → weight. */
export function naiveWindow(
  inp: Shape, cout: number, cinPerGroup: number, ks: number[], stride: number[], pad: number[], dil: number[],
  weightAt: (co: number, ci: number, tap: number) => number,
): { nonzero: number; outShape: Shape } {
  const dims = ks.length;
  const outSp = ks.map((k, a) => naiveOut(inp[a + 1]!, k, stride[a]!, pad[a]!, dil[a]!));
  const outPositions = prod(outSp);
  const taps = prod(ks);
  let nonzero = 0;
  for (let co = 0; co < cout; co++)
    for (let pos = 0; pos < outPositions; pos++) {
      // decode output position
      const o: number[] = new Array(dims);
      let r = pos;
      for (let a = dims - 1; a >= 0; a--) {
        o[a] = r % outSp[a]!;
        r = Math.floor(r / outSp[a]!);
      }
      for (let ci = 0; ci < cinPerGroup; ci++)
        for (let t = 0; t < taps; t++) {
          let rr = t;
          let inside = true;
          for (let a = dims - 1; a >= 0; a--) {
            const k = rr % ks[a]!;
            rr = Math.floor(rr / ks[a]!);
            const i = o[a]! * stride[a]! - pad[a]! + k * dil[a]!;
            if (i < 0 || i >= inp[a + 1]!) inside = false;
          }
          if (inside && weightAt(co, ci, t) !== 0) nonzero++;
        }
    }
  return { nonzero, outShape: [cout, ...outSp] };
}

/** Independent synapse count of one node, or null for nodes that are not connections. */
export function naiveSynapses(n: FlatNode, inp: Shape): Counts | null {
  switch (n.kind) {
    case 'Conv1d':
    case 'Conv2d': {
      const [cout, cpg, ...ks] = n.weight.shape as number[];
      const taps = prod(ks);
      const { nonzero, outShape } = naiveWindow(inp, cout!, cpg!, ks, n.stride, n.padding, n.dilation, (co, ci, t) => n.weight.data[(co * cpg! + ci) * taps + t]!);
      return { dense: prod(inp) * prod(outShape), nonzero, stored: n.weight.data.length };
    }
    case 'SumPool2d':
    case 'AvgPool2d': {
      // a pool is a depthwise window with all-one weights: one connection per in-bounds tap
      const c = inp[0]!;
      let nonzero = 0;
      let outShape: Shape = [];
      for (let ch = 0; ch < c; ch++) {
        const r = naiveWindow([1, inp[1]!, inp[2]!], 1, 1, n.kernel_size, n.stride, n.padding, [1, 1], () => 1);
        nonzero += r.nonzero;
        outShape = [c, r.outShape[1]!, r.outShape[2]!];
      }
      return { dense: prod(inp) * prod(outShape), nonzero, stored: 0 };
    }
    case 'Affine':
    case 'Linear': {
      const batch = prod(inp.slice(0, -1));
      let nz = 0;
      for (const w of n.weight.data) if (w !== 0) nz++;
      return { dense: batch * n.weight.data.length, nonzero: batch * nz, stored: n.weight.data.length };
    }
    case 'Scale': {
      const size = prod(inp);
      let nz = 0;
      for (let i = 0; i < size; i++) if ((n.scale.data.length === 1 ? n.scale.data[0] : n.scale.data[i]) !== 0) nz++;
      return { dense: size, nonzero: nz, stored: n.scale.data.length };
    }
    case 'SparseLinear': {
      let nz = 0;
      for (let i = 0; i < n.in_size; i++) for (let s = n.indptr[i]!; s < n.indptr[i + 1]!; s++) if (n.weight.data[s] !== 0) nz++;
      return { dense: n.in_size * n.out_size, nonzero: nz, stored: n.indices.length };
    }
    default:
      return null;
  }
}

/** Populations of spiking units: the stateful neuron models and Threshold (a stateless spiking unit). */
export const NEURON_KINDS = new Set(['I', 'IF', 'LI', 'LIF', 'CubaLI', 'CubaLIF', 'CurrentLIF', 'Threshold']);

/** Bytes of every typed array reachable from the node's own fields (tensor.data or raw arrays). */
export function naiveBytes(n: FlatNode): number {
  let bytes = 0;
  for (const [k, v] of Object.entries(n)) {
    if (k === 'metadata') continue;
    if (ArrayBuffer.isView(v)) bytes += v.byteLength;
    else if (v && typeof v === 'object' && 'data' in v && ArrayBuffer.isView((v as FloatTensor).data)) bytes += (v as FloatTensor).data.byteLength;
  }
  return bytes;
}
