/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0): a reader for spike inputs and a writer
 * for outputs. Only plain numeric arrays: no object arrays, no structured dtypes.
 *
 * Layout: magic `\x93NUMPY`, major, minor, header length (uint16 for 1.0, uint32 for 2.0/3.0),
 * an ASCII (UTF-8 for 3.0) Python dict literal `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (T, N), }` padded with spaces and ending in '\n', then the raw data.
 */
import { checkInt } from '../number-intake.js';
import { diag, NeuromeshError, type Diagnostic } from '../errors.js';
import { MAX_ELEMENTS } from '../graph/nodes/checks.js';

export type NpyDType =
  | 'float32' | 'float64' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'bool';

/** What readNpy returns. int64/uint64 are read into Float64Array (refused when beyond 2^53). */
export type NpyArray =
  | { dtype: 'float32'; shape: number[]; data: Float32Array }
  | { dtype: 'float64' | 'int64' | 'uint64'; shape: number[]; data: Float64Array }
  | { dtype: 'int8'; shape: number[]; data: Int8Array }
  | { dtype: 'int16'; shape: number[]; data: Int16Array }
  | { dtype: 'int32'; shape: number[]; data: Int32Array }
  | { dtype: 'uint8' | 'bool'; shape: number[]; data: Uint8Array }
  | { dtype: 'uint16'; shape: number[]; data: Uint16Array }
  | { dtype: 'uint32'; shape: number[]; data: Uint32Array };

/** Typed arrays writeNpy accepts. */
export type NpyWritable =
  | Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** descr kind+size → dtype. Byte order is handled separately. */
const KINDS: Record<string, NpyDType> = {
  f4: 'float32', f8: 'float64', i1: 'int8', i2: 'int16', i4: 'int32', i8: 'int64',
  u1: 'uint8', u2: 'uint16', u4: 'uint32', u8: 'uint64', b1: 'bool',
};
const ITEMSIZE: Record<NpyDType, number> = {
  float32: 4, float64: 8, int8: 1, int16: 2, int32: 4, int64: 8, uint8: 1, uint16: 2, uint32: 4, uint64: 8, bool: 1,
};

function fail(message: string, file: string | undefined, field: string, hint?: string): never {
  const d: Diagnostic = diag('E_BAD_NPY', message, { ...(file ? { file } : {}), field, ...(hint ? { hint } : {}) });
  throw new NeuromeshError([d]);
}

interface Header {
  descr: string;
  fortran: boolean;
  shape: number[];
}

/** Parse the header dict without eval: three known keys, Python literal syntax. */
function parseHeader(text: string, file: string | undefined): Header {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) fail('header is not a Python dict literal', file, 'header');
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(t);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(t);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(t);
  if (!descr) fail("header has no 'descr' string", file, 'descr', 'structured and object arrays are not supported');
  if (!fortran) fail("header has no 'fortran_order' True/False", file, 'fortran_order');
  if (!shape) fail("header has no 'shape' tuple", file, 'shape');
  const dims = shape[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const out: number[] = [];
  for (const s of dims) {
    const d = checkInt(/^\d+L$/.test(s) ? s.slice(0, -1) : s, { what: 'shape entry', min: 0 });
    if (typeof d !== 'number') fail(d.message, file, 'shape');
    out.push(d);
  }
  return { descr: descr[1]!, fortran: fortran[1] === 'True', shape: out };
}

function dtypeOf(descr: string, file: string | undefined): { dtype: NpyDType; little: boolean } {
  const m = /^([<>|=])?([a-z])(\d+)$/.exec(descr);
  const dtype = m ? KINDS[`${m[2]}${m[3]}`] : undefined;
  if (!m || !dtype)
    fail(`unsupported dtype '${descr}'`, file, 'descr', 'use float32, float64, (u)int8/16/32/64 or bool');
  // '|' (not applicable) and '=' (native) occur for 1-byte types / native order; we treat native as little-endian.
  return { dtype, little: m[1] !== '>' };
}

/** Allocate and fill the typed array for `n` elements read from `view` at `offset`. */
function decode(dtype: NpyDType, little: boolean, view: DataView, offset: number, n: number, file: string | undefined): NpyArray['data'] {
  switch (dtype) {
    case 'float32': { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = view.getFloat32(offset + 4 * i, little); return a; }
    case 'float64': { const a = new Float64Array(n); for (let i = 0; i < n; i++) a[i] = view.getFloat64(offset + 8 * i, little); return a; }
    case 'int8': { const a = new Int8Array(n); for (let i = 0; i < n; i++) a[i] = view.getInt8(offset + i); return a; }
    case 'uint8': case 'bool': { const a = new Uint8Array(n); for (let i = 0; i < n; i++) a[i] = view.getUint8(offset + i); return a; }
    case 'int16': { const a = new Int16Array(n); for (let i = 0; i < n; i++) a[i] = view.getInt16(offset + 2 * i, little); return a; }
    case 'uint16': { const a = new Uint16Array(n); for (let i = 0; i < n; i++) a[i] = view.getUint16(offset + 2 * i, little); return a; }
    case 'int32': { const a = new Int32Array(n); for (let i = 0; i < n; i++) a[i] = view.getInt32(offset + 4 * i, little); return a; }
    case 'uint32': { const a = new Uint32Array(n); for (let i = 0; i < n; i++) a[i] = view.getUint32(offset + 4 * i, little); return a; }
    case 'int64': case 'uint64': {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = dtype === 'int64' ? view.getBigInt64(offset + 8 * i, little) : view.getBigUint64(offset + 8 * i, little);
        const x = Number(v);
        if (!Number.isSafeInteger(x)) fail(`${dtype} value ${v} at flat index ${i} is beyond 2^53`, file, 'data');
        a[i] = x;
      }
      return a;
    }
  }
}

/** C-order copy of a Fortran-order array. */
function fortranToC<T extends NpyArray['data']>(src: T, shape: number[]): T {
  const n = src.length;
  const dst = new (src.constructor as new (n: number) => T)(n);
  const r = shape.length;
  const idx = new Array<number>(r).fill(0);
  // walk C order; Fortran flat index = Σ idx[k]·Π_{m<k} shape[m]
  const fstride = new Array<number>(r);
  let s = 1;
  for (let k = 0; k < r; k++) { fstride[k] = s; s *= shape[k]!; }
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let k = 0; k < r; k++) f += idx[k]! * fstride[k]!;
    dst[c] = src[f]!;
    for (let k = r - 1; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return dst;
}

/**
 * Read a `.npy` file. Checks the magic, version, header and declared size against the bytes
 * present before allocating; every problem is a NeuromeshError with one E_BAD_NPY diagnostic
 * naming `file`. Fortran-order arrays are returned in C order.
 */
export function readNpy(bytes: Uint8Array, file?: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    fail('not a NumPy .npy file (bad magic bytes)', file, 'magic', 'save the array with numpy.save');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('file truncated inside the header length', file, 'header');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    fail(`unsupported .npy format version ${major}.${bytes[7]}`, file, 'version', 'versions 1.0, 2.0 and 3.0 are read');
  }
  if (start + headerLen > bytes.length) fail(`header of ${headerLen} bytes runs past the end of the file (${bytes.length} bytes)`, file, 'header');
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const h = parseHeader(text, file);
  const { dtype, little } = dtypeOf(h.descr, file);
  let n = 1;
  for (const d of h.shape) n *= d;
  if (n > MAX_ELEMENTS) fail(`shape (${h.shape.join(', ')}) has ${n} elements, more than ${MAX_ELEMENTS}`, file, 'shape');
  const dataStart = start + headerLen;
  const need = n * ITEMSIZE[dtype];
  if (bytes.length - dataStart < need)
    fail(`shape (${h.shape.join(', ')}) of ${h.descr} needs ${need} data bytes but the file has ${bytes.length - dataStart}`, file, 'shape', 'the file is truncated or its header is wrong');
  let data = decode(dtype, little, view, dataStart, n, file);
  if (h.fortran && h.shape.length > 1) data = fortranToC(data, h.shape);
  return { dtype, shape: h.shape, data } as NpyArray;
}

function descrOf(data: NpyWritable): string {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Int8Array) return '|i1';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof Uint16Array) return '<u2';
  return '<u4';
}

/**
 * Write a C-order `.npy` (format 1.0, or 2.0 when the header needs it) holding `data` with
 * `shape` (product must equal data.length; [] is a scalar). Little-endian on any host.
 */
export function writeNpy(data: NpyWritable, shape: readonly number[]): Uint8Array {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`writeNpy: bad dimension ${d}`);
    n *= d;
  }
  if (n !== data.length) throw new RangeError(`writeNpy: shape (${shape.join(', ')}) holds ${n} values, data has ${data.length}`);
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descrOf(data)}', 'fortran_order': False, 'shape': ${tuple}, }`;
  // numpy pads so that the data starts at a multiple of 64 bytes
  let version = 1;
  let pre = 10;
  if (dict.length + 1 + 64 > 65535) { version = 2; pre = 12; }
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  const header = dict + ' '.repeat(total - pre - dict.length - 1) + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  const bytesPerEl = data.BYTES_PER_ELEMENT;
  const hostLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const src = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (hostLittle || bytesPerEl === 1) out.set(src, total);
  else for (let i = 0; i < data.length; i++) for (let b = 0; b < bytesPerEl; b++) out[total + i * bytesPerEl + b] = src[i * bytesPerEl + bytesPerEl - 1 - b]!;
  return out;
}
