import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/graph/graph.js';
import { readNir } from '../../src/io/nir.js';
import { fixture, REPO } from '../helpers/shared.js';
import { naiveBytes, naiveSynapses, NEURON_KINDS, prod } from '../graph/stats-naive.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, lines, runCli } from './cli.js';
import { validate, type Schema } from './json-schema.js';

/** `neuromesh inspect` run as a user runs it (built CLI in a child process; see cli.ts for the build). */

interface InspectJson {
  schema: string;
  config: { model: string; format: string };
  totals: { neurons: number; synapses: { dense: number; nonzero: number; stored: number }; parameterBytes: number };
  nodes: { name: string; kind: string; shape: number[]; neurons: number; parameters: number; parameterBytes: number; synapses: { dense: number; nonzero: number; stored: number } | null }[];
  edges: [string, string][];
  nirVersion: string | null;
  host?: unknown;
}

const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'inspect.schema.json'), 'utf8')) as Schema;

/** Every .nir fixture except the two upstream-broken *_subgraph files (fixtures README). */
function validFixtures(): string[] {
  const out: string[] = [];
  for (const dir of ['lif', 'cnn', 'braille'])
    for (const f of readdirSync(fixture(dir))) if (f.endsWith('.nir') && !f.endsWith('_subgraph.nir')) out.push(fixture(dir, f));
  return out;
}

/** Independent totals for a NIR file: read it, then count naively node by node. */
async function naiveTotals(path: string) {
  const g = await readNir(path);
  const { shapes } = analyze(g);
  const syn = { dense: 0, nonzero: 0, stored: 0 };
  let neurons = 0;
  let bytes = 0;
  const perNode = new Map<string, ReturnType<typeof naiveSynapses>>();
  for (const n of g.nodes) {
    const inp = shapes!.input.get(n.name);
    const s = inp ? naiveSynapses(n, inp) : null;
    perNode.set(n.name, s);
    if (s) {
      syn.dense += s.dense;
      syn.nonzero += s.nonzero;
      syn.stored += s.stored;
    }
    if (NEURON_KINDS.has(n.kind)) neurons += prod(shapes!.output.get(n.name)!);
    bytes += naiveBytes(n);
  }
  return { totals: { neurons, synapses: syn, parameterBytes: bytes }, perNode, graph: g };
}

let tmp: string;
beforeAll(async () => {
  await ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'neuromesh-e2e-inspect-'));
}, BUILD_TIMEOUT_MS);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('neuromesh inspect', () => {
  it('cnn_sinabs.nir --json: 8,970 neurons, synapse counts equal an independent count, valid schema', async () => {
    const model = fixture('cnn', 'cnn_sinabs.nir');
    const r = await runCli(['inspect', model, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as InspectJson;
    expect(validate(doc, schema)).toEqual([]);
    expect(doc.schema).toBe('neuromesh/inspect@1');
    expect(doc.config).toEqual({ model, format: 'nir' });
    expect(doc.nirVersion).toBe('0.2.0');
    expect(doc.totals.neurons).toBe(8970);
    const naive = await naiveTotals(model);
    expect(doc.totals).toEqual(naive.totals);
    for (const n of doc.nodes) expect(n.synapses, n.name).toEqual(naive.perNode.get(n.name));
    // the architecture of the fixtures README, in evaluation order
    expect(doc.nodes.map((n) => n.kind)).toEqual([
      'Input', 'Conv2d', 'IF', 'Conv2d', 'IF', 'SumPool2d', 'Conv2d', 'IF', 'SumPool2d', 'Flatten', 'Affine', 'IF', 'Affine', 'IF', 'Output',
    ]);
    // a conv's shared kernel: stored once, used at every output position
    const conv = doc.nodes.find((n) => n.kind === 'Conv2d')!;
    expect(conv.synapses!.stored).toBe(16 * 2 * 5 * 5);
    expect(conv.synapses!.nonzero).toBeGreaterThan(conv.synapses!.stored);
    expect(doc.edges).toHaveLength(14);
  });

  it('every valid fixture inspects with exit 0, and its totals match the independent count', async () => {
    const files = validFixtures();
    expect(files.length).toBeGreaterThanOrEqual(6);
    const results = await Promise.all(files.map((f) => runCli(['inspect', f, '--json'])));
    for (const [i, r] of results.entries()) {
      expect(r.code, `${files[i]}: ${r.stderr}`).toBe(0);
      const doc = JSON.parse(r.stdout) as InspectJson;
      expect(validate(doc, schema), files[i]).toEqual([]);
      expect(doc.totals, files[i]).toEqual((await naiveTotals(files[i]!)).totals);
    }
    const byName = new Map(files.map((f, i) => [f.split('/').pop()!, JSON.parse(results[i]!.stdout) as InspectJson]));
    // fixtures README: one LIF neuron; two LIF neurons; Braille: CubaLIF 38 + 7 with a recurrent lif1.w_rec
    expect(byName.get('lif_norse.nir')!.totals.neurons).toBe(1);
    expect(byName.get('two_lif_neurons.nir')!.totals.neurons).toBe(2);
    const braille = byName.get('braille_noDelay_bias_zero.nir')!;
    expect(braille.totals.neurons).toBe(45);
    expect(braille.nodes.find((n) => n.name === 'lif1.w_rec')?.synapses?.dense).toBe(38 * 38);
  });

  it('prints a table by default and writes the same JSON to -o as to stdout', async () => {
    const model = fixture('lif', 'two_lif_neurons.nir');
    const table = await runCli(['inspect', model]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^node\s+kind\s+shape\s+neurons\s+synapses/m);
    expect(table.stdout).toMatch(/^total\s+2\s/m);
    const out = join(tmp, 'sub', 'two.json');
    const both = await runCli(['inspect', model, '--json', '-o', out]);
    expect(both.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(both.stdout);
    expect(readdirSync(join(tmp, 'sub'))).toEqual(['two.json']); // no temp file left behind
  });

  it('is deterministic: everything but host is byte-identical across runs', async () => {
    const model = fixture('braille', 'braille_noDelay_noBias_subtract.nir');
    const [a, b] = await Promise.all([runCli(['inspect', model, '--json']), runCli(['inspect', model, '--json'])]);
    expect(a.code).toBe(0);
    const cut = (t: string): string => t.slice(0, t.indexOf('\n  "host": '));
    expect(cut(a.stdout).length).toBeGreaterThan(100);
    expect(cut(a.stdout)).toBe(cut(b.stdout));
    expect((JSON.parse(a.stdout) as InspectJson).host).toBeDefined();
  });

  it('refuses the two broken Braille subgraph files in ONE line naming the subgraph lif1 and the missing node lif', async () => {
    for (const f of ['braille_noDelay_bias_zero_subgraph.nir', 'braille_noDelay_noBias_subtract_subgraph.nir']) {
      const r = await runCli(['inspect', fixture('braille', f)]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const err = lines(r.stderr);
      expect(err).toHaveLength(1);
      expect(err[0]).toContain(f);
      expect(err[0]).toMatch(/subgraph 'lif1'/);
      expect(err[0]).toMatch(/'lif'/);
      expect(hasStackFrame(r.stderr)).toBe(false);
    }
  });
});

describe('inspect names where the graph came from', () => {
  let dir = '';
  beforeAll(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'neuromesh-inspect-version-'));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a NIR file without a version attribute is described as such, not as '(not from a NIR file)'", async () => {
    const { lifTree, treeToBytes } = await import('../io/nir-helpers.js');
    const tree = lifTree();
    delete tree.version;
    const file = join(dir, 'no_version.nir');
    writeFileSync(file, await treeToBytes(tree));
    const r = await runCli(['inspect', file]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)[0]).toMatch(/\(NIR file without a version attribute\)$/);
    const j = await runCli(['inspect', file, '--json']);
    expect((JSON.parse(j.stdout) as InspectJson).nirVersion).toBeNull();
    const nmg = join(dir, 'built.nmg');
    const { network } = await import('../../src/graph/builder.js');
    const { lif } = await import('../../src/graph/builder-models.js');
    const { allToAll } = await import('../../src/graph/connectors.js');
    const { saveModel } = await import('../../src/io/load.js');
    const net = network({ name: 'b' });
    net.projection(net.input('in', 1), net.population('p', 1, lif({ tau: 5e-3, v_threshold: 0.05 })), allToAll(), { weight: 1 });
    await saveModel(net.toGraph({ dt: 1e-4 }), nmg);
    expect(lines((await runCli(['inspect', nmg])).stdout)[0]).toMatch(/\(not from a NIR file\)$/);
  }, 60_000);
});
