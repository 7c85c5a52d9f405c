/**
 * NIR field codecs, driven by PRIMITIVES[kind].fields (one reader and one writer per FieldType),
 * plus a table of the layout variants NIR exporters have written over versions 0.1–1.x.
 */
import type { FieldSpec, FieldType } from '../graph/spec.js';
import type { FloatTensor } from '../graph/tensor.js';
import type { FlatKind } from '../graph/registry.js';
import {
  asDataset, child, datasetInfo, entityName, fail, groupKeys, readFloats, readIndex, readInts, readString, readStrings,
  type H5Entity, type H5Group, type ReadContext, type Where,
} from './hdf5-read.js';

/** Most strings in one `strings` field. */
const MAX_STRINGS = 1 << 16;

/** 'ints' may be a dataset or (NIR ≥ 0.3 `input_type`) a group holding one dataset. */
function intsEntity(ctx: ReadContext, e: H5Entity | null, where: Where): number[] {
  if (e instanceof ctx.h5.Group) {
    const keys = groupKeys(ctx, e, where, 8);
    if (keys.length !== 1) fail('E_WRONG_TYPE', `expected an integer dataset, found a group with ${keys.length} members`, where);
    return intsEntity(ctx, child(ctx, e, keys[0]!, where), where);
  }
  return readInts(ctx, asDataset(ctx, e, where, 'an integer dataset'), where).values;
}

function scalarInt(ctx: ReadContext, e: H5Entity, where: Where): number {
  const v = intsEntity(ctx, e, where);
  if (v.length !== 1) fail('E_WRONG_TYPE', `expected one integer, found ${v.length} values`, where);
  return v[0]!;
}

/** Readers per field type: HDF5 entity → field value. */
export const FIELD_READERS: { [T in FieldType]: (ctx: ReadContext, e: H5Entity, where: Where) => unknown } = {
  tensor: (ctx, e, w) => readFloats(ctx, asDataset(ctx, e, w, 'a float dataset'), w) as FloatTensor,
  ints: intsEntity,
  int: scalarInt,
  float: (ctx, e, w) => {
    const t = readFloats(ctx, asDataset(ctx, e, w, 'a float dataset'), w);
    if (t.data.length !== 1) fail('E_WRONG_TYPE', `expected one number, found ${t.data.length} values`, w);
    return t.data[0]!;
  },
  string: (ctx, e, w) => readString(ctx, asDataset(ctx, e, w, 'a string dataset'), w),
  strings: (ctx, e, w) => readStrings(ctx, asDataset(ctx, e, w, 'a string dataset'), w, MAX_STRINGS).values,
  index: (ctx, e, w) => readIndex(ctx, asDataset(ctx, e, w, 'an integer dataset'), w),
};

/** A layout variant of one field in files written by NIR exporters. */
export interface FieldQuirk {
  /** Other dataset names the field has been written under (first found wins). */
  aliases?: readonly string[];
  /** NIR's default when the field is absent. */
  default?: number;
  /** A single integer stands for this many equal values (stride 2 → [2, 2]). */
  broadcast?: number;
  /** Padding may be the string 'same' or 'valid' (resolved from the kernel; see resolvePadding). */
  paddingString?: boolean;
  /** Absent in NIR 0.1 files: inferred from the graph after reading (Output shape). */
  inferred?: boolean;
}

const conv = (dims: number): Record<string, FieldQuirk> => ({
  stride: { broadcast: dims }, padding: { broadcast: dims, paddingString: true }, dilation: { broadcast: dims },
  input_shape: { broadcast: dims },
});
const pool: Record<string, FieldQuirk> = { kernel_size: { broadcast: 2 }, stride: { broadcast: 2 }, padding: { broadcast: 2 } };

/**
 * NIR's layout variants (nir/serialization.py, nir/ir/*.py of neuromorphs/NIR): Input/Output
 * `shape` (also `input_type`/`output_type`, a dataset or a group), Output without a shape in
 * NIR 0.1 writers, Conv/pool scalars for per-axis lists, Conv padding 'same'/'valid', Flatten
 * defaults start_dim = 1, end_dim = −1 (nir.ir.flatten) and `input_type` as a group.
 */
export const NIR_QUIRKS: Partial<Record<FlatKind, Record<string, FieldQuirk>>> = {
  Input: { shape: { aliases: ['input_type'] } },
  Output: { shape: { aliases: ['output_type'], inferred: true } },
  Conv1d: conv(1),
  Conv2d: conv(2),
  SumPool2d: pool,
  AvgPool2d: pool,
  Flatten: { start_dim: { default: 1 }, end_dim: { default: -1 } },
};

export interface ReadFieldsResult {
  fields: Record<string, unknown>;
  /** Fields left for the graph-level pass (Output shape of NIR 0.1 files). */
  inferred: string[];
  /** Conv padding given as a string, to resolve once the kernel is known. */
  paddingString?: string;
}

/** Read the fields of one node group, per its kind's field table. */
export function readFields(ctx: ReadContext, g: H5Group, kind: FlatKind, specFields: readonly FieldSpec[], where: Where): ReadFieldsResult {
  const present = new Set(groupKeys(ctx, g, where, 4096));
  const quirks = NIR_QUIRKS[kind] ?? {};
  const fields: Record<string, unknown> = {};
  const inferred: string[] = [];
  let paddingString: string | undefined;
  for (const f of specFields) {
    const q = quirks[f.name] ?? {};
    const at: Where = { ...where, field: f.name };
    const name = [f.name, ...(q.aliases ?? [])].find((n) => present.has(n));
    if (name === undefined) {
      if (q.default !== undefined) fields[f.name] = q.default;
      else if (q.inferred) inferred.push(f.name);
      else if (!f.optional) fail('E_MISSING_FIELD', `required field '${f.name}' is missing`, at, `a NIR ${kind} node needs: ${specFields.filter((x) => !x.optional).map((x) => x.name).join(', ')}`);
      continue;
    }
    const e = child(ctx, g, name, at);
    if (q.paddingString && e instanceof ctx.h5.Dataset && datasetInfo(ctx, e, at).cls === 'string') {
      paddingString = readString(ctx, e, at);
      continue;
    }
    let v = FIELD_READERS[f.type](ctx, e as H5Entity, at);
    if (q.broadcast !== undefined && Array.isArray(v) && v.length === 1 && q.broadcast > 1) v = new Array<number>(q.broadcast).fill(v[0] as number);
    fields[f.name] = v;
  }
  const out: ReadFieldsResult = { fields, inferred };
  if (paddingString !== undefined) out.paddingString = paddingString;
  return out;
}

/**
 * Conv padding 'valid' → zeros; 'same' → (dilation·(k − 1)) / 2 per axis, which must be even
 * (symmetric) and needs stride 1, as in PyTorch.
 */
export function resolvePadding(mode: string, weight: FloatTensor, stride: number[], dilation: number[], dims: number, where: Where): number[] {
  const at: Where = { ...where, field: 'padding' };
  if (mode === 'valid') return new Array<number>(dims).fill(0);
  if (mode !== 'same') return fail('E_BAD_FIELD', `padding '${mode}' is not 'same', 'valid' or integers`, at);
  if (stride.some((s) => s !== 1)) fail('E_BAD_FIELD', `padding 'same' needs stride 1, got [${stride.join(', ')}]`, at);
  const pads: number[] = [];
  for (let i = 0; i < dims; i++) {
    const k = weight.shape[2 + i] ?? 1;
    const total = (dilation[i] ?? 1) * (k - 1);
    if (total % 2 !== 0) fail('E_ASYMMETRIC_PADDING', `padding 'same' with kernel ${k} needs ${total} padding on axis ${i}, which is not symmetric`, at, 'neuromesh supports symmetric padding only; pad the input explicitly');
    pads.push(total / 2);
  }
  return pads;
}

export { entityName };
