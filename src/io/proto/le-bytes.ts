import type { FloatArray, IndexArray } from '../../graph/tensor.js';

type Numeric = FloatArray | IndexArray;
type Ctor<T extends Numeric> = { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number };

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const SETTERS = new Map<Function, (v: DataView, at: number, x: number) => void>([
  [Float32Array, (v, at, x) => v.setFloat32(at, x, true)],
  [Float64Array, (v, at, x) => v.setFloat64(at, x, true)],
  [Int32Array, (v, at, x) => v.setInt32(at, x, true)],
  [Uint32Array, (v, at, x) => v.setUint32(at, x, true)],
  [Uint16Array, (v, at, x) => v.setUint16(at, x, true)],
  [Uint8Array, (v, at, x) => v.setUint8(at, x)],
]);

/** The little-endian bytes of a typed array (a view on little-endian hosts, a copy otherwise). */
export function toLittleEndian(a: Numeric, hostLittleEndian = LITTLE_ENDIAN): Uint8Array {
  if (hostLittleEndian) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  const set = SETTERS.get(a.constructor)!;
  for (let i = 0; i < a.length; i++) set(view, i * a.BYTES_PER_ELEMENT, a[i]!);
  return out;
}

/**
 * A fresh typed array from little-endian bytes. The caller has checked that the byte length is a
 * multiple of the element size (`hostLittleEndian` is only overridden by tests, to run the
 * big-endian path on any host). Always copies into a new ArrayBuffer: the source bytes are a view
 * into the file buffer at an arbitrary (possibly unaligned) offset.
 */
export function fromLittleEndian<T extends Numeric>(bytes: Uint8Array, ctor: Ctor<T>, hostLittleEndian = LITTLE_ENDIAN): T {
  const buf = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buf).set(bytes);
  if (hostLittleEndian || ctor.BYTES_PER_ELEMENT === 1) return new ctor(buf);
  const out = new ctor(new ArrayBuffer(bytes.byteLength));
  const view = new DataView(buf);
  const size = ctor.BYTES_PER_ELEMENT;
  const get: (at: number) => number =
    ctor === (Float32Array as unknown) ? (at) => view.getFloat32(at, true)
    : ctor === (Float64Array as unknown) ? (at) => view.getFloat64(at, true)
    : ctor === (Int32Array as unknown) ? (at) => view.getInt32(at, true)
    : ctor === (Uint32Array as unknown) ? (at) => view.getUint32(at, true)
    : (at) => view.getUint16(at, true);
  for (let i = 0; i < out.length; i++) out[i] = get(i * size);
  return out;
}
