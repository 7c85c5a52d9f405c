import fc from 'fast-check';

/** Byte-level damage to a file: flip, set, truncate, insert, delete, splice (fuzzers of the binary decoders). */
export type Mutation =
  | { op: 'flip'; at: number; mask: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; len: number }
  | { op: 'splice'; at: number; from: number; len: number };

export const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x22) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('splice' as const), at: fc.nat(), from: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
);

export function mutate(src: Uint8Array, m: Mutation): Uint8Array {
  const b = Uint8Array.from(src);
  const at = m.at % Math.max(1, b.length);
  switch (m.op) {
    case 'flip': b[at] ^= m.mask; return b;
    case 'set': b[at] = m.value; return b;
    case 'truncate': return b.subarray(0, at);
    case 'insert': return new Uint8Array([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
    case 'delete': return new Uint8Array([...b.subarray(0, at), ...b.subarray(at + m.len)]);
    case 'splice': {
      // copy a chunk of the file over another place (duplicated tags, lengths and payloads)
      const from = m.from % b.length;
      return new Uint8Array([...b.subarray(0, at), ...b.subarray(from, from + m.len), ...b.subarray(at)]);
    }
  }
}

