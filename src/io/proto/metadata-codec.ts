import { diag, type Diagnostic } from '../../errors.js';
import type { Metadata, MetaValue } from '../../graph/spec.js';
import type { MetaMapObj, MetaValueObj } from './graph-messages.js';
import { printable } from './printable.js';

/** Metadata → MetaMap, keeping key order; every value type of MetaValue has its own oneof member. */
export function encodeMetadata(m: Metadata): MetaMapObj {
  return { entries: Object.entries(m).map(([key, value]) => ({ key, value: encodeValue(value) })) };
}

function encodeValue(v: MetaValue): MetaValueObj {
  if (typeof v === 'string') return { string_value: v };
  if (typeof v === 'number') return { number_value: v };
  if (typeof v === 'boolean') return { bool_value: v };
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') return { strings: { values: (v as string[]).map(String) } };
    return { numbers: { values: (v as number[]).map(Number) } };
  }
  return { map: encodeMetadata(v) };
}

/** MetaMap → Metadata; a value with no member set is reported, keys are set as own data properties. */
export function decodeMetadata(m: MetaMapObj, where: Omit<Diagnostic, 'code' | 'message'>, out: Diagnostic[]): Metadata {
  const res: Metadata = {};
  for (const e of m.entries ?? []) {
    const key = e.key ?? '';
    const v = decodeValue(e.value ?? {}, key, where, out);
    if (v !== undefined) Object.defineProperty(res, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return res;
}

function decodeValue(v: MetaValueObj, key: string, where: Omit<Diagnostic, 'code' | 'message'>, out: Diagnostic[]): MetaValue | undefined {
  switch (v.kind) {
    case 'string_value': return v.string_value ?? '';
    case 'number_value': return v.number_value ?? 0;
    case 'bool_value': return v.bool_value ?? false;
    case 'numbers': return [...(v.numbers?.values ?? [])];
    case 'strings': return [...(v.strings?.values ?? [])];
    case 'map': return decodeMetadata(v.map ?? {}, where, out);
    default:
      out.push(diag('E_BAD_FIELD', `metadata entry '${printable(key, 40)}' has no value`, { ...where, field: 'metadata' }));
      return undefined;
  }
}
