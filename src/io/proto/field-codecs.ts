import { diag, type Diagnostic } from '../../errors.js';
import { MAX_ELEMENTS, shapeProblem } from '../../graph/nodes/checks.js';
import type { FieldType } from '../../graph/spec.js';
import { formatShape, numel, type FloatTensor, type IndexArray } from '../../graph/tensor.js';
import { FLOAT_DTYPE, type FieldObj, type Int64 } from './graph-messages.js';
import { fromLittleEndian, toLittleEndian } from './le-bytes.js';

/** Where a field lives, for diagnostics. */
export interface FieldWhere {
  file?: string;
  node: string;
  field: string;
}

/** A field value of the graph IR (what a node object holds under a field name). */
export type FieldValue = FloatTensor | number[] | number | string | string[] | IndexArray;

/**
 * One codec per FieldType (spec.ts): which oneof member of FieldMsg carries it, how a value becomes
 * that member, and how the member becomes a value again. Encode returns a diagnostic when the value
 * cannot be written faithfully (so a written file always reads back equal).
 */
export interface FieldCodec {
  readonly member: keyof FieldObj;
  encode(v: unknown, at: FieldWhere): Partial<FieldObj> | Diagnostic;
  decode(f: FieldObj, at: FieldWhere): FieldValue | Diagnostic;
}

const bad = (at: FieldWhere, message: string, hint?: string): Diagnostic =>
  diag('E_BAD_FIELD', message, { ...at, ...(hint ? { hint } : {}) });

const FLOAT_CTORS = { 1: Float32Array, 2: Float64Array } as const;
const INDEX_CTORS = { 1: Int32Array, 2: Uint32Array, 3: Uint8Array, 4: Uint16Array } as const;
const INDEX_NAMES = { 1: 'int32', 2: 'uint32', 3: 'uint8', 4: 'uint16' } as const;

function isSafeInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x);
}

/** A sint64 read as a decimal string (or number) → a safe integer, or undefined. */
function int64(x: Int64 | undefined): number | undefined {
  if (x === undefined) return 0;
  if (typeof x === 'number') return Number.isSafeInteger(x) ? x : undefined;
  if (!/^-?\d+$/.test(x)) return undefined;
  const n = Number(x);
  return Number.isSafeInteger(n) && String(n) === String(BigInt(x)) ? n : undefined;
}

function isFloatTensor(v: unknown): v is FloatTensor {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as { dtype?: unknown; shape?: unknown; data?: unknown };
  return Array.isArray(t.shape) &&
    ((t.dtype === 'float32' && t.data instanceof Float32Array) || (t.dtype === 'float64' && t.data instanceof Float64Array));
}

function isIndexArray(v: unknown): v is IndexArray {
  return v instanceof Int32Array || v instanceof Uint32Array || v instanceof Uint8Array || v instanceof Uint16Array;
}

const tensor: FieldCodec = {
  member: 'tensor',
  encode(v, at) {
    if (!isFloatTensor(v)) return bad(at, 'expected a float32 or float64 tensor {dtype, shape, data}');
    const problem = shapeProblem(v.shape);
    if (problem) return diag('E_BAD_SHAPE', problem, at);
    if (numel(v.shape) !== v.data.length)
      return diag('E_BAD_SHAPE', `shape ${formatShape(v.shape)} holds ${numel(v.shape)} values but ${v.data.length} were given`, at);
    return { tensor: { dtype: FLOAT_DTYPE[v.dtype], shape: [...v.shape], data: toLittleEndian(v.data) } };
  },
  decode(f, at) {
    const t = f.tensor ?? {};
    const dt = t.dtype ?? 0;
    if (dt !== 1 && dt !== 2) return bad(at, `tensor has unknown dtype ${dt}`, 'expected FLOAT_DTYPE_FLOAT32 or FLOAT_DTYPE_FLOAT64');
    const shape = [...(t.shape ?? [])];
    const problem = shapeProblem(shape);
    if (problem) return diag('E_BAD_SHAPE', problem, at);
    const data = t.data ?? new Uint8Array(0);
    const ctor = FLOAT_CTORS[dt];
    const expect = numel(shape) * ctor.BYTES_PER_ELEMENT;
    if (data.byteLength !== expect)
      return diag('E_BAD_SHAPE', `shape ${formatShape(shape)} of ${dt === 1 ? 'float32' : 'float64'} needs ${expect} bytes, data has ${data.byteLength}`, { ...at, hint: 'the file is truncated or corrupt' });
    return dt === 1
      ? { dtype: 'float32', shape, data: fromLittleEndian(data, Float32Array) }
      : { dtype: 'float64', shape, data: fromLittleEndian(data, Float64Array) };
  },
};

const ints: FieldCodec = {
  member: 'ints',
  encode(v, at) {
    if (!Array.isArray(v) || !v.every(isSafeInt)) return bad(at, 'expected a list of integers');
    return { ints: { values: [...v] } };
  },
  decode(f, at) {
    const raw = f.ints?.values ?? [];
    if (raw.length > MAX_ELEMENTS) return bad(at, `list of ${raw.length} integers is absurdly long`);
    const out: number[] = [];
    for (const x of raw) {
      const n = int64(x);
      if (n === undefined) return bad(at, `integer ${String(x)} is outside the safe range ±2^53`);
      out.push(n);
    }
    return out;
  },
};

const int: FieldCodec = {
  member: 'int_value',
  encode(v, at) {
    if (!isSafeInt(v)) return bad(at, `expected an integer, got ${String(v)}`);
    return { int_value: v };
  },
  decode(f, at) {
    const n = int64(f.int_value);
    return n === undefined ? bad(at, `integer ${String(f.int_value)} is outside the safe range ±2^53`) : n;
  },
};

const float: FieldCodec = {
  member: 'float_value',
  encode: (v, at) => (typeof v === 'number' ? { float_value: v } : bad(at, `expected a number, got ${typeof v}`)),
  decode: (f) => f.float_value ?? 0,
};

const string: FieldCodec = {
  member: 'string_value',
  encode: (v, at) => (typeof v === 'string' ? { string_value: v } : bad(at, `expected a string, got ${typeof v}`)),
  decode: (f) => f.string_value ?? '',
};

const strings: FieldCodec = {
  member: 'strings',
  encode: (v, at) =>
    Array.isArray(v) && v.every((s) => typeof s === 'string') ? { strings: { values: [...v] } } : bad(at, 'expected a list of strings'),
  decode: (f) => [...(f.strings?.values ?? [])],
};

const index: FieldCodec = {
  member: 'index',
  encode(v, at) {
    if (!isIndexArray(v)) return bad(at, 'expected an Int32Array, Uint32Array, Uint16Array or Uint8Array');
    const dt = v instanceof Int32Array ? 1 : v instanceof Uint32Array ? 2 : v instanceof Uint8Array ? 3 : 4;
    return { index: { dtype: dt, data: toLittleEndian(v) } };
  },
  decode(f, at) {
    const a = f.index ?? {};
    const dt = a.dtype ?? 0;
    if (dt !== 1 && dt !== 2 && dt !== 3 && dt !== 4) return bad(at, `index array has unknown dtype ${dt}`, 'expected INDEX_DTYPE_INT32, _UINT32, _UINT8 or _UINT16');
    const data = a.data ?? new Uint8Array(0);
    const ctor = INDEX_CTORS[dt];
    if (data.byteLength % ctor.BYTES_PER_ELEMENT !== 0)
      return diag('E_BAD_SHAPE', `${data.byteLength} bytes is not a whole number of ${INDEX_NAMES[dt]} values`, { ...at, hint: 'the file is truncated or corrupt' });
    return fromLittleEndian(data, ctor as unknown as { new (b: ArrayBuffer): IndexArray; BYTES_PER_ELEMENT: number });
  },
};

/** FieldType → codec: the protobuf side of the PRIMITIVES[kind].fields table. */
export const FIELD_CODECS: { readonly [T in FieldType]: FieldCodec } = { tensor, ints, int, float, string, strings, index };

