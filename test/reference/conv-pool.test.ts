import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlatNode } from '../../src/graph/graph.js';
import { numel } from '../../src/graph/tensor.js';
import { windowOut } from '../../src/graph/nodes/checks.js';
import { chain, dense, run, t, trace } from './helpers.js';

/**
 * Convolution and pooling against naive loops written straight from the formulas:
 *   conv: y[co, oy, ox] = b[co] + Σ_ci Σ_ky Σ_kx W[co, ci, ky, kx] · x[g·Cin/G + ci, oy·s0 − p0 + ky·d0, ox·s1 − p1 + kx·d1]
 *   sum pool / avg pool (÷ k0·k1, padding counted).
 */

function naiveConv2d(
  x: number[], [C, H, W]: number[], w: number[], [Co, Cg, KH, KW]: number[], b: number[],
  s: number[], p: number[], d: number[], groups: number,
): { y: number[]; shape: number[] } {
  const Ho = windowOut(H, KH, s[0]!, p[0]!, d[0]!);
  const Wo = windowOut(W, KW, s[1]!, p[1]!, d[1]!);
  const y: number[] = [];
  for (let co = 0; co < Co; co++) {
    const g = Math.floor(co / (Co / groups));
    for (let oy = 0; oy < Ho; oy++)
      for (let ox = 0; ox < Wo; ox++) {
        let acc = 0;
        for (let ci = 0; ci < Cg; ci++)
          for (let ky = 0; ky < KH; ky++)
            for (let kx = 0; kx < KW; kx++) {
              const iy = oy * s[0]! - p[0]! + ky * d[0]!;
              const ix = ox * s[1]! - p[1]! + kx * d[1]!;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              acc += w[((co * Cg + ci) * KH + ky) * KW + kx]! * x[((g * Cg + ci) * H + iy) * W + ix]!;
            }
        y.push(acc + b[co]!);
      }
  }
  void C;
  return { y, shape: [Co, Ho, Wo] };
}

function naivePool(x: number[], [C, H, W]: number[], k: number[], s: number[], p: number[], avg: boolean): number[] {
  const Ho = windowOut(H, k[0]!, s[0]!, p[0]!);
  const Wo = windowOut(W, k[1]!, s[1]!, p[1]!);
  const y: number[] = [];
  for (let c = 0; c < C; c++)
    for (let oy = 0; oy < Ho; oy++)
      for (let ox = 0; ox < Wo; ox++) {
        let acc = 0;
        for (let ky = 0; ky < k[0]!; ky++)
          for (let kx = 0; kx < k[1]!; kx++) {
            const iy = oy * s[0]! - p[0]! + ky;
            const ix = ox * s[1]! - p[1]! + kx;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W) acc += x[(c * H + iy) * W + ix]!;
          }
        y.push(avg ? acc / (k[0]! * k[1]!) : acc);
      }
  return y;
}

function runOne(node: FlatNode, inShape: number[], x: number[]): number[] {
  const inp: FlatNode = { kind: 'Input', name: 'in', shape: inShape };
  const r = run([inp, node], chain('in', node.name), [dense('in', [x])], 1, {}, { traces: [{ node: node.name, var: 'y' }] });
  return trace(r, node.name, 'y')[0]!;
}

describe('Conv2d', () => {
  it('hand-computed 1×3×3 input, 2×2 kernel, stride 1, no padding', () => {
    // x = [[1,2,3],[4,5,6],[7,8,9]], W = [[1,0],[0,-1]], b = 0.5 → y = x[i][j] − x[i+1][j+1] + 0.5 = −4 + 0.5 everywhere
    const conv: FlatNode = {
      kind: 'Conv2d', name: 'c', weight: t([1, 0, 0, -1], [1, 1, 2, 2]), bias: t([0.5]),
      stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1,
    };
    expect(runOne(conv, [1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([-3.5, -3.5, -3.5, -3.5]);
  });

  it('hand-computed padding 1, stride 2: corners of a 3×3 all-ones kernel over a 3×3 input of ones see 4 taps', () => {
    const conv: FlatNode = {
      kind: 'Conv2d', name: 'c', weight: t(new Array(9).fill(1), [1, 1, 3, 3]), bias: t([0]),
      stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1,
    };
    // output 2×2 at input centres (0,0),(0,2),(2,0),(2,2): each window holds 4 in-bounds ones
    expect(runOne(conv, [1, 3, 3], new Array(9).fill(1))).toEqual([4, 4, 4, 4]);
  });

  it('equals the naive loops bit for bit for random stride, padding, dilation and groups', () => {
    fc.assert(
      fc.property(
        fc.record({
          groups: fc.integer({ min: 1, max: 3 }), cg: fc.integer({ min: 1, max: 2 }), og: fc.integer({ min: 1, max: 2 }),
          H: fc.integer({ min: 3, max: 7 }), W: fc.integer({ min: 3, max: 7 }), KH: fc.integer({ min: 1, max: 3 }), KW: fc.integer({ min: 1, max: 3 }),
          s0: fc.integer({ min: 1, max: 3 }), s1: fc.integer({ min: 1, max: 3 }), p0: fc.integer({ min: 0, max: 2 }), p1: fc.integer({ min: 0, max: 2 }),
          d0: fc.integer({ min: 1, max: 2 }), d1: fc.integer({ min: 1, max: 2 }), seed: fc.integer({ min: 0, max: 1e6 }),
        }),
        (c) => {
          const Cin = c.groups * c.cg;
          const Co = c.groups * c.og;
          if (windowOut(c.H, c.KH, c.s0, c.p0, c.d0) < 1 || windowOut(c.W, c.KW, c.s1, c.p1, c.d1) < 1) return;
          let st = c.seed;
          const rnd = (): number => {
            st = (Math.imul(st, 1103515245) + 12345) >>> 0;
            return (st / 2 ** 32) * 2 - 1;
          };
          const wShape = [Co, c.cg, c.KH, c.KW];
          const w = Array.from({ length: numel(wShape) }, rnd);
          const b = Array.from({ length: Co }, rnd);
          // spike-like input with some zeros and some analog values (dense inputs are float32)
          const x = Array.from({ length: Cin * c.H * c.W }, () => (rnd() > 0.3 ? Math.fround(rnd()) : 0));
          const conv: FlatNode = {
            kind: 'Conv2d', name: 'c', weight: t(w, wShape), bias: t(b), stride: [c.s0, c.s1], padding: [c.p0, c.p1],
            dilation: [c.d0, c.d1], groups: c.groups,
          };
          const want = naiveConv2d(x, [Cin, c.H, c.W], w, wShape, b, [c.s0, c.s1], [c.p0, c.p1], [c.d0, c.d1], c.groups);
          const got = runOne(conv, [Cin, c.H, c.W], x);
          expect(got.length).toBe(want.y.length);
          // terms are added in the naive loop's (ci, ky, kx) order: the sums are bit-identical
          expect(got).toEqual(want.y);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('Conv1d', () => {
  it('matches Conv2d of height 1 computed naively (stride 2, padding 1, dilation 2, groups 2)', () => {
    const w = [1, -2, 0.5, 3, 0.25, -1, 2, 1, -0.5, 4, 1.5, -3]; // [4 out, 1 in/group, 3]
    const b = [0.1, 0.2, 0.3, 0.4];
    const x = [1, 0, 2, 0, 1, 1, 0, 3, 1, 0]; // [2, 5]
    const conv: FlatNode = { kind: 'Conv1d', name: 'c', weight: t(w, [4, 1, 3]), bias: t(b), stride: [2], padding: [1], dilation: [2], groups: 2 };
    const want = naiveConv2d(x, [2, 1, 5], w, [4, 1, 1, 3], b, [1, 2], [0, 1], [1, 2], 2);
    expect(want.shape).toEqual([4, 1, 2]);
    const got = runOne(conv, [2, 5], x);
    expect(got.length).toBe(8);
    got.forEach((v, k) => expect(v).toBeCloseTo(want.y[k]!, 14));
    // hand check of y[0, 0]: window centre 0 → taps at −1 (pad), 1, 3 of channel 0 → −2·0 + 0.5·0 + 0.1
    expect(got[0]).toBeCloseTo(0.1, 14);
  });
});

describe('SumPool2d / AvgPool2d', () => {
  it('hand-computed 2×2 sum and average over a 1×4×4 ramp', () => {
    const x = Array.from({ length: 16 }, (_, k) => k); // rows 0..3, 4..7, 8..11, 12..15
    const sum: FlatNode = { kind: 'SumPool2d', name: 'p', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0] };
    expect(runOne(sum, [1, 4, 4], x)).toEqual([0 + 1 + 4 + 5, 2 + 3 + 6 + 7, 8 + 9 + 12 + 13, 10 + 11 + 14 + 15]);
    const avg: FlatNode = { kind: 'AvgPool2d', name: 'p', kernel_size: [2, 2], stride: [2, 2], padding: [0, 0] };
    expect(runOne(avg, [1, 4, 4], x)).toEqual([2.5, 4.5, 10.5, 12.5]);
    // padding 1 with a 2×2 window, stride 2: the corner window holds one real element; avg divides by 4
    const avgPad: FlatNode = { kind: 'AvgPool2d', name: 'p', kernel_size: [2, 2], stride: [2, 2], padding: [1, 1] };
    expect(runOne(avgPad, [1, 4, 4], x)[0]).toBe(0 / 4);
    expect(runOne(avgPad, [1, 4, 4], x)[1]).toBe((1 + 2) / 4);
  });

  it('matches the naive loops for random kernel, stride and padding', () => {
    fc.assert(
      fc.property(
        fc.record({
          C: fc.integer({ min: 1, max: 3 }), H: fc.integer({ min: 2, max: 7 }), W: fc.integer({ min: 2, max: 7 }),
          k0: fc.integer({ min: 1, max: 3 }), k1: fc.integer({ min: 1, max: 3 }), s0: fc.integer({ min: 1, max: 3 }), s1: fc.integer({ min: 1, max: 3 }),
          p0: fc.integer({ min: 0, max: 1 }), p1: fc.integer({ min: 0, max: 1 }), avg: fc.boolean(),
          x: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 147, maxLength: 147 }),
        }),
        (c) => {
          if (c.p0 * 2 > c.k0 || c.p1 * 2 > c.k1) return;
          if (windowOut(c.H, c.k0, c.s0, c.p0) < 1 || windowOut(c.W, c.k1, c.s1, c.p1) < 1) return;
          const x = c.x.slice(0, c.C * c.H * c.W);
          const node: FlatNode = { kind: c.avg ? 'AvgPool2d' : 'SumPool2d', name: 'p', kernel_size: [c.k0, c.k1], stride: [c.s0, c.s1], padding: [c.p0, c.p1] };
          const want = naivePool(x, [c.C, c.H, c.W], [c.k0, c.k1], [c.s0, c.s1], [c.p0, c.p1], c.avg);
          const got = runOne(node, [c.C, c.H, c.W], x);
          expect(got.length).toBe(want.length);
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 60 },
    );
  });
});
