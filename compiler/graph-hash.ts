import { createHash } from 'node:crypto';
import type { Graph } from '../src/graph/graph.js';
import { specOf } from '../src/graph/registry.js';

/**
 * SHA-256 of a graph's content: node kinds, names and every field in its spec's order (typed
 * arrays as their dtype, shape and little-endian bytes), then the edges. Metadata is ignored.
 */
export function graphHash(g: Graph): string {
  const h = createHash('sha256');
  const str = (s: string): void => {
    h.update(`${s.length}:`);
    h.update(s);
  };
  const bytes = (a: ArrayBufferView): void => {
    const le = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    str(`${a.constructor.name}/${a.byteLength}`);
    h.update(le);
  };
  for (const n of g.nodes) {
    str(n.kind);
    str(n.name);
    const rec = n as unknown as Record<string, unknown>;
    for (const f of specOf(n).fields) {
      const v = rec[f.name];
      str(f.name);
      if (v === undefined) str('-');
      else if (ArrayBuffer.isView(v)) bytes(v);
      else if (typeof v === 'object' && v !== null && 'data' in v && 'shape' in v) {
        const t = v as { dtype: string; shape: number[]; data: ArrayBufferView };
        str(`${t.dtype}[${t.shape.join(',')}]`);
        bytes(t.data);
      } else str(JSON.stringify(v));
    }
  }
  for (const e of g.edges) str(`${e.from}>${e.to}`);
  return h.digest('hex');
}
