import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, NeuromeshError } from '../../src/errors.js';
import type { Graph } from '../../src/graph/graph.js';
import { f32, f64 } from '../../src/graph/tensor.js';
import { GRAPH_SCHEMA_VERSION, decodeGraph, encodeGraph, readNmg, writeNmg } from '../../src/io/proto/graph-codec.js';
import type { FieldObj, GraphFileObj } from '../../src/io/proto/graph-messages.js';
import { graphTypes } from '../../src/io/proto/proto-root.js';
import { arbGraph } from '../arbitraries/graph.js';
import { graphDifference } from '../arbitraries/graph-equal.js';
import { fixture } from '../helpers/shared.js';

const tmp = mkdtempSync(join(tmpdir(), 'nm-proto-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The NeuromeshError a call throws (fails the test if it returns or throws anything else). */
function refusal(f: () => unknown): NeuromeshError {
  try {
    f();
  } catch (e) {
    if (!(e instanceof NeuromeshError)) throw new Error(`expected a NeuromeshError, got ${String(e)}`);
    expect(e.exitCode).toBe(ExitCode.badInput);
    expect(e.diagnostics.length).toBeGreaterThan(0);
    for (const d of e.diagnostics) expect(d.message).not.toMatch(/\n/);
    expect(e.message).not.toMatch(/at .*\.js:\d+|protobuf\.js|Error:/);
    return e;
  }
  throw new Error('expected a refusal, but the call succeeded');
}

async function refusalAsync(p: Promise<unknown>): Promise<NeuromeshError> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof NeuromeshError)) throw new Error(`expected a NeuromeshError, got ${String(e)}`);
    return e;
  }
  throw new Error('expected a refusal, but the call succeeded');
}

/** Encode a hand-made GraphFile message (bypassing encodeGraph's checks). */
function raw(msg: GraphFileObj): Uint8Array {
  return graphTypes().GraphFile.encode({ magic: 'neuromesh.graph', schema_version: 1, ...msg }).finish();
}

const lifGraph = (): Graph => ({
  nodes: [
    { kind: 'Input', name: 'in', shape: [3] },
    { kind: 'Linear', name: 'fc', weight: f32([1, 0, -0, 2, 0.5, -1, 3, 3, 3], [3, 3]) },
    { kind: 'LIF', name: 'lif', tau: f64([0.01]), r: f64([1]), v_leak: f64([0]), v_threshold: f32([1, 2, 3]) },
    { kind: 'Output', name: 'out', shape: [3] },
  ],
  edges: [{ from: 'in', to: 'fc' }, { from: 'fc', to: 'lif' }, { from: 'lif', to: 'out' }, { from: 'lif', to: 'lif' }],
  nirVersion: '1.0.0',
  metadata: { source: 'test', nested: { dt: 1e-4, tags: ['a', 'b'], flags: [1, 2] }, ok: true },
});

const node = (kind: string, fields: FieldObj[]) => ({ kind, name: 'n', fields });
const tensorField = (name: string, dtype: number, shape: number[], bytes: number): FieldObj => ({ name, tensor: { dtype, shape, data: new Uint8Array(bytes) } });

describe('.nmg header checks', () => {
  it('refuses a file written by a newer schema, naming both versions', () => {
    const bytes = graphTypes().GraphFile.encode({ magic: 'neuromesh.graph', schema_version: 7, nodes: [] }).finish();
    const e = refusal(() => decodeGraph(bytes, 'new.nmg'));
    expect(e.diagnostics[0]!.code).toBe('E_VERSION');
    expect(e.message).toContain(`written by a newer neuromesh (schema 7, this reads ≤ ${GRAPH_SCHEMA_VERSION})`);
    expect(e.message).toContain('upgrade neuromesh');
    expect(e.diagnostics[0]!.file).toBe('new.nmg');
  });

  it('refuses a newer schema even when the rest of the file is not understood', () => {
    // a future layout: field 4 as a varint instead of a NodeMsg — the header is read first
    const header = graphTypes().FileHeader.encode({ magic: 'neuromesh.graph', schema_version: 3 }).finish();
    const bytes = new Uint8Array([...header, 0x20, 0x05]);
    expect(refusal(() => decodeGraph(bytes)).diagnostics[0]!.code).toBe('E_VERSION');
  });

  it('refuses a file without a schema version', () => {
    const bytes = graphTypes().GraphFile.encode({ magic: 'neuromesh.graph', nodes: [] }).finish();
    expect(refusal(() => decodeGraph(bytes)).message).toContain('has no schema version');
  });

  it('refuses non-protobuf files in one line: text, empty, random bytes, a NIR (HDF5) model', () => {
    const nir = readFileSync(fixture('lif', 'lif_norse.nir'));
    const e = refusal(() => decodeGraph(nir, 'lif_norse.nir'));
    expect(e.diagnostics).toHaveLength(1);
    expect(e.message).toMatch(/lif_norse\.nir: is an HDF5 file/);
    expect(refusal(() => decodeGraph(new TextEncoder().encode('hello, this is a text file\nwith lines\n'))).diagnostics[0]!.code).toBe('E_NOT_NMG');
    expect(refusal(() => decodeGraph(new Uint8Array(0))).diagnostics[0]!.code).toBe('E_NOT_NMG');
    const json = new TextEncoder().encode(JSON.stringify({ nodes: [], edges: [] }));
    expect(refusal(() => decodeGraph(json)).diagnostics).toHaveLength(1);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (bytes) => {
        const e2 = refusal(() => decodeGraph(bytes));
        expect(e2.diagnostics).toHaveLength(1);
        expect(['E_NOT_NMG', 'E_CORRUPT', 'E_VERSION']).toContain(e2.diagnostics[0]!.code);
      }),
      { numRuns: 300 },
    );
  });

  it('names another neuromesh file type instead of calling it corrupt', () => {
    const bytes = graphTypes().FileHeader.encode({ magic: 'neuromesh.program', schema_version: 1 }).finish();
    expect(refusal(() => decodeGraph(bytes)).message).toContain('is a neuromesh.program file, not a neuromesh graph');
  });
});

describe('.nmg node checks (one line naming node and field)', () => {
  const cases: [string, GraphFileObj, string, RegExp][] = [
    ['unknown kind', { nodes: [node('Quux', [])] }, 'E_UNKNOWN_KIND', /unknown node type 'Quux'/],
    ['missing field', { nodes: [node('Linear', [])] }, 'E_MISSING_FIELD', /field 'weight'/],
    ['unknown field', { nodes: [node('Input', [{ name: 'shape', ints: { values: [2] } }, { name: 'colour', string_value: 'red' }])] }, 'E_UNKNOWN_FIELD', /field 'colour'/],
    ['field twice', { nodes: [node('Input', [{ name: 'shape', ints: { values: [2] } }, { name: 'shape', ints: { values: [3] } }])] }, 'E_BAD_FIELD', /given twice/],
    ['wrong type', { nodes: [node('Input', [{ name: 'shape', string_value: '[2]' }])] }, 'E_WRONG_TYPE', /expected ints, found string_value/],
    ['no value', { nodes: [node('Input', [{ name: 'shape' }])] }, 'E_WRONG_TYPE', /found no value/],
    ['bytes ≠ shape', { nodes: [node('Linear', [tensorField('weight', 2, [2, 3], 47)])] }, 'E_BAD_SHAPE', /needs 48 bytes, data has 47/],
    ['unknown dtype', { nodes: [node('Linear', [tensorField('weight', 9, [1, 1], 8)])] }, 'E_BAD_FIELD', /unknown dtype 9/],
    ['absurd shape', { nodes: [node('Linear', [tensorField('weight', 1, [2 ** 30, 2 ** 30], 16)])] }, 'E_BAD_SHAPE', /elements|absurd/],
    ['ragged index', { nodes: [node('SparseLinear', [{ name: 'indptr', index: { dtype: 1, data: new Uint8Array(7) } }])] }, 'E_BAD_SHAPE', /not a whole number of int32/],
    ['unsafe int', { nodes: [node('Flatten', [{ name: 'start_dim', int_value: '9007199254740993' as unknown as number }, { name: 'end_dim', int_value: 0 }])] }, 'E_BAD_FIELD', /safe range/],
  ];
  for (const [what, msg, code, text] of cases) {
    it(what, () => {
      const e = refusal(() => decodeGraph(raw(msg), 'bad.nmg'));
      const d = e.diagnostics.find((x) => x.code === code);
      expect(d, e.message).toBeDefined();
      expect(d!.node).toBe('n');
      expect(e.message).toMatch(text);
      expect(e.message).toContain('bad.nmg');
    });
  }

  it('refuses an absurd tensor before allocating (fast, no RangeError)', () => {
    const t0 = performance.now();
    refusal(() => decodeGraph(raw({ nodes: [node('Scale', [tensorField('scale', 2, [2 ** 20, 2 ** 20, 2 ** 20], 8)])] })));
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('.nmg bytes', () => {
  it('decodes tensors at unaligned offsets (a copy is made before viewing as float64)', () => {
    const bytes = encodeGraph(lifGraph());
    for (const offset of [1, 3, 5, 7]) {
      const buf = new Uint8Array(bytes.length + offset);
      buf.set(bytes, offset);
      expect(graphDifference(lifGraph(), decodeGraph(buf.subarray(offset)))).toBeUndefined();
    }
  });

  it('stores bulk arrays as little-endian bytes: a float64 weight appears verbatim in the file', () => {
    const g = lifGraph();
    const w = new Float64Array([Math.PI, -Math.E, 1e-300]);
    (g.nodes[2] as { tau: unknown }).tau = { dtype: 'float64', shape: [3], data: w };
    const bytes = Buffer.from(encodeGraph(g));
    const le = Buffer.alloc(24);
    w.forEach((x, i) => le.writeDoubleLE(x, i * 8));
    expect(bytes.indexOf(le)).toBeGreaterThan(0);
  });

  it('keeps presence of empty values: nir_version "", metadata {}, empty lists', () => {
    const g: Graph = { nodes: [{ kind: 'Input', name: 'in', shape: [1], metadata: {} }], edges: [], nirVersion: '', metadata: { empty: [], nested: {} } };
    const back = decodeGraph(encodeGraph(g));
    expect(back.nirVersion).toBe('');
    expect(back.metadata).toEqual({ empty: [], nested: {} });
    expect(back.nodes[0]!.metadata).toEqual({});
    const bare = decodeGraph(encodeGraph({ nodes: [], edges: [] }));
    expect('nirVersion' in bare || 'metadata' in bare).toBe(false);
  });

  it('a metadata key __proto__ is kept as data and does not change any prototype', () => {
    const meta = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, never>;
    const back = decodeGraph(encodeGraph({ nodes: [], edges: [], metadata: meta }));
    expect(Object.keys(back.metadata!)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(back.metadata)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('runaway metadata nesting is refused in one line', () => {
    // built on the wire by hand (protobufjs also refuses to encode this deep)
    const varint = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...varint(n >>> 7)]);
    const field = (tag: number, body: number[]): number[] => [tag, ...varint(body.length), ...body];
    let map: number[] = field(0x0a, [...field(0x0a, [0x6b]), ...field(0x12, [0x18, 0x01])]); // {entries: [{key 'k', value {bool true}}]}
    for (let i = 0; i < 300; i++) map = field(0x0a, [...field(0x0a, [0x6b]), ...field(0x12, field(0x32, map))]);
    const header = [...graphTypes().FileHeader.encode({ magic: 'neuromesh.graph', schema_version: 1 }).finish()];
    const bytes = new Uint8Array([...header, ...field(0x32, map)]);
    const e = refusal(() => decodeGraph(bytes, 'deep.nmg'));
    expect(e.diagnostics[0]!.code).toBe('E_CORRUPT');
    expect(e.message).toContain('deep.nmg');
  });

  it('encodeGraph refuses what it could not write faithfully', () => {
    const bad: Graph = { nodes: [{ kind: 'Linear', name: 'fc', weight: { dtype: 'float32', shape: [2, 2], data: new Float32Array(3) } }], edges: [] };
    expect(refusal(() => encodeGraph(bad)).message).toMatch(/node 'fc' field 'weight'.*holds 4 values but 3/);
    const noField = { nodes: [{ kind: 'Linear', name: 'fc' }], edges: [] } as unknown as Graph;
    expect(refusal(() => encodeGraph(noField)).diagnostics[0]!.code).toBe('E_MISSING_FIELD');
    const frac = { nodes: [{ kind: 'Flatten', name: 'f', start_dim: 0.5, end_dim: 0 }], edges: [] } as unknown as Graph;
    expect(refusal(() => encodeGraph(frac)).message).toMatch(/field 'start_dim'/);
  });
});

describe('readNmg / writeNmg', () => {
  it('writes atomically and reads back bit-equal', async () => {
    const samples = fc.sample(arbGraph({ kinds: 'all' }), { numRuns: 10, seed: 11 });
    for (const [i, g] of [lifGraph(), ...samples].entries()) {
      const path = join(tmp, 'sub', `g${i}.nmg`);
      await writeNmg(g, path);
      expect(graphDifference(g, await readNmg(path))).toBeUndefined();
    }
    expect(readdirSync(join(tmp, 'sub')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writeNmg refuses an invalid graph and leaves no file', async () => {
    const g = lifGraph();
    g.edges.push({ from: 'lif', to: 'ghost' });
    const path = join(tmp, 'invalid.nmg');
    const e = await refusalAsync(writeNmg(g, path));
    expect(e.diagnostics[0]!.code).toBe('E_UNKNOWN_NODE');
    expect(readdirSync(tmp)).not.toContain('invalid.nmg');
  });

  it('readNmg runs analyze() and names the file', async () => {
    const g = lifGraph();
    g.edges.push({ from: 'lif', to: 'ghost' });
    const path = join(tmp, 'dangling.nmg');
    writeFileSync(path, encodeGraph(g));
    const e = await refusalAsync(readNmg(path));
    expect(e.diagnostics[0]!.code).toBe('E_UNKNOWN_NODE');
    expect(e.diagnostics[0]!.file).toBe(path);
    expect(e.exitCode).toBe(ExitCode.badInput);
  });

  it('readNmg: missing file, directory, NIR model and text file are one-line refusals', async () => {
    expect((await refusalAsync(readNmg(join(tmp, 'nope.nmg')))).diagnostics[0]!.code).toBe('E_NOT_FOUND');
    expect((await refusalAsync(readNmg(tmp))).diagnostics[0]!.code).toBe('E_IS_DIRECTORY');
    const nir = await refusalAsync(readNmg(fixture('lif', 'lif_norse.nir')));
    expect(nir.message.split('\n')).toHaveLength(1);
    expect(nir.diagnostics[0]!.code).toBe('E_NOT_NMG');
    const txt = join(tmp, 'notes.nmg');
    writeFileSync(txt, 'just some text\n');
    const t = await refusalAsync(readNmg(txt));
    expect(t.message.split('\n')).toHaveLength(1);
    expect(t.message).toContain(txt);
  });
});

describe('readNmp', () => {
  it('a missing file, a directory and a non-program are one-line refusals (exit 2)', async () => {
    const { readNmp } = await import('../../chips/index.js');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'nmp-'));
    for (const [path, code] of [[join(dir, 'nope.nmp'), 'E_NOT_FOUND'], [dir, 'E_IS_DIRECTORY'], [fixture('lif', 'lif_norse.nir'), 'E_NOT_NMP']] as const) {
      const e = await refusalAsync(readNmp(path));
      expect([e.diagnostics[0]!.code, e.exitCode, e.message.split('\n').length]).toEqual([code, 2, 1]);
    }
  });
});
