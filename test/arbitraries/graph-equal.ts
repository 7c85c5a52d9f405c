import type { Graph } from '../../src/graph/graph.js';

/**
 * Bit-level comparison of two graphs for round-trip properties. Returns undefined when equal,
 * else a description of the first difference. Typed arrays must have the same constructor (dtype),
 * shapes must match, raw bytes must match (so −0 ≠ 0 and NaN payloads count); numbers compare with
 * Object.is; a field present on one side (value not undefined) must be present on the other.
 */
export function graphDifference(a: Graph, b: Graph): string | undefined {
  return diff(a, b, 'graph');
}

const TYPED = [Float32Array, Float64Array, Int32Array, Uint32Array, Uint16Array, Uint8Array, Int16Array, Int8Array];

function isTyped(x: unknown): x is ArrayBufferView & { length: number } {
  return TYPED.some((c) => x instanceof c);
}

function bytesOf(x: ArrayBufferView): Uint8Array {
  return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
}

function diff(a: unknown, b: unknown, path: string): string | undefined {
  if (isTyped(a) || isTyped(b)) {
    if (!isTyped(a) || !isTyped(b)) return `${path}: typed array vs ${isTyped(a) ? typeof b : typeof a}`;
    if (a.constructor !== b.constructor) return `${path}: ${a.constructor.name} vs ${b.constructor.name}`;
    const x = bytesOf(a);
    const y = bytesOf(b);
    if (x.length !== y.length) return `${path}: ${a.length} vs ${b.length} elements`;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `${path}: bytes differ at byte ${i}`;
    return undefined;
  }
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${path}: array vs non-array`;
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const r = diff(a[i], b[i], `${path}[${i}]`);
      if (r) return r;
    }
    return undefined;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    const missing = ka.filter((k) => !kb.includes(k));
    const extra = kb.filter((k) => !ka.includes(k));
    if (missing.length || extra.length) return `${path}: keys differ (only left: ${missing.join(',')}; only right: ${extra.join(',')})`;
    for (const k of ka) {
      const r = diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (r) return r;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}
