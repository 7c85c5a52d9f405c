import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExitCode, NeuromeshError } from '../../src/errors.js';
import { analyze } from '../../src/graph/graph.js';
import { decodeGraph, encodeGraph } from '../../src/io/proto/graph-codec.js';
import { arbGraph } from '../arbitraries/graph.js';

/** Valid .nmg encodings of random graphs: the seeds every mutation starts from. */
const SEEDS = fc.sample(arbGraph({ kinds: 'all', maxNodes: 4 }), { numRuns: 24, seed: 20261127 }).map(encodeGraph);

type Mutation =
  | { op: 'flip'; at: number; mask: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; len: number }
  | { op: 'splice'; at: number; from: number; len: number };

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x22) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('splice' as const), at: fc.nat(), from: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
);

function mutate(src: Uint8Array, m: Mutation): Uint8Array {
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

describe('.nmg decoder fuzz', () => {
  it('mutated files (flip, set, truncate, insert, delete, splice) give a graph or one-line diagnostics, never anything else', () => {
    const outcomes = { graph: 0, refused: 0 };
    const t0 = performance.now();
    fc.assert(
      fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(arbMutation, { minLength: 1, maxLength: 3 }), (k, ms) => {
        const bytes = ms.reduce(mutate, SEEDS[k]!);
        try {
          const g = decodeGraph(bytes, 'fuzz.nmg');
          // what readNmg does next: analyze() must report, never throw
          const { diagnostics } = analyze(g, 'fuzz.nmg');
          for (const d of diagnostics) expect(d.message).not.toMatch(/\n/);
          outcomes.graph++;
        } catch (e) {
          if (!(e instanceof NeuromeshError)) throw e;
          expect(e.exitCode).toBe(ExitCode.badInput);
          expect(e.diagnostics.length).toBeGreaterThan(0);
          for (const d of e.diagnostics) {
            expect(d.message).not.toMatch(/\n/);
            expect(d.file).toBe('fuzz.nmg');
          }
          outcomes.refused++;
        }
      }),
      { numRuns: Number(process.env.NEUROMESH_FUZZ_RUNS ?? 600) },
    );
    // the mutations must exercise both paths, and quickly
    expect(outcomes.graph).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(100);
    if (!process.env.NEUROMESH_FUZZ_RUNS) expect(performance.now() - t0).toBeLessThan(8000);
    console.log(outcomes);
  });
});
