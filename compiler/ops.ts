import { intakeInt } from '../src/number-intake.js';
import type { FlatNode } from '../src/graph/graph.js';
import { numel, type Shape } from '../src/graph/tensor.js';

/**
 * A stateless node as a linear operator: output element r = Σ emit(inRow, coef) + bias(r),
 * optionally delayed by delay(r) steps. Used to compose chains into one projection.
 */
export interface LinearOp {
  outRows: number;
  each(r: number, emit: (inRow: number, coef: number, delay?: number) => void): void;
  /** `each` passes per-entry delays (SparseLinear with delays). */
  emitsDelays?: boolean;
  bias?(r: number): number;
  delay?(r: number): number;
}

/**
 * Returns the operator of a composable node, or undefined for kinds that are not linear maps.
 * `delayMode` is the run's `delay` option: under `delay 1` a Delay is a stateful target, so its
 * incoming edge adds a step (docs/semantics.md §2) and it delays by k + 1.
 */
export function linearOp(node: FlatNode, inShape: Shape, outShape: Shape, dt: number, delayMode: 0 | 1 = 0): LinearOp | undefined {
  const outRows = numel(outShape);
  switch (node.kind) {
    case 'Flatten':
    case 'Output':
      return { outRows, each: (r, emit) => emit(r, 1) };
    case 'Scale': {
      const s = node.scale.data;
      return { outRows, each: (r, emit) => emit(r, s.length === 1 ? s[0]! : s[r]!) };
    }
    case 'Delay': {
      const d = node.delay.data;
      // steps are stored in 32-bit delay fields: a longer delay is refused with its true length, never wrapped
      const steps = (r: number): number => {
        const sec = d.length === 1 ? d[0]! : d[r]!;
        // the node's own steps are quoted; under delay 1 the chip stores one more (its input's step)
        return delayMode + intakeInt(Math.round(sec / dt), {
          what: `a delay of ${sec} s at dt ${dt} s =`, unit: 'steps', target: 'uint32', max: 2 ** 32 - 1 - delayMode, code: 'E_DELAY_RANGE',
          where: { node: node.name, field: 'delay', hint: 'shorten the delay or use a larger dt' },
        });
      };
      return { outRows, each: (r, emit) => emit(r, 1), delay: steps };
    }
    case 'Linear':
    case 'Affine': {
      const w = node.weight.data;
      const [nOut, nIn] = [node.weight.shape[0]!, node.weight.shape[1]!];
      const b = node.kind === 'Affine' ? node.bias.data : undefined;
      return {
        outRows,
        each: (r, emit) => {
          const batch = Math.floor(r / nOut);
          const o = r % nOut;
          for (let i = 0; i < nIn; i++) emit(batch * nIn + i, w[o * nIn + i]!);
        },
        ...(b ? { bias: (r: number) => (b.length === 1 ? b[0]! : b[r % nOut]!) } : {}),
      };
    }
    case 'SparseLinear': {
      // pre-major CSR → per output row list of (input, weight, delay); built once
      const n = node;
      const rowPtr = new Uint32Array(n.out_size + 1);
      for (let s = 0; s < n.indices.length; s++) rowPtr[n.indices[s]! + 1]!++;
      for (let o = 0; o < n.out_size; o++) rowPtr[o + 1]! += rowPtr[o]!;
      const fill = rowPtr.slice(0, n.out_size);
      const src = new Uint32Array(n.indices.length);
      const wt = new Float64Array(n.indices.length);
      const dl = n.delay && n.delay.some((d) => d !== 0) ? new Uint32Array(n.indices.length) : undefined;
      for (let i = 0; i < n.in_size; i++)
        for (let s = n.indptr[i]!; s < n.indptr[i + 1]!; s++) {
          const k = fill[n.indices[s]!]!++;
          src[k] = i;
          wt[k] = n.weight.data[s]!;
          if (dl) dl[k] = n.delay![s]!;
        }
      if (dl) return { outRows, emitsDelays: true, each: (r, emit) => { for (let k = rowPtr[r]!; k < rowPtr[r + 1]!; k++) emit(src[k]!, wt[k]!, dl[k]!); } };
      return { outRows, each: (r, emit) => { for (let k = rowPtr[r]!; k < rowPtr[r + 1]!; k++) emit(src[k]!, wt[k]!); } };
    }
    case 'Conv1d':
    case 'Conv2d': {
      const dims = node.kind === 'Conv1d' ? 1 : 2;
      const w = node.weight.data;
      const cout = node.weight.shape[0]!;
      const cinPg = node.weight.shape[1]!;
      const ks = node.weight.shape.slice(2);
      const coutPg = cout / node.groups;
      const inSp = inShape.slice(1);
      const outSp = outShape.slice(1);
      const b = node.bias.data;
      const kernel = numel(ks);
      const outPlane = numel(outSp);
      const inPlane = numel(inSp);
      return {
        outRows,
        each: (r, emit) => {
          const co = Math.floor(r / outPlane);
          let pos = r % outPlane;
          const o: number[] = new Array<number>(dims);
          for (let a = dims - 1; a >= 0; a--) {
            o[a] = pos % outSp[a]!;
            pos = Math.floor(pos / outSp[a]!);
          }
          const g = Math.floor(co / coutPg);
          for (let ci = 0; ci < cinPg; ci++) {
            const cIn = g * cinPg + ci;
            for (let t = 0; t < kernel; t++) {
              let rem = t;
              let idx = 0;
              let stride = 1;
              let ok = true;
              const tap: number[] = new Array<number>(dims);
              for (let a = dims - 1; a >= 0; a--) {
                tap[a] = rem % ks[a]!;
                rem = Math.floor(rem / ks[a]!);
              }
              for (let a = dims - 1; a >= 0; a--) {
                const i = o[a]! * node.stride[a]! - node.padding[a]! + tap[a]! * node.dilation[a]!;
                if (i < 0 || i >= inSp[a]!) {
                  ok = false;
                  break;
                }
                idx += i * stride;
                stride *= inSp[a]!;
              }
              if (!ok) continue;
              emit(cIn * inPlane + idx, w[(co * cinPg + ci) * kernel + t]!);
            }
          }
        },
        bias: (r) => (b.length === 1 ? b[0]! : b[Math.floor(r / outPlane)]!),
      };
    }
    case 'SumPool2d':
    case 'AvgPool2d': {
      const [kh, kw] = [node.kernel_size[0]!, node.kernel_size[1]!];
      const coef = node.kind === 'AvgPool2d' ? 1 / (kh * kw) : 1;
      const [H, W] = [inShape[1]!, inShape[2]!];
      const [oh, ow] = [outShape[1]!, outShape[2]!];
      return {
        outRows,
        each: (r, emit) => {
          const c = Math.floor(r / (oh * ow));
          const y = Math.floor(r / ow) % oh;
          const x = r % ow;
          for (let dy = 0; dy < kh; dy++)
            for (let dx = 0; dx < kw; dx++) {
              const iy = y * node.stride[0]! - node.padding[0]! + dy;
              const ix = x * node.stride[1]! - node.padding[1]! + dx;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W) emit((c * H + iy) * W + ix, coef);
            }
        },
      };
    }
    default:
      return undefined;
  }
}
