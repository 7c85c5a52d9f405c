import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlatNode, Graph } from '../../src/graph/graph.js';
import { f32 } from '../../src/graph/tensor.js';
import { readNir } from '../../src/io/nir.js';
import { readNmg, writeNmg } from '../../src/io/proto/graph-codec.js';
import { fixture } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, lines, runCli } from './cli.js';

/**
 * `neuromesh convert` through the built CLI: .nir → .nmg → .nir keeps every array bit for bit
 * (compared with the graph read from the original file), and a failed conversion leaves no
 * output (no new file, an existing file untouched, no temp file).
 */

let tmp: string;
beforeAll(async () => {
  await ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'neuromesh-e2e-convert-'));
}, BUILD_TIMEOUT_MS);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Every field of every node equal; typed arrays of the same class and bit-identical. Returns mismatches. */
function diffGraphs(a: Graph, b: Graph): string[] {
  const out: string[] = [];
  const bn = new Map(b.nodes.map((n) => [n.name, n]));
  if (a.nodes.length !== b.nodes.length) out.push(`node count ${a.nodes.length} vs ${b.nodes.length}`);
  const same = (x: unknown, y: unknown, at: string): void => {
    if (ArrayBuffer.isView(x) || ArrayBuffer.isView(y)) {
      if (!ArrayBuffer.isView(x) || !ArrayBuffer.isView(y) || x.constructor !== y.constructor) out.push(`${at}: array type ${x?.constructor.name} vs ${(y as object)?.constructor.name}`);
      else if (!bytesOf(x).equals(bytesOf(y))) out.push(`${at}: array contents differ`);
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object') {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const k of keys) {
        const [xv, yv] = [(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]];
        if (xv === undefined && yv === undefined) continue;
        same(xv, yv, `${at}.${k}`);
      }
      return;
    }
    if (!Object.is(x, y)) out.push(`${at}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  };
  for (const n of a.nodes) {
    const m = bn.get(n.name);
    if (!m) out.push(`node ${n.name} missing`);
    else same(n, m, n.name);
  }
  const edges = (g: Graph): string[] => g.edges.map((e) => `${e.from}→${e.to}`).sort();
  if (JSON.stringify(edges(a)) !== JSON.stringify(edges(b))) out.push('edges differ');
  return out;
}

function arrayCount(g: Graph): number {
  let n = 0;
  for (const node of g.nodes) for (const v of Object.values(node)) if (ArrayBuffer.isView(v) || (v && typeof v === 'object' && 'data' in v)) n++;
  return n;
}

describe('neuromesh convert', () => {
  for (const [dir, file] of [['cnn', 'cnn_sinabs.nir'], ['braille', 'braille_noDelay_bias_zero.nir'], ['lif', 'lif_norse.nir']] as const) {
    it(`${file}: .nir → .nmg → .nir keeps every array`, async () => {
      const src = fixture(dir, file);
      const nmg = join(tmp, file.replace('.nir', '.nmg'));
      const back = join(tmp, file.replace('.nir', '.back.nir'));
      const r1 = await runCli(['convert', src, nmg]);
      expect(r1.code, r1.stderr).toBe(0);
      expect(lines(r1.stdout)).toHaveLength(1);
      expect(r1.stdout).toContain('→');
      const r2 = await runCli(['convert', nmg, back]);
      expect(r2.code, r2.stderr).toBe(0);
      const original = await readNir(src);
      expect(arrayCount(original)).toBeGreaterThan(0);
      expect(diffGraphs(original, await readNmg(nmg))).toEqual([]);
      expect(diffGraphs(original, await readNir(back))).toEqual([]);
      if (file === 'cnn_sinabs.nir') {
        // inspect reads .nmg as well and reports the same counts
        const [a, b] = await Promise.all([runCli(['inspect', src, '--json']), runCli(['inspect', nmg, '--json'])]);
        expect(b.code, b.stderr).toBe(0);
        const [ja, jb] = [JSON.parse(a.stdout), JSON.parse(b.stdout)] as { totals: unknown; nodes: unknown; config: { format: string } }[];
        expect(jb!.config.format).toBe('nmg');
        expect(jb!.totals).toEqual(ja!.totals);
        expect(jb!.nodes).toEqual(ja!.nodes);
      }
    });
  }

  it('--gzip writes a .nir that reads back equal', async () => {
    const src = fixture('braille', 'braille_noDelay_noBias_subtract.nir');
    const out = join(tmp, 'gz.nir');
    const r = await runCli(['convert', src, out, '--gzip']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('gzip');
    expect(diffGraphs(await readNir(src), await readNir(out))).toEqual([]);
  });

  it('a failed conversion leaves no output: no new file, an existing file untouched, no temp file', async () => {
    const dir = join(tmp, 'fail');
    mkdirSync(dir);
    const bad = join(dir, 'bad.nir');
    writeFileSync(bad, readFileSync(fixture('cnn', 'cnn_sinabs.nir')).subarray(0, 3000));
    // 1. broken input: nothing created
    const r1 = await runCli(['convert', bad, join(dir, 'new.nmg')]);
    expect(r1.code).toBe(2);
    expect(lines(r1.stderr)).toHaveLength(1);
    // 2. broken input over an existing output: the old file stays as it was
    writeFileSync(join(dir, 'old.nmg'), 'previous contents');
    const r2 = await runCli(['convert', bad, join(dir, 'old.nmg')]);
    expect(r2.code).toBe(2);
    expect(readFileSync(join(dir, 'old.nmg'), 'utf8')).toBe('previous contents');
    // 3. a graph NIR cannot hold (neuromesh's own SparseLinear): refused, naming the node
    const own = join(dir, 'own.nmg');
    await writeNmg({
      nodes: [
        { kind: 'Input', name: 'in', shape: [2] },
        { kind: 'SparseLinear', name: 'syn', in_size: 2, out_size: 2, indptr: Int32Array.from([0, 1, 2]), indices: Int32Array.from([1, 0]), weight: f32([0.5, 0.25]), receptor: 0 },
        { kind: 'LIF', name: 'n', tau: f32([0.01]), r: f32([1]), v_leak: f32([0]), v_threshold: f32([1]) },
        { kind: 'Output', name: 'out', shape: [2] },
      ] as FlatNode[],
      edges: [{ from: 'in', to: 'syn' }, { from: 'syn', to: 'n' }, { from: 'n', to: 'out' }],
    }, own);
    const r3 = await runCli(['convert', own, join(dir, 'own.nir')]);
    expect(r3.code).toBe(2);
    expect(lines(r3.stderr)).toHaveLength(1);
    expect(r3.stderr).toMatch(/E_NOT_NIR .*node 'syn'/);
    // 4. output path is a directory
    mkdirSync(join(dir, 'taken.nmg'));
    const r4 = await runCli(['convert', fixture('lif', 'lif_norse.nir'), join(dir, 'taken.nmg')]);
    expect(r4.code).toBe(2);
    expect(r4.stderr).toMatch(/E_IS_DIRECTORY/);
    for (const r of [r1, r2, r3, r4]) expect(hasStackFrame(r.stderr)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['bad.nir', 'old.nmg', 'own.nmg', 'taken.nmg']);
    expect(existsSync(join(dir, 'new.nmg'))).toBe(false);
  });

  it('refuses bad options and paths before reading: --gzip to .nmg, unknown output extension, same file', async () => {
    const src = fixture('lif', 'lif_norse.nir');
    const cases: [string[], RegExp][] = [
      [['convert', src, join(tmp, 'x.nmg'), '--gzip'], /E_BAD_OPTION/],
      [['convert', src, join(tmp, 'x.onnx')], /E_UNKNOWN_FORMAT .*x\.onnx/],
      [['convert', src, src], /same file/],
      [['convert', src], /missing required argument/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(hasStackFrame(r.stderr)).toBe(false);
    }
    expect(existsSync(join(tmp, 'x.nmg'))).toBe(false);
  });
});
