/**
 * NIR `metadata` groups: free-form key/value trees, kept as read and written back (never
 * interpreted). Numbers, strings, number and string arrays, booleans and nested groups.
 */
import type { Metadata, MetaValue } from '../graph/spec.js';
import { asDataset, child, datasetInfo, groupKeys, readFloats, readInts, readStrings, type H5Group, type ReadContext, type Where } from './hdf5-read.js';

const MAX_META_DEPTH = 16;
const MAX_META_KEYS = 4096;
/** Attribute marking a uint8 dataset that holds a boolean (written by neuromesh). */
const BOOL_ATTR = 'neuromesh_bool';

/** Read a metadata group; datasets of other types (compound, references, …) are skipped. */
export function readMetadata(ctx: ReadContext, g: H5Group, where: Where, depth = 0): Metadata {
  const out: Metadata = {};
  if (depth > MAX_META_DEPTH) return out;
  for (const key of groupKeys(ctx, g, where, MAX_META_KEYS)) {
    const at: Where = { ...where, field: `metadata/${key}` };
    const e = child(ctx, g, key, at);
    if (e instanceof ctx.h5.Group) {
      out[key] = readMetadata(ctx, e, at, depth + 1);
      continue;
    }
    if (!(e instanceof ctx.h5.Dataset)) continue;
    const ds = asDataset(ctx, e, at, 'a dataset');
    const info = datasetInfo(ctx, ds, at);
    let v: MetaValue | undefined;
    if (info.cls === 'string') {
      const s = readStrings(ctx, ds, at, MAX_META_KEYS * 16).values;
      v = info.shape.length === 0 ? s[0]! : s;
    } else if (info.cls === 'float') {
      const t = readFloats(ctx, ds, at);
      v = info.shape.length === 0 ? t.data[0]! : Array.from(t.data);
    } else if (info.cls === 'int' || info.cls === 'enum') {
      if (info.cls === 'enum' && info.size !== 1) continue;
      const values = info.cls === 'int' ? readInts(ctx, ds, at).values : enumValues(ds);
      if (!values) continue;
      const scalar = info.shape.length === 0;
      // booleans: h5py's enum {FALSE, TRUE}, or neuromesh's marked uint8 (lists of booleans are read as 0/1)
      if ((info.cls === 'enum' || hasBoolAttr(ds)) && scalar) v = values[0] !== 0;
      else v = scalar ? values[0]! : values;
    }
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function hasBoolAttr(ds: { attrs: Record<string, unknown> }): boolean {
  try {
    return Object.prototype.hasOwnProperty.call(ds.attrs, BOOL_ATTR);
  } catch {
    return false;
  }
}

/** h5py writes numpy bools as an int8 enum {FALSE, TRUE}. */
function enumValues(ds: { value: unknown }): number[] | undefined {
  try {
    const v = ds.value;
    if (typeof v === 'number') return [v];
    if (v instanceof Int8Array || v instanceof Uint8Array) return Array.from(v);
  } catch {
    return undefined;
  }
  return undefined;
}

/** Write a metadata tree under `g` (h5py-compatible dtypes). */
export function writeMetadata(g: H5Group, meta: Metadata): void {
  for (const [key, v] of Object.entries(meta)) {
    if (typeof v === 'string') g.create_dataset({ name: key, data: v });
    else if (typeof v === 'number') g.create_dataset({ name: key, data: Float64Array.of(v), shape: [] });
    else if (typeof v === 'boolean') {
      const d = g.create_dataset({ name: key, data: Uint8Array.of(v ? 1 : 0), shape: [] });
      d.create_attribute(BOOL_ATTR, 1);
    } else if (Array.isArray(v)) {
      if (v.every((x) => typeof x === 'string')) {
        if (v.length) g.create_dataset({ name: key, data: v as string[], shape: [v.length] });
        else g.create_dataset({ name: key, data: new Float64Array(0), shape: [0] });
      } else g.create_dataset({ name: key, data: Float64Array.from(v as number[]), shape: [v.length] });
    } else writeMetadata(g.create_group(key, true), v);
  }
}
