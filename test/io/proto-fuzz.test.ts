import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExitCode, NeuromeshError } from '../../src/errors.js';
import { analyze, type Graph } from '../../src/graph/graph.js';
import { PRIMITIVES } from '../../src/graph/registry.js';
import { decodeGraph, encodeGraph } from '../../src/io/proto/graph-codec.js';
import { withChecksum } from '../../src/io/proto/checksum.js';
import type { FieldObj, GraphFileObj } from '../../src/io/proto/graph-messages.js';
import { graphTypes } from '../../src/io/proto/proto-root.js';
import { arbGraph } from '../arbitraries/graph.js';
import { arbMutation, mutate } from '../arbitraries/byte-mutation.js';
import { graphDifference } from '../arbitraries/graph-equal.js';

/** Valid .nmg encodings of random graphs: the seeds every mutation starts from. */
const SEEDS = fc.sample(arbGraph({ kinds: 'all', maxNodes: 4 }), { numRuns: 24, seed: 20261127 }).map(encodeGraph);

/** Decode a mutated file: a graph (analyze() reports, never throws) or one-line exit-2 diagnostics naming the file. */
function decodeOutcome(bytes: Uint8Array): Graph | 'refused' {
  try {
    const g = decodeGraph(bytes, 'fuzz.nmg');
    // what readNmg does next: analyze() must report, never throw
    const { diagnostics } = analyze(g, 'fuzz.nmg');
    for (const d of diagnostics) expect(d.message).not.toMatch(/\n/);
    return g;
  } catch (e) {
    if (!(e instanceof NeuromeshError)) throw e;
    expect(e.exitCode).toBe(ExitCode.badInput);
    expect(e.diagnostics.length).toBeGreaterThan(0);
    for (const d of e.diagnostics) {
      expect(d.message).not.toMatch(/\n/);
      expect(d.file).toBe('fuzz.nmg');
    }
    return 'refused';
  }
}

describe('.nmg decoder fuzz', () => {
  it('a damaged file (flip, set, truncate, insert, delete, splice) is refused in one line (exit 2) or decodes to the very same graph', () => {
    const outcomes = { same: 0, refused: 0 };
    fc.assert(
      fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(arbMutation, { minLength: 1, maxLength: 3 }), (k, ms) => {
        const bytes = ms.reduce(mutate, SEEDS[k]!);
        const r = decodeOutcome(bytes);
        if (r === 'refused') outcomes.refused++;
        else {
          // the checksum lets nothing else through: the graph is the one that was written
          expect(Buffer.from(encodeGraph(r)).equals(Buffer.from(SEEDS[k]!))).toBe(true);
          outcomes.same++;
        }
      }),
      { numRuns: Number(process.env.NEUROMESH_FUZZ_RUNS ?? 600) },
    );
    expect(outcomes.refused).toBeGreaterThan(500);
    if (process.env.NEUROMESH_FUZZ_RUNS) console.log(outcomes);
  });

  it('a hostile writer who re-signs mutated bytes gets a graph or one-line diagnostics, never anything else (the decoder still checks every field)', () => {
    const outcomes = { graph: 0, refused: 0 };
    fc.assert(
      fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(arbMutation, { minLength: 1, maxLength: 3 }), (k, ms) => {
        const body = SEEDS[k]!.subarray(0, SEEDS[k]!.length - 66);
        const r = decodeOutcome(withChecksum(ms.reduce(mutate, body)));
        if (r === 'refused') outcomes.refused++;
        else outcomes.graph++;
      }),
      { numRuns: Number(process.env.NEUROMESH_FUZZ_RUNS ?? 600) },
    );
    // the mutations must exercise both paths
    expect(outcomes.graph).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(100);
    if (process.env.NEUROMESH_FUZZ_RUNS) console.log(outcomes);
  });
});

/** A seed file as a plain message object (what a hostile writer controls field by field). */
function seedMessage(k: number): GraphFileObj {
  const { GraphFile } = graphTypes();
  return GraphFile.toObject(GraphFile.decode(SEEDS[k]!), { longs: Number, enums: Number, arrays: true, defaults: false }) as GraphFileObj;
}

const KINDS = Object.keys(PRIMITIVES);

type Edit = { what: number; node: number; field: number; a: number; b: number; bytes: Uint8Array };
const arbEdit: fc.Arbitrary<Edit> = fc.record({
  what: fc.integer({ min: 0, max: 9 }), node: fc.nat(), field: fc.nat(),
  a: fc.integer({ min: -3, max: 70 }), b: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(2 ** 31, -(2 ** 40), 2 ** 53 - 1)),
  bytes: fc.uint8Array({ maxLength: 64 }),
});

/** Well-formed protobuf with hostile content: wrong kinds, missing fields, odd shapes, NaN bytes, bad ints, dangling edges. */
function edit(msg: GraphFileObj, e: Edit): void {
  const nodes = msg.nodes ?? [];
  if (!nodes.length) return;
  const n = nodes[e.node % nodes.length]!;
  const fields = n.fields ?? [];
  const f: FieldObj | undefined = fields.length ? fields[e.field % fields.length] : undefined;
  switch (e.what) {
    case 0: n.kind = KINDS[e.field % KINDS.length]; break;
    case 1: if (f) fields.splice(fields.indexOf(f), 1); break;
    case 2: if (f?.tensor) {
      // a new shape (zero and absurd dimensions included) with data of the matching length when small
      const shape = [Math.max(0, e.a), Math.max(0, e.b)].slice(0, 1 + (e.field % 2));
      const count = shape.reduce((x, y) => x * y, 1);
      const len = count <= 4096 ? count * (f.tensor.dtype === 1 ? 4 : 8) : e.bytes.length;
      f.tensor.shape = shape;
      f.tensor.data = new Uint8Array(len).map((_, i) => e.bytes[i % Math.max(1, e.bytes.length)] ?? 0);
    } break;
    case 3: if (f?.tensor) f.tensor.data = e.bytes.subarray(0, (f.tensor.data?.length ?? 0) > e.bytes.length ? e.bytes.length : f.tensor.data?.length); break;
    case 4: if (f && f.int_value !== undefined) f.int_value = e.b; else if (f?.ints) f.ints.values = [e.a, e.b].slice(0, 1 + (e.node % 2)); break;
    case 5: if (f?.index) f.index.data = e.bytes; break;
    case 6: (msg.edges ??= []).push({ source: n.name, target: nodes[e.field % nodes.length]!.name }); break;
    case 7: (msg.edges ??= []).push({ source: n.name, target: `ghost${e.a}` }); break;
    case 8: nodes.push({ ...n }); break;
    case 9: nodes.splice(nodes.indexOf(n), 1); break;
  }
}

describe('.nmg content fuzz', () => {
  it('well-formed files with hostile content give a graph that analyze() judges, or one-line diagnostics', () => {
    const outcomes = { valid: 0, invalid: 0, refused: 0 };
    fc.assert(
      fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(arbEdit, { minLength: 1, maxLength: 4 }), (k, edits) => {
        const msg = seedMessage(k);
        for (const e of edits) edit(msg, e);
        const bytes = withChecksum(graphTypes().GraphFile.encode(msg).finish());
        try {
          const g = decodeGraph(bytes, 'content.nmg');
          const { diagnostics } = analyze(g, 'content.nmg');
          if (diagnostics.some((d) => (d.severity ?? 'error') === 'error')) outcomes.invalid++;
          else {
            // whatever is accepted as valid writes back and reads again unchanged
            expect(graphDifference(g, decodeGraph(encodeGraph(g)))).toBeUndefined();
            outcomes.valid++;
          }
        } catch (e) {
          if (!(e instanceof NeuromeshError)) throw e;
          for (const d of e.diagnostics) expect(d.message).not.toMatch(/\n/);
          outcomes.refused++;
        }
      }),
      { numRuns: Number(process.env.NEUROMESH_FUZZ_RUNS ?? 500) },
    );
    if (process.env.NEUROMESH_FUZZ_RUNS) console.log(outcomes);
    expect(outcomes.refused).toBeGreaterThan(20);
    expect(outcomes.invalid).toBeGreaterThan(20);
  });
});
