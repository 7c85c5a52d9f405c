import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUNDING_MODES, type RoundingMode } from '../../src/chip/arithmetic-spec.js';
import { roundToCode } from '../../src/chip/rounding.js';
import type { FlatNode, Graph } from '../../src/graph/graph.js';
import { f64, type FloatTensor } from '../../src/graph/tensor.js';
import { profileWith } from '../compiler/helpers.js';
import { arbNetwork } from '../chips/spinnaker2/arb-network.js';
import { buildKernels, expectKernelsEqualGolden, tryCompile } from '../chips/spinnaker2/helpers.js';
import { quantizationOf } from '../../chips/spinnaker2/mapping/index.js';

// ---------------------------------------------------------------------------------------------
// Reference: the double as an exact rational m · 2^e (BigInt m), rounded with BigInt arithmetic.

function exact(x: number): { m: bigint; e: number } {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const m = biased === 0 ? frac : frac | (1n << 52n);
  const e = biased === 0 ? -1074 : biased - 1075;
  return { m: hi >>> 31 ? -m : m, e };
}

function reference(x: number, fracBits: number, mode: RoundingMode, min: number, max: number): { code: number; saturated: boolean } {
  let q: bigint;
  if (x === Infinity || x === -Infinity) q = x > 0 ? BigInt(max) + 1n : BigInt(min) - 1n;
  else {
    const { m, e } = exact(x);
    const k = e + fracBits; // x · 2^fracBits = m · 2^k
    if (k >= 0) q = m << BigInt(k);
    else {
      const d = BigInt(-k);
      const D = 1n << d;
      const fl = m >> d; // BigInt >> is floor division by 2^d
      const twiceRem = 2n * (m - (fl << d)); // 2·(m − fl·2^d), compared with 2^d
      const odd = (fl & 1n) === 1n;
      switch (mode) {
        case 'floor': q = fl; break;
        case 'toward-zero': q = m < 0n && twiceRem !== 0n ? fl + 1n : fl; break;
        case 'nearest-up': q = twiceRem >= D ? fl + 1n : fl; break;
        case 'nearest-even': q = twiceRem > D || (twiceRem === D && odd) ? fl + 1n : fl; break;
        case 'nearest-away': q = twiceRem > D || (twiceRem === D && m > 0n) ? fl + 1n : fl; break;
      }
    }
  }
  if (q > BigInt(max)) return { code: max, saturated: true };
  if (q < BigInt(min)) return { code: min, saturated: true };
  return { code: Number(q), saturated: false };
}

const mode = fc.constantFrom(...ROUNDING_MODES);

/** Code ranges: signed and unsigned formats of 1–53 bits, and arbitrary safe-integer intervals around 0. */
const range: fc.Arbitrary<[number, number]> = fc.oneof(
  fc.integer({ min: 1, max: 53 }).map((b): [number, number] => [-(2 ** (b - 1)), 2 ** (b - 1) - 1]),
  fc.integer({ min: 1, max: 53 }).map((b): [number, number] => [0, 2 ** b - 1]),
  fc.tuple(fc.integer({ min: -(2 ** 53) + 1, max: 0 }), fc.integer({ min: 0, max: 2 ** 53 - 1 })),
);

/** Integer parts of ties: small (codes −4…4, where s − ⌊s⌋ is inexact for negatives) and large. */
const tieK = fc.oneof(fc.integer({ min: -4, max: 4 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }));

/** (x, fracBits): any double, exact ties (k + ½)·2^−f, their neighbours, huge and tiny values. */
const value: fc.Arbitrary<[number, number]> = fc.oneof(
  fc.tuple(fc.double({ noNaN: true }), fc.integer({ min: -40, max: 80 })),
  fc.tuple(tieK, fc.integer({ min: -20, max: 60 })).map(([k, f]): [number, number] => [(k + 0.5) * 2 ** -f, f]),
  fc.tuple(tieK, fc.integer({ min: -20, max: 60 }), fc.constantFrom(1 + 2 ** -52, 1 - 2 ** -53)).map(([k, f, u]): [number, number] => [(k + 0.5) * 2 ** -f * u, f]),
  fc.tuple(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.integer({ min: 0, max: 40 })).map(([k, f]): [number, number] => [k * 2 ** -f, f]),
  fc.tuple(fc.double({ min: 1e12, max: 1.7e308, noNaN: true }), fc.boolean(), fc.integer({ min: 0, max: 40 })).map(([x, neg, f]): [number, number] => [neg ? -x : x, f]),
  fc.tuple(fc.double({ min: 0, max: 1e-300, noNaN: true }), fc.boolean(), fc.integer({ min: -40, max: 40 })).map(([x, neg, f]): [number, number] => [neg ? -x : x, f]),
);

describe('roundToCode', () => {
  it('equals a BigInt rational reference for every mode (ties, negatives, saturation, subnormals)', () => {
    fc.assert(
      fc.property(value, mode, range, ([x, f], m, [lo, hi]) => {
        const got = roundToCode(x, f, m, lo, hi);
        expect(got, `roundToCode(${x}, ${f}, ${m}, ${lo}, ${hi})`).toEqual(reference(x, f, m, lo, hi));
        expect(Object.is(got.code, -0)).toBe(false);
      }),
      { numRuns: 20000, seed: 20261201 },
    );
  });

  it('known values', () => {
    const r = (x: number, m: RoundingMode, f = 0): number => roundToCode(x, f, m, -100, 100).code;
    expect(ROUNDING_MODES.map((m) => [r(2.5, m), r(-2.5, m), r(3.5, m), r(-3.5, m), r(-2.25, m)])).toEqual([
      [2, -3, 3, -4, -3], // floor
      [2, -2, 3, -3, -2], // toward-zero
      [3, -2, 4, -3, -2], // nearest-up
      [2, -2, 4, -4, -2], // nearest-even
      [3, -3, 4, -4, -2], // nearest-away
    ]);
    // 0.5 − 2^−54: x + 0.5 rounds to 1 in a double, the value itself rounds to 0
    expect(r(0.49999999999999994, 'nearest-away')).toBe(0);
    expect(r(-0.49999999999999994, 'nearest-away')).toBe(0);
    expect(r(-5e-324, 'floor', 10)).toBe(-1);
    expect(Object.is(r(-0.2, 'toward-zero'), 0)).toBe(true);
    expect(Object.is(r(-0, 'floor'), 0)).toBe(true);
    expect(roundToCode(1e300, 15, 'nearest-even', -(2 ** 31), 2 ** 31 - 1)).toEqual({ code: 2 ** 31 - 1, saturated: true });
    expect(roundToCode(-Infinity, 15, 'floor', -8, 7)).toEqual({ code: -8, saturated: true });
    expect(roundToCode(7.5, 0, 'nearest-even', -8, 7)).toEqual({ code: 7, saturated: true });
    expect(roundToCode(7.5, 0, 'floor', -8, 7)).toEqual({ code: 7, saturated: false });
    expect(roundToCode(0.75, -1, 'nearest-even', -8, 7)).toEqual({ code: 0, saturated: false }); // 0.375
    expect(roundToCode(3, -1, 'nearest-even', -8, 7)).toEqual({ code: 2, saturated: false }); // 1.5
  });
});

// ---------------------------------------------------------------------------------------------
// Every declared parameterRounding: the compiler and the chip follow it exactly as the golden model does.

const STATE_FIELDS = new Set(['weight', 'bias', 'v_leak', 'v_threshold', 'v_reset', 'v_rest', 'v_init', 'threshold']);

/**
 * Snap weights, biases and voltages to multiples of 2^−16 and gains r to multiples of 2^−18, so
 * that many of them fall exactly halfway between two codes of the state (s16.15), weight (at
 * ring-buffer shift 0–1) and coefficient (s4.17) formats: there the rounding modes disagree.
 */
function withTies(g: Graph): Graph {
  const snap = (t: FloatTensor, bits: number): FloatTensor => ({ ...t, data: t.data.map((x) => Math.round(x * 2 ** bits) / 2 ** bits) } as FloatTensor);
  const nodes = g.nodes.map((n) => {
    const out: Record<string, unknown> = { ...n };
    for (const [k, v] of Object.entries(n)) {
      if (!v || typeof v !== 'object' || !('data' in v) || !((v as FloatTensor).data instanceof Float64Array)) continue;
      if (STATE_FIELDS.has(k)) out[k] = snap(v as FloatTensor, 16);
      else if (k === 'r') out[k] = snap(v as FloatTensor, 18);
    }
    return out as unknown as FlatNode;
  });
  return { nodes, edges: g.edges };
}

describe('parameterRounding: kernels ≡ golden model under every declared mode', () => {
  beforeAll(() => buildKernels());
  const base = profileWith('spinnaker2', { limits: { maxNeuronsPerCore: { value: 5, unit: 'neuron', assumed: 'test: several cores' } } });

  for (const m of ROUNDING_MODES) {
    it(`parameterRounding '${m}'`, async () => {
      const profile = profileWith('spinnaker2', {
        limits: { maxNeuronsPerCore: { value: 5, unit: 'neuron', assumed: 'test: several cores' } },
        arithmetic: { parameterRounding: m },
      });
      expect(profile.arithmetic!.parameterRounding).toBe(m);
      expect(profile.arithmetic!.multiply.decay).toBe('nearest-up'); // the rest of the declaration is inherited
      let differ = 0; // weight or parameter codes that differ from those of nearest-away
      await fc.assert(
        fc.asyncProperty(arbNetwork().map(withTies), fc.integer({ min: 0, max: 1000 }), fc.boolean(), async (g, seed, subtract) => {
          await expectKernelsEqualGolden(g, profile, { seed, subtract, steps: 30 });
          if (m === 'nearest-away') return;
          const a = quantizationOf(tryCompile(g, profile)!);
          const b = quantizationOf(tryCompile(g, base)!);
          a.weights.forEach((w, i) => w.forEach((c, s) => void (c !== b.weights[i]![s] && differ++)));
          a.params.forEach((p, i) => Object.entries(p).forEach(([k, v]) => v.forEach((c, j) => void (c !== b.params[i]![k]![j] && differ++))));
        }),
        { numRuns: 6, seed: 20261201 + ROUNDING_MODES.indexOf(m), endOnFailure: true },
      );
      // the samples did exercise the mode: some codes differ from ties-away-from-zero
      if (m !== 'nearest-away') expect(differ).toBeGreaterThan(0);
    });
  }

  /**
   * Values where rounding in doubles goes wrong: ±(½ − 2^−54) codes (x + ½ rounds up to 1),
   * exact ties, ties one ulp off, and weights above 2^15 whose ring-buffer shift 16 exceeds the
   * state's 15 fraction bits (2^(F − shift) = ½).
   */
  it('edge values (near-ties below 2^−8, shift above the fraction bits): kernels ≡ golden in every mode', async () => {
    const u = 2 ** -15;
    const nearHalf = (0.5 - 2 ** -54) * u;
    const g: Graph = {
      nodes: [
        { kind: 'Input', name: 'in', shape: [3] },
        { kind: 'Linear', name: 'fc0', weight: f64([2.5 * u, -2.5 * u * (1 - 2 ** -53), -nearHalf, 0.75 + 0.5 * u, -(0.75 + 0.5 * u), (3.5 - 2 ** -51) * u], [2, 3]) },
        { kind: 'LIF', name: 'p0', tau: f64([0.004]), r: f64([1]), v_leak: f64([-nearHalf, nearHalf]), v_threshold: f64([(1000.5 * u), 2001.5 * u]) },
        { kind: 'Linear', name: 'fc1', weight: f64([40000, -40000.5, 3], [1, 3]) },
        { kind: 'IF', name: 'p1', r: f64([1e-4]), v_threshold: f64([2]) },
        { kind: 'Output', name: 'out', shape: [2] },
        { kind: 'Output', name: 'out1', shape: [1] },
      ],
      edges: [{ from: 'in', to: 'fc0' }, { from: 'fc0', to: 'p0' }, { from: 'p0', to: 'out' }, { from: 'in', to: 'fc1' }, { from: 'fc1', to: 'p1' }, { from: 'p1', to: 'out1' }],
    };
    for (const m of ROUNDING_MODES) {
      const profile = profileWith('spinnaker2', { arithmetic: { parameterRounding: m } });
      const c = tryCompile(g, profile)!;
      expect(quantizationOf(c).shifts[c.network.populations.findIndex((p) => p.name === 'p1')]).toEqual([16]);
      await expectKernelsEqualGolden(g, profile, { seed: 3, subtract: false, steps: 30 });
    }
  });
});
