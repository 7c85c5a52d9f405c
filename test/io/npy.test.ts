import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import { readNpy, writeNpy } from '../../src/io/npy.js';

/** A .npy file written by hand: header dict text, then raw little-endian data bytes. */
function handNpy(header: string, data: Uint8Array, major = 1): Uint8Array {
  const pre = major === 1 ? 10 : 12;
  let h = header;
  while ((pre + h.length + 1) % 64 !== 0) h += ' ';
  h += '\n';
  const out = new Uint8Array(pre + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const v = new DataView(out.buffer);
  if (major === 1) v.setUint16(8, h.length, true);
  else v.setUint32(8, h.length, true);
  for (let i = 0; i < h.length; i++) out[pre + i] = h.charCodeAt(i);
  out.set(data, pre + h.length);
  return out;
}

function errorOf(f: () => unknown): NeuromeshError {
  try {
    f();
  } catch (e) {
    if (e instanceof NeuromeshError) return e;
    throw e;
  }
  throw new Error('expected a NeuromeshError');
}

describe('npy round trip', () => {
  const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });
  it('float32, float64, uint8, int32 survive writeNpy → readNpy bit-equal with their shape', () => {
    fc.assert(fc.property(shapes, fc.integer({ min: 0, max: 3 }), fc.integer(), (shape, kind, salt) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const vals = Array.from({ length: n }, (_, i) => ((i * 7919 + salt) % 1000) / 7);
      const arrays = [Float32Array.from(vals), Float64Array.from(vals), Uint8Array.from(vals.map((v) => v & 255)), Int32Array.from(vals.map((v) => -Math.round(v * 1000)))];
      const dtypes = ['float32', 'float64', 'uint8', 'int32'];
      const a = arrays[kind]!;
      const bytes = writeNpy(a, shape);
      const back = readNpy(bytes);
      expect(back.dtype).toBe(dtypes[kind]);
      expect(back.shape).toEqual(shape);
      expect(back.data.constructor).toBe(a.constructor);
      expect(Array.from(back.data)).toEqual(Array.from(a));
    }), { numRuns: 100 });
  });
  it('pads the header so data starts at a multiple of 64 and writes numpy header syntax', () => {
    const b = writeNpy(new Float64Array(3), [3]);
    const hlen = b[8]! | (b[9]! << 8);
    expect((10 + hlen) % 64).toBe(0);
    const text = new TextDecoder().decode(b.subarray(10, 10 + hlen));
    expect(text).toMatch(/^\{'descr': '<f8', 'fortran_order': False, 'shape': \(3,\), \}\s*\n$/);
  });
  it('writes a scalar (shape ()) and an empty array', () => {
    expect(readNpy(writeNpy(Float32Array.of(2.5), [])).shape).toEqual([]);
    expect(readNpy(writeNpy(Float32Array.of(2.5), [])).data[0]).toBe(2.5);
    expect(readNpy(writeNpy(new Float32Array(0), [0, 3])).shape).toEqual([0, 3]);
  });
  it('refuses a shape that does not match the data', () => {
    expect(() => writeNpy(new Float32Array(5), [2, 3])).toThrow(/holds 6 values/);
  });
});

describe('readNpy on hand-written files', () => {
  it('reads a hand-written <i2 header with Python-2 style long dims', () => {
    const data = new Uint8Array(new Int16Array([1, -2, 3, -4, 5, -6]).buffer);
    const a = readNpy(handNpy("{'descr': '<i2', 'fortran_order': False, 'shape': (2L, 3L), }", data));
    expect(a.dtype).toBe('int16');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, -2, 3, -4, 5, -6]);
  });
  it('reads big-endian float64, version 2.0 headers and bool', () => {
    const be = new Uint8Array(16);
    new DataView(be.buffer).setFloat64(0, 1.5, false);
    new DataView(be.buffer).setFloat64(8, -3, false);
    const a = readNpy(handNpy("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", be, 2));
    expect(Array.from(a.data)).toEqual([1.5, -3]);
    const b = readNpy(handNpy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", Uint8Array.of(1, 0, 1)));
    expect(b.dtype).toBe('bool');
    expect(Array.from(b.data)).toEqual([1, 0, 1]);
  });
  it('converts Fortran order to C order', () => {
    // C array [[1,2,3],[4,5,6]] stored column-major: 1,4,2,5,3,6
    const data = new Uint8Array(new Float32Array([1, 4, 2, 5, 3, 6]).buffer);
    const a = readNpy(handNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", data));
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('reads int64 as exact float64 and refuses values beyond 2^53', () => {
    const ok = new Uint8Array(new BigInt64Array([5n, -7n]).buffer);
    expect(Array.from(readNpy(handNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", ok)).data)).toEqual([5, -7]);
    const big = new Uint8Array(new BigInt64Array([2n ** 60n]).buffer);
    expect(errorOf(() => readNpy(handNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", big), 'big.npy')).message).toMatch(/big\.npy.*beyond 2\^53/);
  });
  it('gives one-line E_BAD_NPY errors naming the file for bad magic, dtype, header and truncation', () => {
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('hello world, not numpy'), /bad magic/],
      [handNpy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(16)), /unsupported dtype '<c16'/],
      [handNpy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)), /descr/],
      [handNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new Uint8Array(8)), /needs 16 data bytes but the file has 8/],
      [handNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", new Uint8Array(8)), /shape entry/],
      [handNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }", new Uint8Array(8)), /more than/],
      [handNpy('not a dict', new Uint8Array(0)), /not a Python dict/],
    ];
    for (const [bytes, re] of cases) {
      const e = errorOf(() => readNpy(bytes, 'in.npy'));
      expect(e.diagnostics).toHaveLength(1);
      expect(e.diagnostics[0]!.code).toBe('E_BAD_NPY');
      expect(e.diagnostics[0]!.file).toBe('in.npy');
      expect(e.message).toMatch(re);
      expect(e.message).not.toContain('\n');
    }
    const truncHeader = handNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)).subarray(0, 30);
    expect(errorOf(() => readNpy(truncHeader, 'x.npy')).message).toMatch(/runs past the end/);
    const v9 = handNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4));
    v9[6] = 9;
    expect(errorOf(() => readNpy(v9, 'x.npy')).message).toMatch(/version 9/);
  });
  it('never throws anything but a NeuromeshError on mutated files', () => {
    const good = writeNpy(Float32Array.of(1, 2, 3, 4), [2, 2]);
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { maxLength: 4 }), fc.nat(good.length), (muts, cut) => {
      const b = good.slice(0, cut);
      for (const [i, v] of muts) if (i < b.length) b[i] = v;
      try {
        readNpy(b, 'm.npy');
      } catch (e) {
        expect(e).toBeInstanceOf(NeuromeshError);
      }
    }), { numRuns: 500 });
  });
});
