import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLittleEndian, toLittleEndian } from '../../src/io/proto/le-bytes.js';

const CASES = [
  { ctor: Float32Array, arb: fc.float32Array({ maxLength: 40 }), put: (v: DataView, i: number, x: number) => v.setFloat32(i, x, true) },
  { ctor: Float64Array, arb: fc.float64Array({ maxLength: 40 }), put: (v: DataView, i: number, x: number) => v.setFloat64(i, x, true) },
  { ctor: Int32Array, arb: fc.int32Array({ maxLength: 40 }), put: (v: DataView, i: number, x: number) => v.setInt32(i, x, true) },
  { ctor: Uint32Array, arb: fc.uint32Array({ maxLength: 40 }), put: (v: DataView, i: number, x: number) => v.setUint32(i, x, true) },
  { ctor: Uint16Array, arb: fc.uint16Array({ maxLength: 40 }), put: (v: DataView, i: number, x: number) => v.setUint16(i, x, true) },
  { ctor: Uint8Array, arb: fc.uint8Array({ maxLength: 40 }), put: (v: DataView, i: number, x: number) => v.setUint8(i, x) },
] as const;

describe('little-endian byte arrays', () => {
  it('a float64 1.0 is 00 00 00 00 00 00 f0 3f on the wire', () => {
    expect([...toLittleEndian(new Float64Array([1]))]).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    expect([...toLittleEndian(new Float64Array([1]), false)]).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  });

  for (const { ctor, arb, put } of CASES) {
    it(`${ctor.name}: both host paths write the DataView little-endian bytes and read them back bit-equal from any offset`, () => {
      fc.assert(
        fc.property(arb, fc.integer({ min: 0, max: 7 }), (a, offset) => {
          const expected = new Uint8Array(a.byteLength);
          const view = new DataView(expected.buffer);
          a.forEach((x: number, i: number) => put(view, i * ctor.BYTES_PER_ELEMENT, x));
          for (const host of [true, false]) expect([...toLittleEndian(a, host)]).toEqual([...expected]);
          const shifted = new Uint8Array(expected.length + offset);
          shifted.set(expected, offset);
          for (const host of [true, false]) {
            const back = fromLittleEndian(shifted.subarray(offset), ctor as never, host) as unknown as typeof a;
            expect(back.constructor).toBe(ctor);
            expect(back.byteOffset).toBe(0);
            expect([...new Uint8Array(back.buffer)]).toEqual([...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)]);
          }
        }),
        { numRuns: 60 },
      );
    });
  }
});
