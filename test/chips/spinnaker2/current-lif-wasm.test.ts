/**
 * The WebAssembly CurrentLIF kernel (assembly/spinnaker2/current-lif.ts) against the JavaScript
 * loops it replaces (kernel-current-lif.ts): random formats, parameters, states, ring inputs and
 * shifts, many near the saturation limits and near the fast path's guard, must give the same
 * spikes (in order), v, currents, refractory counts, cleared ring slots and saturation counts.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCoreState, type CoreState } from '../../../chips/spinnaker2/kernel-core-state.js';
import { createCurrentLifWasm, currentLifWasmApplies, fastGuard, type CurrentLifWasm } from '../../../chips/spinnaker2/kernel-current-lif-wasm.js';
import { createCurrentLifLoop } from '../../../chips/spinnaker2/kernel-current-lif.js';
import { KIND, type CoreData, type PopData, type S2Arith } from '../../../chips/spinnaker2/kernel-types.js';
import { sharedWasmMemory, WasmArena } from '../../../src/kernels/wasm-arena.js';
import { ensureBuilt } from '../../runtime/build.js';

const arith = (bits: number, frac: number): S2Arith => ({
  stateMin: -(2 ** bits), stateMax: 2 ** bits - 1, ringMin: -(2 ** 31), ringMax: 2 ** 31 - 1,
  saturateRing: true, saturateState: true, coefFrac: frac, decayRounding: 'nearest-up', inputRounding: 'nearest-up',
});

/** An int in [-lim, lim], often at the edges, near the fast path's guard (2^28) or small. */
function arbCode(lim: number): fc.Arbitrary<number> {
  const near = (x: number): fc.Arbitrary<number> => fc.integer({ min: -64, max: 64 }).map((d) => Math.max(-lim, Math.min(lim, x + d)));
  return fc.oneof(
    fc.integer({ min: -lim, max: lim }),
    fc.integer({ min: -1024, max: 1024 }).map((x) => Math.max(-lim, Math.min(lim, x))),
    near(lim), near(-lim), near(2 ** 28), near(-(2 ** 28)), near(2 ** 27), near(-(2 ** 29)),
  );
}

interface Case {
  ar: S2Arith; subtract: boolean; n: number; R: number; lo: number; uniform: boolean; shifts: number[];
  pop: PopData; v: number[]; cur: number[]; left: number[]; rings: { dirty: boolean; ring: number[] }[];
}

const arbCase: fc.Arbitrary<Case> = fc
  .record({
    bits: fc.oneof(fc.constant(31), fc.integer({ min: 12, max: 31 })),
    frac: fc.oneof(fc.constant(17), fc.integer({ min: 1, max: 24 })),
    subtract: fc.boolean(),
    n: fc.integer({ min: 1, max: 37 }),
    R: fc.oneof(fc.constant(2), fc.integer({ min: 1, max: 5 })),
    lo: fc.integer({ min: 0, max: 3 }),
    uniform: fc.boolean(),
    small: fc.boolean(),
    seed: fc.integer(),
  })
  .chain(({ bits, frac, subtract, n, R, lo, uniform, small }) => {
    const ar = arith(bits, frac);
    const S = 2 ** bits - 1;
    // coefficients: a state × coefficient stays exact in a double (the predicate's own bound)
    const cmax = Math.min(2 ** (frac + 4), Math.floor((2 ** 53 - 2 ** frac) / 2 ** (bits + 1))) - 1;
    const coef = small ? fc.integer({ min: -Math.min(2 ** frac, cmax), max: Math.min(2 ** frac, cmax) }) : arbCode(cmax);
    const size = lo + n + 2;
    const per = (a: fc.Arbitrary<number>, len: number): fc.Arbitrary<number[]> =>
      uniform ? a.map((x) => Array<number>(len).fill(x)) : fc.array(a, { minLength: len, maxLength: len });
    const ring = fc.array(arbCode(2 ** 31 - 1).map((x) => Math.max(-(2 ** 31), x)), { minLength: R * n, maxLength: R * n });
    return fc.record({
      ar: fc.constant(ar), subtract: fc.constant(subtract), n: fc.constant(n), R: fc.constant(R), lo: fc.constant(lo), uniform: fc.constant(uniform),
      shifts: fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 40 })), { minLength: R, maxLength: R }),
      vl: per(arbCode(S), size), vth: per(arbCode(S), size), vr: per(arbCode(S), size), ref: per(fc.integer({ min: 0, max: 4 }), size),
      a: per(coef, size), c: fc.array(per(coef, size), { minLength: R, maxLength: R }), arr: fc.array(coef, { minLength: R, maxLength: R }),
      v: fc.array(arbCode(S), { minLength: n, maxLength: n }),
      cur: fc.array(arbCode(S), { minLength: R * n, maxLength: R * n }),
      left: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
      rings: fc.array(fc.record({ dirty: fc.boolean(), ring }), { minLength: 1, maxLength: 6 }),
    });
  })
  .map((x) => ({
    ...x,
    pop: {
      name: 'p', kind: KIND.CurrentLIF, role: 'neuron', size: x.lo + x.n + 2, receptors: x.R, trace: false,
      vl: Int32Array.from(x.vl), vth: Int32Array.from(x.vth), vr: Int32Array.from(x.vr), ref: Int32Array.from(x.ref),
      a: Int32Array.from(x.a), c: Int32Array.from(x.c.flat()), ar: Int32Array.from(x.arr),
    } satisfies PopData,
  }));

function coreOf(c: Case): CoreData {
  return {
    pop: 0, lo: c.lo, hi: c.lo + c.n, key: 0, shifts: c.shifts, rowKeys: new Uint32Array(0), rowStart: new Uint32Array(1),
    words: new Uint32Array(0), dests: new Int32Array(0), lookups: 0, meshHops: 0, chipHops: 0, dropped: 0, latencyCycles: 0,
    inputPops: [], sramBytes: 0,
  };
}

function setState(st: CoreState, c: Case): void {
  st.v.set(c.v);
  st.cur.set(c.cur);
  st.refLeft.set(c.left);
}

describe('spinnaker2 CurrentLIF in WebAssembly ≡ the JavaScript loops', () => {
  beforeAll(() => ensureBuilt());

  it('the module is built and loads here (the property below would otherwise test nothing)', () => {
    expect(createCurrentLifWasm(arith(31, 17), false)).toBeDefined();
  });

  it('random formats, parameters and states near the limits: same spikes, state, ring and saturations', () => {
    let fast = 0;
    let sats = 0;
    let spikes = 0;
    fc.assert(
      fc.property(arbCase, (c) => {
        expect(currentLifWasmApplies(c.ar, c.pop, c.shifts, 'integrate')).toBe(true);
        const wasm: CurrentLifWasm = createCurrentLifWasm(c.ar, c.subtract)!;
        const core = coreOf(c);
        const js = createCoreState(0, core, c.pop, new Int32Array(1), 0);
        const wa = createCoreState(0, core, c.pop, new Int32Array(1), 0, (n) => wasm.arena.i32(n));
        wasm.attach(wa);
        if (wa.wasm![19]! > 0) fast++;
        setState(js, c);
        setState(wa, c);
        const satJ = { n: 0 };
        const satW = { n: 0 };
        const loop = createCurrentLifLoop(c.ar, c.subtract, false, satJ);
        c.rings.forEach((step, t) => {
          const slot = t & 15;
          for (const st of [js, wa]) {
            st.ring.set(step.ring, slot * c.R * c.n);
            st.dirty[slot] = step.dirty ? 1 : 0;
          }
          const nJ = loop(js, t);
          const nW = wasm.step(wa, t, satW);
          expect(nW).toBe(nJ);
          expect(Array.from(wa.spk.subarray(0, nW))).toEqual(Array.from(js.spk.subarray(0, nJ)));
          expect(Array.from(wa.v)).toEqual(Array.from(js.v));
          expect(Array.from(wa.cur)).toEqual(Array.from(js.cur));
          expect(Array.from(wa.refLeft)).toEqual(Array.from(js.refLeft));
          expect(Array.from(wa.ring)).toEqual(Array.from(js.ring));
          expect(wa.dirty[slot]).toBe(js.dirty[slot]);
          expect(satW.n).toBe(satJ.n);
          spikes += nJ;
        });
        sats += satJ.n;
      }),
      { numRuns: 400 },
    );
    // the draws reach both paths, saturations and spikes
    expect(fast).toBeGreaterThan(40);
    expect(sats).toBeGreaterThan(0);
    expect(spikes).toBeGreaterThan(0);
  });

  it('CUBA-like parameters (s16.15, s4.17 gains below 1) get the fast path with a guard of at least 2^28', () => {
    const n = 256;
    const fill = (x: number, len = 1): Int32Array => new Int32Array(len).fill(x);
    const par = { pa: fill(124_000), pvl: fill(-1_966_080), pvth: fill(-1_638_400), pvr: fill(-1_966_080), pref: fill(50), pc: Int32Array.of(6_000, 6_000), pLo: 0, pMask: 0, pSize: 1 };
    expect(fastGuard(arith(31, 17), par, n, 2, Int32Array.of(128_000, 124_000), false)).toBeGreaterThanOrEqual(2 ** 28);
    // a gain of 15.9 leaves no room for a guard of 2^28: a smaller one, never an unsound one
    const big = { ...par, pc: Int32Array.of(15.9 * 2 ** 17, 15.9 * 2 ** 17) };
    const G = fastGuard(arith(31, 17), big, n, 2, Int32Array.of(128_000, 124_000), false);
    expect(G).toBeLessThan(2 ** 28);
    expect(2 * (G - 1) * 15.9 * 2 + 2 ** 21).toBeLessThan(2 ** 31);
  });

  it('the predicate keeps the JavaScript loop where the kernel does not apply', () => {
    const pop = { name: 'p', kind: KIND.CurrentLIF, role: 'neuron', size: 1, receptors: 2, trace: false, a: fill1(1), c: fill1(1, 2), ar: fill1(1, 2) } satisfies PopData;
    const ar = arith(31, 17);
    expect(currentLifWasmApplies(ar, pop, [0, 0], 'integrate')).toBe(true);
    expect(currentLifWasmApplies({ ...ar, decayRounding: 'floor' }, pop, [0, 0], 'integrate')).toBe(false);
    expect(currentLifWasmApplies({ ...ar, saturateState: false }, pop, [0, 0], 'integrate')).toBe(false);
    expect(currentLifWasmApplies({ ...ar, stateMax: 2 ** 40 }, pop, [0, 0], 'integrate')).toBe(false);
    expect(currentLifWasmApplies(ar, { ...pop, bias: fill1(1) }, [0, 0], 'integrate')).toBe(false);
    expect(currentLifWasmApplies(ar, { ...pop, kind: KIND.CubaLIF }, [0, 0], 'integrate')).toBe(false);
    expect(currentLifWasmApplies(ar, pop, [0, -1], 'integrate')).toBe(false);
    expect(currentLifWasmApplies(ar, { ...pop, c: fill1(2 ** 22, 2) }, [0, 0], 'integrate')).toBe(false);
    expect(currentLifWasmApplies(ar, pop, [0, 0], 'drop')).toBe(false);
  });
});

function fill1(x: number, len = 1): Int32Array {
  return new Int32Array(len).fill(x);
}

describe('WasmArena', () => {
  it('views made before the shared memory grows keep their bytes and stay attached', () => {
    const arena = new WasmArena(sharedWasmMemory(), 1024);
    const a = arena.i32(100);
    a.fill(7);
    const b = arena.i32(1 << 20); // grows the memory by 4 MiB
    b[b.length - 1] = 9;
    expect(a.byteOffset % 16).toBe(0);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 400);
    expect(Array.from(a.subarray(0, 3))).toEqual([7, 7, 7]);
    expect(new Int32Array(arena.memory.buffer, b.byteOffset, b.length)[b.length - 1]).toBe(9);
    expect(arena.memory.buffer.byteLength).toBeGreaterThanOrEqual(arena.used);
  });
});
