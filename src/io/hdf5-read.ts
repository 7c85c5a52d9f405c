/**
 * Defensive reading of HDF5 datasets through h5wasm: every declared size is checked against
 * sane limits and the file size BEFORE any data is read, and every failure becomes one
 * Diagnostic naming the file, node and field (thrown as a FieldError, caught at the reader's
 * boundary).
 */
import { checkInt } from '../number-intake.js';
import { diag, type Diagnostic, type ErrorCode } from '../errors.js';
import { isWasmAbort, type H5 } from './hdf5-module.js';
import type * as H5Types from 'h5wasm/node';

export type H5Dataset = H5Types.Dataset;
export type H5Group = H5Types.Group;
export type H5Entity = H5Types.Entity;

/** Most elements one dataset may declare (refused before reading). */
export const MAX_DATASET_ELEMENTS = 2 ** 31 - 1;
/** Most bytes one dataset may decompress to. */
export const MAX_DATASET_BYTES = 2 ** 30;
/**
 * A compressed dataset may expand to at most this many times the file size (gzip of an all-zero
 * array reaches about 1000:1); an uncompressed one must fit in the file.
 */
export const MAX_EXPANSION = 1100;
/** Slack (bytes) for tiny datasets stored compactly in object headers. */
const SMALL_DATASET_BYTES = 64 * 1024;

/** Where in the file a value comes from (for diagnostics). */
export interface Where {
  file?: string;
  node?: string;
  field?: string;
}

/** A problem found while reading: carries the one Diagnostic to report. */
export class FieldError extends Error {
  readonly diagnostic: Diagnostic;
  constructor(d: Diagnostic) {
    super(d.message);
    this.diagnostic = d;
  }
}

export function fail(code: ErrorCode, message: string, where: Where, hint?: string): never {
  const extra: Omit<Diagnostic, 'code' | 'message'> = {};
  if (where.file) extra.file = where.file;
  if (where.node) extra.node = where.node;
  if (where.field) extra.field = where.field;
  if (hint) extra.hint = hint;
  throw new FieldError(diag(code, message, extra));
}

/** Run an HDF5 call; an HDF5 error becomes a diagnostic at `where` (wasm aborts propagate). */
export function guard<T>(where: Where, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FieldError || isWasmAbort(e)) throw e;
    const msg = (e instanceof Error ? e.message.split('\n')[0] : String(e)) ?? '';
    // h5wasm's generic "error - name not defined!" says nothing HDF5's failure did not
    const detail = msg && !/name not defined/i.test(msg) ? ` (${msg.slice(0, 120)})` : ': the file is corrupt there';
    return fail('E_HDF5', `HDF5 cannot ${what}${detail}`, where, 'the file is corrupt or not written by a NIR exporter');
  }
}

export type DataClass = 'int' | 'float' | 'string' | 'enum' | 'other';

export interface DatasetInfo {
  cls: DataClass;
  /** Element size in bytes (for vlen strings: the pointer size). */
  size: number;
  signed: boolean;
  littleEndian: boolean;
  vlen: boolean;
  shape: number[];
  numel: number;
  dtypeName: string;
}

/** Context for reading: the live module and the file size (for the expansion check). */
export interface ReadContext {
  h5: H5;
  fileSize: number;
  file?: string;
  /**
   * Group members left to visit in the whole file. Hard links can make groups contain their own
   * ancestors; with the nesting limit alone, two such links would give 2^depth visits.
   */
  budget?: { left: number };
}

/** Group members a reader visits in one file at most (legitimate NIR files have hundreds). */
export const MAX_GROUP_MEMBERS_VISITED = 200_000;

function classOf(h5: H5, type: number): DataClass {
  const t = (h5.Module as unknown as { H5T_class_t: Record<string, { value: number }> }).H5T_class_t;
  if (type === t.H5T_INTEGER?.value) return 'int';
  if (type === t.H5T_FLOAT?.value) return 'float';
  if (type === t.H5T_STRING?.value) return 'string';
  if (type === t.H5T_ENUM?.value) return 'enum';
  return 'other';
}

export function describe(info: DatasetInfo): string {
  return `${info.dtypeName} dataset of shape [${info.shape.join(', ')}]`;
}

/** Metadata of a dataset, with its declared size checked against the limits. */
export function datasetInfo(ctx: ReadContext, ds: H5Dataset, where: Where): DatasetInfo {
  const m = guard(where, 'read the dataset header', () => ds.metadata);
  const rawShape: unknown = m.shape;
  if (rawShape === null || rawShape === undefined) fail('E_BAD_DATASET', 'dataset has a null dataspace (no values)', where);
  if (!Array.isArray(rawShape) || rawShape.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0))
    fail('E_BAD_DATASET', 'dataset has an unreadable shape', where);
  const shape = rawShape as number[];
  if (shape.length > 32) fail('E_ABSURD_SIZE', `dataset declares ${shape.length} dimensions`, where, 'the file is corrupt or hostile');
  let numel = 1;
  for (const d of shape) numel *= d;
  if (numel > MAX_DATASET_ELEMENTS)
    fail('E_ABSURD_SIZE', `dataset declares shape [${shape.join(', ')}] = ${numel} elements, more than ${MAX_DATASET_ELEMENTS}`, where, 'refused before allocating: the file is corrupt or hostile');
  const cls = classOf(ctx.h5, m.type);
  const size = typeof m.size === 'number' && m.size > 0 ? m.size : 1;
  const bytes = numel * size;
  const filtered = Array.isArray(m.chunks) && m.chunks.length > 0 ? safeFilters(ds).length > 0 : false;
  const limit = Math.min(MAX_DATASET_BYTES, (filtered ? MAX_EXPANSION : 1) * ctx.fileSize + SMALL_DATASET_BYTES);
  if (bytes > limit)
    fail('E_ABSURD_SIZE', `dataset declares shape [${shape.join(', ')}] (${bytes} bytes) but the file has only ${ctx.fileSize} bytes`, where, 'refused before allocating: the file is corrupt or hostile');
  const signed = Boolean(m.signed);
  const vlen = Boolean(m.vlen);
  const dtypeName = cls === 'int' ? `${signed ? 'int' : 'uint'}${size * 8}`
    : cls === 'float' ? `float${size * 8}`
      : cls === 'string' ? (vlen ? 'string' : `string${size}`)
        : cls;
  return { cls, size, signed, littleEndian: m.littleEndian !== false, vlen, shape, numel, dtypeName };
}

function safeFilters(ds: H5Dataset): unknown[] {
  try {
    return ds.filters;
  } catch {
    return [];
  }
}

function readValue(ds: H5Dataset, where: Where): unknown {
  return guard(where, 'read the dataset values', () => ds.value);
}

export function asDataset(ctx: ReadContext, e: H5Entity | null, where: Where, expect: string): H5Dataset {
  if (e instanceof ctx.h5.Dataset) return e;
  return fail('E_WRONG_TYPE', `expected ${expect}, found ${entityName(ctx, e)}`, where);
}

export function entityName(ctx: ReadContext, e: H5Entity | null): string {
  if (e === null || e === undefined) return 'nothing';
  if (e instanceof ctx.h5.Group) return 'a group';
  if (e instanceof ctx.h5.Dataset) return 'a dataset';
  return `a ${(e as { constructor?: { name?: string } }).constructor?.name ?? 'link'}`;
}

/** A float array (float32 or float64 kept; integers widened to float64). */
export function readFloats(ctx: ReadContext, ds: H5Dataset, where: Where): { dtype: 'float32' | 'float64'; shape: number[]; data: Float32Array | Float64Array } {
  const info = datasetInfo(ctx, ds, where);
  if (!info.littleEndian) fail('E_WRONG_DTYPE', `big-endian ${describe(info)} is not supported`, where, 'write the array as little-endian float32 or float64');
  if (info.cls === 'float') {
    if (info.size !== 4 && info.size !== 8) fail('E_WRONG_DTYPE', `expected a float32 or float64 array, found ${describe(info)}`, where);
    const v = readValue(ds, where);
    if (info.size === 4 && v instanceof Float32Array && v.length === info.numel) return { dtype: 'float32', shape: info.shape, data: v };
    if (info.size === 8 && v instanceof Float64Array && v.length === info.numel) return { dtype: 'float64', shape: info.shape, data: v };
    if (typeof v === 'number' && info.numel === 1)
      return info.size === 4 ? { dtype: 'float32', shape: info.shape, data: Float32Array.of(v) } : { dtype: 'float64', shape: info.shape, data: Float64Array.of(v) };
    return fail('E_HDF5', `HDF5 returned ${describeValue(v)} for ${describe(info)}`, where);
  }
  if (info.cls === 'int') {
    const ints = readIntValues(ctx, ds, info, where);
    return { dtype: 'float64', shape: info.shape, data: Float64Array.from(ints) };
  }
  return fail('E_WRONG_DTYPE', `expected a float array, found ${describe(info)}`, where, 'NIR parameters are float32 or float64 datasets');
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as { length: number }).length})`;
  return typeof v;
}

function readIntValues(ctx: ReadContext, ds: H5Dataset, info: DatasetInfo, where: Where): number[] {
  if (!info.littleEndian) fail('E_WRONG_DTYPE', `big-endian ${describe(info)} is not supported`, where);
  const v = readValue(ds, where);
  const out: number[] = [];
  const push = (x: number | bigint): void => {
    const n = typeof x === 'bigint' ? Number(x) : x;
    if (typeof x === 'bigint' && (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER)))
      fail('E_ABSURD_SIZE', `integer ${x} is beyond ±2^53 (an exact integer)`, where);
    out.push(n);
  };
  if (typeof v === 'number' || typeof v === 'bigint') push(v);
  else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) for (const x of v as unknown as Iterable<number | bigint>) push(x);
  else fail('E_HDF5', `HDF5 returned ${describeValue(v)} for ${describe(info)}`, where);
  if (out.length !== info.numel) fail('E_HDF5', `HDF5 returned ${out.length} values for ${describe(info)}`, where);
  return out;
}

/** Integers (any integer dtype; floats accepted when they hold whole numbers). */
export function readInts(ctx: ReadContext, ds: H5Dataset, where: Where): { shape: number[]; values: number[] } {
  const info = datasetInfo(ctx, ds, where);
  if (info.cls === 'int') return { shape: info.shape, values: readIntValues(ctx, ds, info, where) };
  if (info.cls === 'float') {
    const f = readFloats(ctx, ds, where);
    const values = Array.from(f.data);
    if (values.some((x) => !Number.isInteger(x))) fail('E_WRONG_DTYPE', `expected integers, found non-integral values in ${describe(info)}`, where);
    return { shape: info.shape, values };
  }
  return fail('E_WRONG_DTYPE', `expected an integer dataset, found ${describe(info)}`, where);
}

/** The raw typed array of an integer dataset (for CSR index arrays), keeping its dtype. */
export function readIndex(ctx: ReadContext, ds: H5Dataset, where: Where): Int32Array | Uint32Array | Uint8Array | Uint16Array {
  const info = datasetInfo(ctx, ds, where);
  if (info.cls !== 'int') fail('E_WRONG_DTYPE', `expected an integer index array, found ${describe(info)}`, where);
  if (info.size === 1 || info.size === 2 || info.size === 4) {
    const v = readValue(ds, where);
    const ok = (v instanceof Int32Array || v instanceof Uint32Array || v instanceof Uint8Array || v instanceof Uint16Array) && v.length === info.numel;
    if (ok) return v;
    if (typeof v === 'number' && info.numel === 1) return info.signed ? Int32Array.of(v) : Uint32Array.of(v);
    if ((v instanceof Int8Array || v instanceof Int16Array) && v.length === info.numel) return Int32Array.from(v);
  }
  const values = readIntValues(ctx, ds, info, where);
  for (let k = 0; k < values.length; k++) {
    const d = checkInt(values[k], { what: `index value`, target: 'uint32' });
    if (typeof d !== 'number') fail('E_BAD_FIELD', `${d.message} (at flat position ${k})`, where);
  }
  return Uint32Array.from(values);
}

/** Strings (variable or fixed length; bytes are decoded as UTF-8). */
export function readStrings(ctx: ReadContext, ds: H5Dataset, where: Where, maxCount: number): { shape: number[]; values: string[] } {
  const info = datasetInfo(ctx, ds, where);
  if (info.numel === 0) return { shape: info.shape, values: [] };
  if (info.cls !== 'string') fail('E_WRONG_DTYPE', `expected a string dataset, found ${describe(info)}`, where);
  if (info.numel > maxCount) fail('E_ABSURD_SIZE', `dataset holds ${info.numel} strings, more than ${maxCount}`, where, 'the file is corrupt or hostile');
  const v = readValue(ds, where);
  const values = typeof v === 'string' ? [v] : Array.isArray(v) ? v.flat(32) : undefined;
  if (!values || values.length !== info.numel || values.some((s) => typeof s !== 'string'))
    fail('E_HDF5', `HDF5 returned ${describeValue(v)} for ${describe(info)}`, where);
  return { shape: info.shape, values: values as string[] };
}

export function readString(ctx: ReadContext, ds: H5Dataset, where: Where): string {
  const { values } = readStrings(ctx, ds, where, 1);
  if (values.length !== 1) fail('E_WRONG_DTYPE', `expected one string, found ${values.length}`, where);
  return values[0]!;
}

/** Children of a group, with a count limit (names only; nothing is read). */
export function groupKeys(ctx: ReadContext, g: H5Group, where: Where, max: number): string[] {
  const keys = guard(where, 'list the group', () => g.keys());
  if (!Array.isArray(keys)) fail('E_HDF5', 'HDF5 returned no member list', where);
  if (keys.length > max) fail('E_ABSURD_SIZE', `group has ${keys.length} members, more than ${max}`, where, 'the file is corrupt or hostile');
  if (ctx.budget) {
    ctx.budget.left -= keys.length;
    if (ctx.budget.left < 0)
      fail('E_ABSURD_SIZE', `the file holds more than ${MAX_GROUP_MEMBERS_VISITED} group members (linked groups repeat?)`, where, 'the file is corrupt or hostile');
  }
  return keys;
}

export function child(ctx: ReadContext, g: H5Group, name: string, where: Where): H5Entity | null {
  return guard(where, `open '${name}'`, () => g.get(name));
}
