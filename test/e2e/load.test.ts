import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { diag, ExitCode, NeuromeshError } from '../../src/errors.js';
import type { Graph } from '../../src/graph/graph.js';
import { f32 } from '../../src/graph/tensor.js';
import { loadAnalyzed, loadModel, modelFormat, saveModel } from '../../src/io/load.js';

/**
 * src/io/load.ts, the CLI's single door to model files, in process. The readers and writers are
 * replaced by controllable fakes (vi.mock) so that the failure paths that real files cannot reach
 * on purpose are exercised: a reader that lets a bare exception escape, a writer that dies after
 * writing half a file.
 */
const fake = vi.hoisted(() => ({
  read: async (_path: string): Promise<unknown> => undefined,
  write: async (_g: unknown, _path: string): Promise<void> => undefined,
}));
vi.mock('../../src/io/nir.js', () => ({
  readNir: (p: string) => fake.read(p),
  writeNir: (g: unknown, p: string) => fake.write(g, p),
}));
vi.mock('../../src/io/proto/graph-codec.js', () => ({
  readNmg: (p: string) => fake.read(p),
  writeNmg: (g: unknown, p: string) => fake.write(g, p),
}));

const tmp = mkdtempSync(join(tmpdir(), 'neuromesh-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const graph: Graph = {
  nodes: [
    { kind: 'Input', name: 'in', shape: [2] },
    { kind: 'Linear', name: 'w', weight: f32([1, 0, 0, 1], [2, 2]) },
    { kind: 'LIF', name: 'n', tau: f32([0.01]), r: f32([1]), v_leak: f32([0]), v_threshold: f32([1]) },
    { kind: 'Output', name: 'out', shape: [2] },
  ],
  edges: [{ from: 'in', to: 'w' }, { from: 'w', to: 'n' }, { from: 'n', to: 'out' }],
};

async function thrown(p: Promise<unknown>): Promise<NeuromeshError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NeuromeshError);
    return e as NeuromeshError;
  }
  throw new Error('expected a NeuromeshError');
}

beforeEach(() => {
  fake.read = async () => structuredClone(graph);
  fake.write = async (_g, p) => writeFileSync(p, 'written');
});

describe('loadModel', () => {
  it('chooses the format from the extension, case-insensitively, and refuses others in one line', async () => {
    expect(modelFormat('a/b.nir')).toBe('nir');
    expect(modelFormat('B.NMG')).toBe('nmg');
    for (const p of ['model.onnx', 'model', 'archive.nir.gz']) {
      const e = await thrown(loadModel(p));
      expect(e.diagnostics).toHaveLength(1);
      expect(e.diagnostics[0]).toMatchObject({ code: 'E_UNKNOWN_FORMAT', file: p });
      expect(e.diagnostics[0]!.hint).toMatch(/\.nir.*\.nmg/);
      expect(e.exitCode).toBe(ExitCode.badInput);
    }
  });

  it('refuses missing files and directories before any reader runs', async () => {
    let called = false;
    fake.read = async () => { called = true; return graph; };
    expect((await thrown(loadModel(join(tmp, 'nope.nir')))).diagnostics[0]).toMatchObject({ code: 'E_NOT_FOUND' });
    mkdirSync(join(tmp, 'dir.nir'));
    expect((await thrown(loadModel(join(tmp, 'dir.nir')))).diagnostics[0]).toMatchObject({ code: 'E_IS_DIRECTORY' });
    expect((await thrown(loadModel(tmp))).diagnostics[0]).toMatchObject({ code: 'E_IS_DIRECTORY' });
    expect(called).toBe(false);
  });

  it('passes the reader\'s NeuromeshError through unchanged', async () => {
    writeFileSync(join(tmp, 'r.nir'), 'x');
    const own = new NeuromeshError([diag('E_NOT_HDF5', 'not an HDF5 file', { file: 'r.nir' })]);
    fake.read = async () => { throw own; };
    expect(await thrown(loadModel(join(tmp, 'r.nir')))).toBe(own);
  });

  it('turns a bare exception from a reader into one E_READ line (exit 2), keeping the cause for --debug', async () => {
    writeFileSync(join(tmp, 'r.nmg'), 'x');
    const boom = new RangeError('offset is outside the bounds of the DataView\n    at decode (x.js:1:1)');
    fake.read = async () => { throw boom; };
    const e = await thrown(loadModel(join(tmp, 'r.nmg')));
    expect(e.exitCode).toBe(ExitCode.badInput);
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0]!.code).toBe('E_READ');
    expect(e.diagnostics[0]!.message).toContain('offset is outside the bounds');
    expect(e.diagnostics[0]!.message).not.toContain('\n');
    expect((e as Error & { cause?: unknown }).cause).toBe(boom);
  });

  it('loadAnalyzed validates: a reader returning an inconsistent graph is refused, naming the node', async () => {
    writeFileSync(join(tmp, 'g.nmg'), 'x');
    const ok = await loadAnalyzed(join(tmp, 'g.nmg'));
    expect(ok.shapes.output.get('n')).toEqual([2]);
    fake.read = async () => ({ ...structuredClone(graph), nodes: [...structuredClone(graph).nodes.slice(0, 3), { kind: 'Output', name: 'out', shape: [3] }] });
    const e = await thrown(loadAnalyzed(join(tmp, 'g.nmg')));
    expect(e.diagnostics[0]).toMatchObject({ code: 'E_SHAPE_MISMATCH', node: 'out', file: join(tmp, 'g.nmg') });
  });
});

describe('saveModel', () => {
  it('writes through a temp file with the same extension, then renames it into place', async () => {
    const seen: string[] = [];
    fake.write = async (_g, p) => { seen.push(p); writeFileSync(p, 'new'); };
    const out = join(tmp, 's1', 'model.nir');
    mkdirSync(join(tmp, 's1'));
    await saveModel(graph, out);
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toBe(out);
    expect(seen[0]!.endsWith('.nir')).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('new');
    expect(readdirSync(join(tmp, 's1'))).toEqual(['model.nir']);
  });

  it('a writer dying half-way leaves the previous file untouched and no temp file', async () => {
    const dir = join(tmp, 's2');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.nmg'), 'old');
    fake.write = async (_g, p) => {
      writeFileSync(p, 'half');
      throw new NeuromeshError([diag('E_WRITE', 'disk full', { file: p })]);
    };
    const first = await thrown(saveModel(graph, join(dir, 'model.nmg')));
    expect(first.diagnostics[0]!.file).toBe(join(dir, 'model.nmg')); // the user's path, not the temp file
    expect(readFileSync(join(dir, 'model.nmg'), 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['model.nmg']);
    // a file-system error from the writer becomes one E_WRITE line (bad output path, exit 2)
    fake.write = async (_g, p) => {
      writeFileSync(p, 'half');
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    const e = await thrown(saveModel(graph, join(dir, 'model.nmg')));
    expect(e.diagnostics[0]).toMatchObject({ code: 'E_WRITE' });
    expect(readdirSync(dir)).toEqual(['model.nmg']);
    // any other exception is a bug: rethrown as is (the CLI reports E_INTERNAL, exit 3)
    fake.write = async () => { throw new TypeError('bug'); };
    await expect(saveModel(graph, join(dir, 'model.nmg'))).rejects.toThrow(TypeError);
    expect(readdirSync(dir)).toEqual(['model.nmg']);
  });

  it('refuses neuromesh-only kinds for .nir and --gzip for .nmg before writing', async () => {
    let wrote = false;
    fake.write = async () => { wrote = true; };
    const own: Graph = {
      nodes: [{ kind: 'SpikeSource', name: 'src', shape: [2], rate: f32([10]), seed: 1 }, { kind: 'Output', name: 'out', shape: [2] }],
      edges: [{ from: 'src', to: 'out' }],
    };
    expect((await thrown(saveModel(own, join(tmp, 'own.nir')))).diagnostics[0]).toMatchObject({ code: 'E_NOT_NIR', node: 'src' });
    expect((await thrown(saveModel(graph, join(tmp, 'g.nmg'), { gzip: true }))).diagnostics[0]).toMatchObject({ code: 'E_BAD_OPTION' });
    expect(wrote).toBe(false);
  });
});
