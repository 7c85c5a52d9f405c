import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../src/graph/graph.js';
import { f32 } from '../../src/graph/tensor.js';
import { encodeGraph } from '../../src/io/proto/graph-codec.js';
import { fixture } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, lines, MAIN, runCli, runNode, type CliResult } from './cli.js';

/**
 * Bad inputs through the built CLI (docs/semantics.md §7): each malformed file is refused with exit 2,
 * exactly one stderr line (`error E_… <file>: …`), no stack trace, within seconds. The corpus is
 * generated here into a temp directory from the fixtures (truncations, corruptions) and from
 * scratch (text, garbage, empty files).
 */

let tmp: string;
const corpus: { name: string; path: string; mentions: string }[] = [];

/** Deterministic pseudo-random bytes (an LCG: this is test data, not engine randomness). */
function garbage(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** A small valid graph encoded as .nmg (Input → Linear → LIF → Output). */
function validNmgBytes(): Uint8Array {
  return encodeGraph({
    nodes: [
      { kind: 'Input', name: 'in', shape: [3] },
      { kind: 'Linear', name: 'w', weight: f32([1, 2, 3, 4, 5, 6], [2, 3]) },
      { kind: 'LIF', name: 'n', tau: f32([0.01]), r: f32([1]), v_leak: f32([0]), v_threshold: f32([1]) },
      { kind: 'Output', name: 'out', shape: [2] },
    ],
    edges: [{ from: 'in', to: 'w' }, { from: 'w', to: 'n' }, { from: 'n', to: 'out' }],
  });
}

beforeAll(async () => {
  await ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'neuromesh-e2e-errors-'));
  const cnn = readFileSync(fixture('cnn', 'cnn_sinabs.nir'));
  const nmg = validNmgBytes();
  const add = (name: string, data: string | Uint8Array | null, mentions = name): void => {
    const path = join(tmp, name);
    if (data !== null) writeFileSync(path, data);
    corpus.push({ name, path, mentions });
  };
  add('text.nir', 'this is not an HDF5 file\njust text\n');
  add('empty.nir', '');
  add('truncated-half.nir', cnn.subarray(0, Math.floor(cnn.length / 2)));
  add('truncated-header.nir', cnn.subarray(0, 600));
  add('signature-then-garbage.nir', Buffer.concat([cnn.subarray(0, 8), garbage(4096, 7)]));
  const badSuper = Buffer.from(cnn);
  badSuper.fill(0xff, 8, 96);
  add('corrupt-superblock.nir', badSuper);
  add('garbage.nmg', garbage(2048, 11));
  add('empty.nmg', '');
  add('text.nmg', 'hello\n');
  add('truncated.nmg', nmg.subarray(0, Math.floor(nmg.length / 2)));
  add('model.onnx', garbage(64, 3));
  add('no-extension', 'x');
  add('missing.nir', null);
  mkdirSync(join(tmp, 'folder.nir'));
  corpus.push({ name: 'folder.nir (a directory)', path: join(tmp, 'folder.nir'), mentions: 'folder.nir' });
}, BUILD_TIMEOUT_MS);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Run with at most two processes at a time (the machine has 2 cores). */
async function runAll(args: (string[])[]): Promise<CliResult[]> {
  const out: CliResult[] = new Array(args.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < args.length) {
      const i = next++;
      out[i] = await runCli(args[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

describe('malformed inputs', () => {
  it('each one: exit 2, exactly one stderr line naming the file, no stack, within seconds', async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(14);
    const results = await runAll(corpus.map((c) => ['inspect', c.path]));
    const report = corpus.map((c, i) => ({ name: c.name, code: results[i]!.code, ms: results[i]!.ms, stderr: results[i]!.stderr.trim() }));
    for (const [i, c] of corpus.entries()) {
      const r = results[i]!;
      const where = `${c.name}: ${JSON.stringify(report[i])}`;
      expect(r.code, where).toBe(2);
      expect(r.stdout, where).toBe('');
      const err = lines(r.stderr);
      expect(err, where).toHaveLength(1);
      expect(err[0], where).toMatch(/^error E_[A-Z0-9_]+ /);
      expect(err[0], where).toContain(c.mentions);
      expect(hasStackFrame(r.stderr), where).toBe(false);
      expect(r.ms, where).toBeLessThan(10_000);
    }
  });

  it('convert refuses them too and writes nothing', async () => {
    const some = corpus.filter((c) => /truncated-half|garbage\.nmg|empty\.nir|missing/.test(c.name));
    const outs = some.map((c, i) => join(tmp, `out-${i}.nmg`));
    const results = await runAll(some.map((c, i) => ['convert', c.path, outs[i]!]));
    for (const [i, r] of results.entries()) {
      expect(r.code, some[i]!.name).toBe(2);
      expect(lines(r.stderr), some[i]!.name).toHaveLength(1);
      expect(() => readFileSync(outs[i]!), some[i]!.name).toThrow();
    }
  });
});

describe('semantically broken models (.nmg written without validation)', () => {
  // encodeGraph does not validate, so each file below holds exactly one semantic defect.
  const base = (): Graph => ({
    nodes: [
      { kind: 'Input', name: 'in', shape: [3] },
      { kind: 'Linear', name: 'w', weight: f32([1, 2, 3, 4, 5, 6], [2, 3]) },
      { kind: 'LIF', name: 'n', tau: f32([0.01]), r: f32([1]), v_leak: f32([0]), v_threshold: f32([1]) },
      { kind: 'Output', name: 'out', shape: [2] },
    ],
    edges: [{ from: 'in', to: 'w' }, { from: 'w', to: 'n' }, { from: 'n', to: 'out' }],
  });
  const node = (g: Graph, name: string): Record<string, unknown> => g.nodes.find((n) => n.name === name) as unknown as Record<string, unknown>;
  const cases: { name: string; code: string; where: RegExp; make: (g: Graph) => void }[] = [
    { name: 'nan-weight', code: 'E_NOT_FINITE', where: /node 'w' field 'weight'/, make: (g) => { (node(g, 'w').weight as { data: Float32Array }).data[4] = Number.NaN; } },
    { name: 'inf-threshold', code: 'E_NOT_FINITE', where: /node 'n' field 'v_threshold'/, make: (g) => { node(g, 'n').v_threshold = f32([Infinity]); } },
    { name: 'zero-tau', code: 'E_NON_POSITIVE', where: /node 'n' field 'tau'/, make: (g) => { node(g, 'n').tau = f32([0]); } },
    { name: 'negative-tau', code: 'E_NON_POSITIVE', where: /node 'n' field 'tau'/, make: (g) => { node(g, 'n').tau = f32([-0.01]); } },
    { name: 'shape-mismatch', code: 'E_SHAPE_MISMATCH', where: /node 'w'/, make: (g) => { node(g, 'in').shape = [4]; } },
    { name: 'unknown-edge', code: 'E_UNKNOWN_NODE', where: /'ghost'/, make: (g) => { g.edges.push({ from: 'n', to: 'ghost' }); } },
    { name: 'stateless-cycle', code: 'E_STATELESS_CYCLE', where: /node '/, make: (g) => {
      g.nodes.push({ kind: 'Linear', name: 'back', weight: f32([1, 0, 0, 1, 0, 0], [3, 2]) });
      g.edges.push({ from: 'w', to: 'back' }, { from: 'back', to: 'w' });
    } },
    { name: 'zero-size', code: 'E_ZERO_SIZE', where: /node 'in' field 'shape'/, make: (g) => { node(g, 'in').shape = [0]; } },
    { name: 'absurd-size', code: 'E_BAD_SHAPE', where: /node 'in' field 'shape'/, make: (g) => { node(g, 'in').shape = [2 ** 30, 2 ** 30]; } },
  ];

  it('each defect: exit 2, one line with its code naming the node and field, no stack', async () => {
    const paths = cases.map((c) => {
      const g = base();
      c.make(g);
      const path = join(tmp, `${c.name}.nmg`);
      writeFileSync(path, encodeGraph(g));
      return path;
    });
    const results = await runAll(paths.map((p) => ['inspect', p]));
    for (const [i, c] of cases.entries()) {
      const r = results[i]!;
      expect(r.code, `${c.name}: ${r.stderr}`).toBe(2);
      const err = lines(r.stderr);
      expect(err, c.name).toHaveLength(1);
      expect(err[0], c.name).toMatch(new RegExp(`^error ${c.code} \\S*${c.name}\\.nmg`));
      expect(err[0], c.name).toMatch(c.where);
      expect(hasStackFrame(r.stderr), c.name).toBe(false);
    }
  });
});

describe('internal errors', () => {
  // An internal error cannot be provoked through a correct command, so this injects a command that
  // throws a TypeError into the real main() of the built CLI.
  const script = `
    const m = await import(process.argv[1]);
    process.exitCode = await m.main(process.argv.slice(2), [async () => ({
      register: (p) => p.command('boom').action(() => { const o = undefined; return o.field; }),
    })]);`;
  const run = (args: string[]): Promise<CliResult> => runNode(['--input-type=module', '-e', script, pathToFileURL(MAIN).href, ...args]);

  it('exit 3 with one E_INTERNAL line and no stack without --debug', async () => {
    const r = await run(['boom']);
    expect(r.code).toBe(3);
    const err = lines(r.stderr);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error E_INTERNAL .*--debug/);
    expect(hasStackFrame(r.stderr)).toBe(false);
  });

  it('--debug prints the stack trace', async () => {
    const r = await run(['--debug', 'boom']);
    expect(r.code).toBe(3);
    expect(lines(r.stderr)[0]).toMatch(/^error E_INTERNAL /);
    expect(r.stderr).toMatch(/TypeError/);
    expect(hasStackFrame(r.stderr)).toBe(true);
  });

  it('--debug also works after the command name', async () => {
    const r = await run(['boom', '--debug']);
    expect(r.code).toBe(3);
    expect(hasStackFrame(r.stderr)).toBe(true);
  });
});
