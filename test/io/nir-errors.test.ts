import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NeuromeshError, type Diagnostic } from '../../src/errors.js';
import { MAX_NESTING } from '../../src/graph/flatten.js';
import { findSignature } from '../../src/io/hdf5-signature.js';
import { readNir, readNirBytes } from '../../src/io/nir.js';
import { fixture } from '../helpers/shared.js';
import { f32, i64, lifTree, treeToBytes, type Tree } from './nir-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'nm-nir-err-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Read bytes as a file on disk; expect exactly one one-line Diagnostic, exit code 2, file set. */
async function refused(bytes: Uint8Array, name: string): Promise<Diagnostic> {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  const e = await readNir(path).then(() => undefined, (x: unknown) => x);
  expect(e, 'expected a NeuromeshError').toBeInstanceOf(NeuromeshError);
  const err = e as NeuromeshError;
  expect(err.exitCode).toBe(2);
  expect(err.diagnostics).toHaveLength(1);
  expect(err.message.split('\n')).toHaveLength(1);
  expect(err.message).not.toMatch(/\n|    at /);
  const d = err.diagnostics[0]!;
  if (process.env.NM_SHOW) console.log(err.message);
  expect(d.file).toBe(path);
  return d;
}

const lif = (over: Tree): Tree => lifTree({ nodes: { '1': { type: 'LIF', tau: f32(0.0025), r: f32(1), v_leak: f32(0), v_threshold: f32(0.1), ...over } } });

describe('NIR reader errors: one line naming file, node and field, exit 2', () => {
  it('the hand-written base tree is valid (so each case below breaks exactly one thing)', async () => {
    const g = await readNirBytes(await treeToBytes(lifTree()), 'base.nir');
    expect(g.nodes.map((n) => n.kind).sort()).toEqual(['Affine', 'Input', 'LIF', 'Output']);
  });

  it('not HDF5', async () => {
    const d = await refused(new TextEncoder().encode('{"nodes": []}\n'), 'json.nir');
    expect(d.code).toBe('E_NOT_HDF5');
    expect((await refused(new Uint8Array(0), 'empty.nir')).code).toBe('E_NOT_HDF5');
  });

  it('truncated', async () => {
    const good = await treeToBytes(lifTree());
    const d = await refused(good.subarray(0, Math.floor(good.length / 2)), 'half.nir');
    expect(d.code).toBe('E_TRUNCATED');
    expect(d.message).toContain(String(good.length));
  });

  it('an HDF5 file that is not NIR', async () => {
    const d = await refused(await treeToBytes({ data: f32(1, 2, 3) }), 'other.h5');
    expect(d.code).toBe('E_NOT_NIR');
  });

  it('wrong dtype: a string where a float array is expected', async () => {
    const d = await refused(await treeToBytes(lif({ tau: 'fast' })), 'dtype.nir');
    expect([d.code, d.node, d.field]).toEqual(['E_WRONG_DTYPE', '1', 'tau']);
  });

  it('wrong dtype: a group where a dataset is expected', async () => {
    const d = await refused(await treeToBytes(lif({ r: { x: f32(1) } })), 'group.nir');
    expect([d.code, d.node, d.field]).toEqual(['E_WRONG_TYPE', '1', 'r']);
  });

  it('missing field', async () => {
    const t = lifTree();
    delete ((t.node as Tree).nodes as Tree)['1'];
    ((t.node as Tree).nodes as Tree)['1'] = { type: 'LIF', tau: f32(0.0025), r: f32(1), v_leak: f32(0) };
    const d = await refused(await treeToBytes(t), 'missing.nir');
    expect([d.code, d.node, d.field]).toEqual(['E_MISSING_FIELD', '1', 'v_threshold']);
  });

  it('unknown node type', async () => {
    const d = await refused(await treeToBytes(lifTree({ nodes: { '1': { type: 'Hodgkin', g_na: f32(1) } } })), 'kind.nir');
    expect([d.code, d.node]).toEqual(['E_UNKNOWN_KIND', '1']);
    expect(d.message).toContain('Hodgkin');
  });

  it('unsupported version (> 1.x) and unparseable version', async () => {
    const d = await refused(await treeToBytes(lifTree({ version: '2.0.0' })), 'v2.nir');
    expect([d.code, d.field]).toEqual(['E_VERSION', 'version']);
    const d2 = await refused(await treeToBytes(lifTree({ version: 'banana' })), 'vx.nir');
    expect([d2.code, d2.field]).toEqual(['E_BAD_VERSION', 'version']);
    // 1.x is read
    expect((await readNirBytes(await treeToBytes(lifTree({ version: '1.3.0' })), 'v13.nir')).nirVersion).toBe('1.3.0');
  });

  it('NaN and Inf parameters', async () => {
    const d = await refused(await treeToBytes(lif({ v_threshold: f32(Number.NaN) })), 'nan.nir');
    expect([d.code, d.node, d.field]).toEqual(['E_NOT_FINITE', '1', 'v_threshold']);
    const d2 = await refused(await treeToBytes(lifTree({ nodes: { '0': { type: 'Affine', weight: { $data: f32(Infinity), $shape: [1, 1] }, bias: f32(0) } } })), 'inf.nir');
    expect([d2.code, d2.node, d2.field]).toEqual(['E_NOT_FINITE', '0', 'weight']);
  });

  it('non-positive time constants', async () => {
    const d = await refused(await treeToBytes(lif({ tau: f32(0) })), 'tau0.nir');
    expect([d.code, d.node, d.field]).toEqual(['E_NON_POSITIVE', '1', 'tau']);
    const d2 = await refused(await treeToBytes(lif({ tau: f32(-1) })), 'tauneg.nir');
    expect(d2.code).toBe('E_NON_POSITIVE');
  });

  it('zero size', async () => {
    const d = await refused(await treeToBytes(lifTree({ nodes: { input: { type: 'Input', shape: i64(0) } } })), 'zero.nir');
    expect([d.code, d.node, d.field]).toEqual(['E_ZERO_SIZE', 'input', 'shape']);
  });

  it('absurd size declared in a field value', async () => {
    const d = await refused(await treeToBytes(lifTree({ nodes: { input: { type: 'Input', shape: i64(2 ** 40, 2 ** 40) } } })), 'absurd.nir');
    expect([d.code, d.node, d.field]).toEqual(['E_BAD_SHAPE', 'input', 'shape']);
  });

  it('absurd dataset size is refused before reading (declared shape of a chunked dataset)', async () => {
    const t = lif({ r: { $data: f32(1, 1), $shape: [2], $grow: [2 ** 31] } });
    const d = await refused(await treeToBytes(t), 'huge.nir');
    expect([d.code, d.node, d.field]).toEqual(['E_ABSURD_SIZE', '1', 'r']);
    const t2 = lif({ r: { $data: f32(1, 1), $shape: [2], $grow: [2 ** 24] } });
    const d2 = await refused(await treeToBytes(t2), 'big.nir');
    expect([d2.code, d2.node, d2.field]).toEqual(['E_ABSURD_SIZE', '1', 'r']);
    expect(d2.message).toMatch(/file has only \d+ bytes/);
  });

  it('runaway nesting', async () => {
    let inner: Tree = { type: 'NIRGraph', edges: { $data: ['i', 'o'], $shape: [1, 2] }, nodes: { i: { type: 'Input', shape: i64(1) }, o: { type: 'Output', shape: i64(1) } } };
    for (let k = 0; k < MAX_NESTING + 2; k++)
      inner = { type: 'NIRGraph', edges: { $data: ['i', 'g', 'g', 'o'], $shape: [2, 2] }, nodes: { i: { type: 'Input', shape: i64(1) }, g: inner, o: { type: 'Output', shape: i64(1) } } };
    const d = await refused(await treeToBytes({ version: '1.0.0', node: inner }), 'deep.nir');
    expect(d.code).toBe('E_NESTING');
    expect(d.node).toMatch(/^g(\.g)+$/);
  });

  it('groups hard-linked into their own subtree (a cycle) stop within seconds', async () => {
    const ports = { i: { type: 'Input', shape: i64(1) }, o: { type: 'Output', shape: i64(1) } };
    const sub: Tree = {
      type: 'NIRGraph', edges: { $data: ['i', 'o'], $shape: [1, 2] },
      nodes: { ...ports, again: { $link: '/node/nodes/sub' }, twice: { $link: '/node/nodes/sub' } },
    };
    const t: Tree = { version: '1.0.0', node: { type: 'NIRGraph', edges: { $data: ['i', 'sub', 'sub', 'o'], $shape: [2, 2] }, nodes: { ...ports, sub } } };
    const t0 = performance.now();
    const d = await refused(await treeToBytes(t), 'cycle.nir');
    expect(['E_NESTING', 'E_ABSURD_SIZE']).toContain(d.code);
    expect(performance.now() - t0).toBeLessThan(15_000);
  });

  it('edge to an unknown node', async () => {
    const d = await refused(await treeToBytes(lifTree({ edges: [['input', '0'], ['0', 'lif'], ['1', 'output']] })), 'edge.nir');
    expect([d.code, d.node]).toEqual(['E_UNKNOWN_NODE', 'lif']);
  });

  it('control characters in names (newlines, terminal escapes) are shown escaped, still one line', async () => {
    const d = await refused(await treeToBytes(lifTree({ edges: [['input', '0'], ['0', '1'], ['1', 'out\r\n\u001b[31m']] })), 'ctrl.nir');
    expect(d.code).toBe('E_UNKNOWN_NODE');
    expect(d.message + (d.node ?? '')).not.toMatch(/[\u0000-\u001f]/);
    expect(d.node).toBe('out\\u000d\\u000a\\u001b[31m');
  });

  it('shape mismatch between connected nodes', async () => {
    const t = lifTree({ nodes: { '0': { type: 'Affine', weight: { $data: f32(1, 1, 1, 1, 1, 1), $shape: [2, 3] }, bias: f32(0, 0) } } });
    const d = await refused(await treeToBytes(t), 'shape.nir');
    expect([d.code, d.node, d.field]).toEqual(['E_SHAPE_MISMATCH', '0', 'weight']);
  });

  it('bad edges dataset', async () => {
    const t = lifTree();
    (t.node as Tree).edges = { $data: ['input', '0', '1'], $shape: [3] };
    const d = await refused(await treeToBytes(t), 'edges.nir');
    expect([d.code, d.field]).toEqual(['E_BAD_DATASET', 'edges']);
  });

  it('a missing file is one line too', async () => {
    const e = await readNir(join(tmp, 'nope.nir')).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(NeuromeshError);
    expect((e as NeuromeshError).diagnostics[0]!.code).toBe('E_NOT_FOUND');
  });
});

describe('NIR layout variants of other exporters', () => {
  it('Output without a shape (NIR 0.1 writers) takes the shape of its input', async () => {
    const g = await readNirBytes(await treeToBytes(lifTree({ nodes: { output: { type: 'Output' } } })), 'noshape.nir');
    const out = g.nodes.find((n) => n.name === 'output')!;
    expect(out.kind === 'Output' && out.shape).toEqual([1]);
  });

  it('Input/Output as input_type/output_type groups (NIR 1.0 to_dict)', async () => {
    const g = await readNirBytes(await treeToBytes(lifTree({
      nodes: { input: { type: 'Input', input_type: { input: i64(1) } }, output: { type: 'Output', output_type: { output: i64(1) } } },
    })), 'types.nir');
    expect(g.nodes.find((n) => n.name === 'input')).toMatchObject({ kind: 'Input', shape: [1] });
  });

  it('Conv2d scalar stride/dilation broadcast, padding "same"/"valid" resolved, asymmetric "same" refused', async () => {
    const w = { $data: new Float32Array(2 * 1 * 3 * 3).fill(0.5), $shape: [2, 1, 3, 3] };
    const conv = (padding: Tree[string], k = w): Tree => ({
      version: '1.0.0',
      node: {
        type: 'NIRGraph', edges: { $data: ['in', 'c', 'c', 'out'], $shape: [2, 2] },
        nodes: {
          in: { type: 'Input', shape: i64(1, 6, 6) },
          c: { type: 'Conv2d', weight: k, bias: f32(0, 0), stride: { $data: i64(1), $shape: [] }, padding, dilation: { $data: i64(1), $shape: [] }, groups: { $data: i64(1), $shape: [] } },
          out: { type: 'Output', shape: i64(2, 6, 6) },
        },
      },
    });
    const g = await readNirBytes(await treeToBytes(conv('same')), 'same.nir');
    const c = g.nodes.find((n) => n.name === 'c')!;
    expect(c.kind === 'Conv2d' && [c.stride, c.padding, c.dilation, c.groups]).toEqual([[1, 1], [1, 1], [1, 1], 1]);
    const valid = await treeToBytes({ ...conv('valid'), node: { ...(conv('valid').node as Tree), nodes: { ...((conv('valid').node as Tree).nodes as Tree), out: { type: 'Output', shape: i64(2, 4, 4) } } } });
    const gv = await readNirBytes(valid, 'valid.nir');
    expect(gv.nodes.find((n) => n.name === 'c')).toMatchObject({ padding: [0, 0] });
    const even = { $data: new Float32Array(2 * 1 * 2 * 2).fill(0.5), $shape: [2, 1, 2, 2] };
    const e = await readNirBytes(await treeToBytes(conv('same', even)), 'asym.nir').then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(NeuromeshError);
    const d = (e as NeuromeshError).diagnostics;
    expect(d).toHaveLength(1);
    expect([d[0]!.code, d[0]!.node, d[0]!.field]).toEqual(['E_ASYMMETRIC_PADDING', 'c', 'padding']);
  });

  it('Flatten without start_dim/end_dim uses NIR’s defaults (1, −1)', async () => {
    const t: Tree = {
      version: '0.2.0',
      node: {
        type: 'NIRGraph', edges: { $data: ['in', 'f', 'f', 'out'], $shape: [2, 2] },
        nodes: { in: { type: 'Input', shape: i64(2, 3, 4) }, f: { type: 'Flatten', input_type: { input: i64(2, 3, 4) } }, out: { type: 'Output', shape: i64(2, 12) } },
      },
    };
    const g = await readNirBytes(await treeToBytes(t), 'flatten.nir');
    expect(g.nodes.find((n) => n.name === 'f')).toMatchObject({ start_dim: 1, end_dim: -1, input_type: [2, 3, 4] });
  });

  it('a file with a 512-byte HDF5 user block (signature at offset 512) reads, and its truncation is caught', async () => {
    const path = join(import.meta.dirname, '..', 'fixtures', 'userblock.nir');
    const bytes = new Uint8Array(readFileSync(path));
    expect(findSignature(bytes)).toBe(512);
    const g = await readNir(path);
    expect(g.nodes.map((n) => n.kind)).toEqual(['Input', 'Output']);
    const d = await refused(bytes.subarray(0, bytes.length - 100), 'userblock-cut.nir');
    expect(d.code).toBe('E_TRUNCATED');
  });

  it('unknown extra datasets and groups are ignored', async () => {
    const g = await readNirBytes(await treeToBytes(lif({ surrogate: 'atan', extra: { a: f32(1) } })), 'extra.nir');
    expect(Object.keys(g.nodes.find((n) => n.name === '1')!).sort()).toEqual(['kind', 'name', 'r', 'tau', 'v_leak', 'v_threshold']);
  });

  it('integers where floats are expected are widened to float64', async () => {
    const g = await readNirBytes(await treeToBytes(lif({ r: i64(2) })), 'intr.nir');
    const n = g.nodes.find((x) => x.name === '1')!;
    expect(n.kind === 'LIF' && n.r.dtype).toBe('float64');
  });

  it('a fixture read through readNir and readNirBytes gives the same graph', async () => {
    const p = fixture('lif', 'lif_norse.nir');
    const a = await readNir(p);
    const b = await readNirBytes(new Uint8Array(readFileSync(p)), p);
    expect(b.nodes.map((n) => n.name)).toEqual(a.nodes.map((n) => n.name));
  });
});
