import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNmp } from '../../chips/index.js';
import { asSpinnaker2Program } from '../../chips/spinnaker2/program-types.js';
import { readNir } from '../../src/io/nir.js';
import { fixture, REPO } from '../helpers/shared.js';
import { ensureBuilt, hasStackFrame, lines, runCli } from '../e2e/cli.js';
import { validate, type Schema } from '../e2e/json-schema.js';

interface CompileJson {
  schema: string;
  totals: { neurons: number; synapses: number; cores: number; sources: number };
  cores: { chip: [number, number]; pe: number; node: string; lo: number; hi: number; key: number; mask: number; synapses: number }[];
  routers: { chip: [number, number]; entries: { key: number; mask: number; route: { links: number[]; cores: number[] } }[] }[];
  machine: { links: { from: [number, number]; link: number; to: [number, number] }[] };
}

const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'compile.schema.json'), 'utf8')) as Schema;
let dir: string;
beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'nm-compile-'));
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A checker that knows only the JSON: replay one key from its source chip; returns "x,y/pe" strings. */
function replay(doc: CompileJson, src: [number, number], key: number): string[] {
  const tables = new Map(doc.routers.map((r) => [r.chip.join(','), r.entries]));
  const next = new Map(doc.machine.links.map((l) => [`${l.from.join(',')}/${l.link}`, l.to.join(',')]));
  const out: string[] = [];
  const stack = [src.join(',')];
  const seen = new Set<string>();
  while (stack.length) {
    const c = stack.pop()!;
    if (seen.has(c)) throw new Error(`key ${key} loops at ${c}`);
    seen.add(c);
    const e = (tables.get(c) ?? []).find((x) => ((key & x.mask) >>> 0) === x.key);
    if (!e) throw new Error(`key ${key} dropped at chip ${c}`);
    for (const pe of e.route.cores) out.push(`${c}/${pe}`);
    for (const l of e.route.links) stack.push(next.get(`${c}/${l}`)!);
  }
  return out.sort();
}

describe('neuromesh compile (CLI)', () => {
  it('Braille --json: valid schema; replaying the tables delivers every neuron key to the cores of its graph targets', async () => {
    const model = fixture('braille', 'braille_noDelay_bias_zero.nir');
    const r = await runCli(['compile', model, '--chip', 'spinnaker2-48', '--json', '--max-neurons-per-core', 'lif1.lif=10']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as CompileJson;
    expect(validate(doc, schema)).toEqual([]);
    expect(doc.schema).toBe('neuromesh/compile@1');
    // the cap split lif1.lif over 4 cores
    expect(doc.cores.filter((c) => c.node === 'lif1.lif').map((c) => c.hi - c.lo)).toEqual([10, 10, 10, 8]);
    // connectivity straight from the graph: Affine/Linear between populations
    const g = await readNir(model);
    const coreOf = (node: string, n: number): string => {
      const c = doc.cores.find((x) => x.node === node && n >= x.lo && n < x.hi)!;
      return `${c.chip.join(',')}/${c.pe}`;
    };
    const targets = new Map<string, Set<string>>(); // "node:i" → cores
    for (const e of g.edges) {
      const a = g.nodes.find((n) => n.name === e.to)!;
      if (a.kind !== 'Affine' && a.kind !== 'Linear') continue;
      const post = g.edges.find((x) => x.from === a.name)!.to;
      const [nOut, nIn] = a.weight.shape as [number, number];
      for (let i = 0; i < nIn; i++)
        for (let j = 0; j < nOut; j++)
          if (a.weight.data[j * nIn + i] !== 0) {
            const k = `${e.from}:${i}`;
            (targets.get(k) ?? targets.set(k, new Set()).get(k)!).add(coreOf(post, j));
          }
    }
    let checked = 0;
    for (const c of doc.cores) {
      const sliceTargets = new Set<string>();
      for (let n = c.lo; n < c.hi; n++) for (const t of targets.get(`${c.node}:${n}`) ?? []) sliceTargets.add(t);
      for (let n = c.lo; n < c.hi; n++) {
        if (!sliceTargets.size) {
          // a slice without targets has no entry anywhere: its packets would be dropped and counted
          expect(() => replay(doc, c.chip, (c.key + n - c.lo) >>> 0)).toThrow(/dropped/);
          checked++;
          continue;
        }
        const got = replay(doc, c.chip, (c.key + n - c.lo) >>> 0);
        for (const t of targets.get(`${c.node}:${n}`) ?? []) expect(got).toContain(t);
        expect(got).toEqual([...sliceTargets].sort());
        checked++;
      }
    }
    expect(checked).toBe(12 + 38 + 7);
    expect(doc.totals.synapses).toBe(doc.cores.reduce((a, c) => a + c.synapses, 0));
  });

  it('CNN -o out.nmp: summary printed, the same seed gives byte-identical files, the file decodes', async () => {
    const model = fixture('cnn', 'cnn_sinabs.nir');
    const a = join(dir, 'a.nmp');
    const b = join(dir, 'b.nmp');
    const ra = await runCli(['compile', model, '--chip', 'spinnaker2-48', '-o', a, '--seed', '7'], { timeoutMs: 60_000 });
    const rb = await runCli(['compile', model, '--chip', 'spinnaker2-48', '-o', b, '--seed', '7'], { timeoutMs: 60_000 });
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code).toBe(0);
    expect(ra.stdout).toMatch(/neurons 8,970 placed/);
    expect(ra.stdout).toMatch(/router entries \d+ before compression, \d+ after/);
    expect(ra.stdout).toMatch(/placement cost [\d.]+ \(locality start [\d.]+, naive row-major [\d.]+/);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const p = asSpinnaker2Program(decodeNmp(new Uint8Array(readFileSync(a)), a));
    expect(p.profile.id).toBe('spinnaker2-48');
    expect(p.seed).toBe(7);
    expect(p.payload.summary.neurons).toBe(8970);
    expect(p.payload.cores.reduce((s, c) => s + c.words.length, 0)).toBe(p.payload.summary.synapses);
    expect(p.graphHash).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);

  it('compile --routing exact -o x.nmp, then run x.nmp: refused in one line (the runtime routes per core), exit 2, no stack', async () => {
    const out = join(dir, 'exact.nmp');
    const c = await runCli(['compile', fixture('cnn', 'cnn_sinabs.nir'), '--chip', 'spinnaker2-48', '--routing', 'exact', '--max-neurons-per-core', '64', '-o', out, '--quiet'], { timeoutMs: 60_000 });
    expect(c.code, c.stderr).toBe(0);
    const r = await runCli(['run', out, '--chip', 'spinnaker2-48', '--steps', '5', '--input', 'poisson:rate=100,seed=1'], { timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/E_UNSUPPORTED.*routed per neuron block.*recompile without --routing exact/);
    expect(r.stderr).toContain('exact.nmp');
    expect(hasStackFrame(r.stderr)).toBe(false);
  }, 120_000);

  it('a bad --chip file or an unknown profile is one line naming the field, exit 2, no stack', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ extends: 'spinnaker2-48', id: 'mine', version: '1', limits: { maxNeuronsPerCore: { value: 64, unit: 'neuron' } } }));
    const r = await runCli(['compile', fixture('lif', 'lif_norse.nir'), '--chip', bad]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/field 'limits\.maxNeuronsPerCore'/);
    expect(hasStackFrame(r.stderr)).toBe(false);
    const u = await runCli(['compile', fixture('lif', 'lif_norse.nir'), '--chip', 'loihi9']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown chip profile 'loihi9'.*spinnaker2-48/);
    const cap = await runCli(['compile', fixture('lif', 'lif_norse.nir'), '--chip', 'spinnaker2', '--max-neurons-per-core', 'nosuch=4']);
    expect(cap.code).toBe(2);
    expect(cap.stderr).toMatch(/node 'nosuch'/);
  });

  it('a user profile extending a built-in compiles; profiles lists and validates', async () => {
    const mine = join(dir, 'mine.json');
    writeFileSync(mine, JSON.stringify({ extends: 'spinnaker2', id: 'tiny', version: '1', name: 'tiny chip', limits: { maxNeuronsPerCore: { value: 16, unit: 'neuron', assumed: 'test' } } }));
    const r = await runCli(['compile', fixture('braille', 'braille_noDelay_noBias_subtract.nir'), '--chip', mine, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as CompileJson;
    expect(Math.max(...doc.cores.map((c) => c.hi - c.lo))).toBeLessThanOrEqual(16);
    const l = await runCli(['profiles']);
    expect(l.code).toBe(0);
    for (const id of ['spinnaker2', 'spinnaker2-48', 'spinnaker2-48-wrap', 'spinnaker2-triad']) expect(l.stdout).toContain(id);
    const s = await runCli(['profiles', 'spinnaker2-48']);
    expect(s.stdout).toMatch(/chip\.routerEntries\s+16384 entry\s+source:/);
  });
});
