import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkModel, type CheckCliOptions } from '../../src/cli/commands/check.js';
import type { CliIO } from '../../src/cli/context.js';
import { serializeDoc, withoutHost } from '../../src/cli/json.js';
import { buildKernels } from '../chips/spinnaker2/helpers.js';
import { validate, type Schema } from '../e2e/json-schema.js';
import { REPO } from '../helpers/shared.js';
import { tinyModelFile, zeroedWeightGraph } from './tiny-model.js';

const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'check.schema.json'), 'utf8')) as Schema;
const io: CliIO = { out: () => {}, err: () => {}, tty: false };
let model: string;

beforeAll(async () => {
  buildKernels();
  model = await tinyModelFile();
});

const opts = (o: Partial<CheckCliOptions> = {}): CheckCliOptions => ({ chip: 'spinnaker2', runs: '25', steps: '30', seed: '7', ...o });

describe('neuromesh check on a tiny model (in[2] → Linear → LIF out[2])', () => {
  it('a correct mapping passes every run; both verdicts pass; the coverage counts real inputs; the document fits the schema', async () => {
    const r = await checkModel(model, opts(), io, true);
    expect(r.outcome.ok).toBe(true);
    expect(r.outcome.runs).toBe(25);
    const cov = r.outcome.coverage;
    expect(cov.runs).toBe(25);
    expect(cov.inputSpikes.total).toBeGreaterThan(20);
    expect(cov.steps.max).toBeLessThanOrEqual(30);
    expect(cov.rateHz.max).toBeGreaterThan(0);
    expect(cov.shapes.single + cov.shapes.burst + cov.shapes.rate).toBeGreaterThan(10);
    expect(validate(JSON.parse(serializeDoc(r.doc)), schema)).toEqual([]);
    expect(r.doc).toMatchObject({ schema: 'neuromesh/check@1', ok: true, verdicts: { golden: 'pass', reference: 'pass' }, counterexamples: [] });
    expect(r.text).toMatch(/25 runs passed/);
    expect(r.text).toMatch(/\|Δspikes\| ≤ 1 \+ 0\.1·max\(chip, reference\) per neuron/);
  }, 60_000);

  const faults: [string, string][] = [
    ['a wrong routing entry (an entry loses its local cores)', 'route'],
    ['a wrong fixed-point shift (ring-buffer shift + 1 on a core)', 'shift:delta=1'],
    ['a dropped packet (one source neuron’s row never reached)', 'drop'],
  ];
  for (const [what, fault] of faults)
    it(`finds ${what} as chip ≠ golden and shrinks it to ≤ 3 input spikes and ≤ 10 steps`, async () => {
      const r = await checkModel(model, opts(), io, true, { faults: [fault] });
      expect(r.outcome.ok).toBe(false);
      const cx = r.outcome.counterexample!;
      expect(cx.evaluation.golden!.ok).toBe(false);
      expect(cx.stimulus.spikes.length).toBeGreaterThanOrEqual(1);
      expect(cx.stimulus.spikes.length).toBeLessThanOrEqual(3);
      expect(cx.stimulus.steps).toBeLessThanOrEqual(10);
      const d = cx.evaluation.golden!.difference!;
      expect(d.node).toBe('out');
      expect(d.step).toBeLessThan(cx.stimulus.steps);
      expect(d.chipSpiked).not.toBe(d.otherSpiked);
      const doc = JSON.parse(serializeDoc(r.doc)) as { counterexamples: { verdict: string; replay: string }[] };
      expect(validate(doc, schema)).toEqual([]);
      expect(doc.counterexamples.map((c) => c.verdict)).toContain('golden');
      expect(r.text).toMatch(/chip vs golden model: FAIL \(exact\): out\[\d\] first differs at step \d+/);
      expect(r.text).toMatch(/replay: neuromesh check \S+ --chip spinnaker2 --steps 30 --seed 7 --runs 25 --replay -?\d+:[\d:]*/);
      expect(r.doc.replayCommand).toBe(r.text.match(/replay: (.*)/)![1]);
    }, 60_000);

  it('--replay seed:path reproduces the same counterexample byte for byte; the same seed gives the same document', async () => {
    const a = await checkModel(model, opts(), io, true, { faults: ['drop'] });
    const replay = a.outcome.counterexample!.replay;
    const b = await checkModel(model, opts({ replay }), io, true, { faults: ['drop'] });
    expect(b.outcome.ok).toBe(false);
    const cxs = (r: typeof a): string => JSON.stringify(JSON.parse(serializeDoc(r.doc)).counterexamples);
    expect(cxs(b)).toBe(cxs(a));
    const c = await checkModel(model, opts(), io, true, { faults: ['drop'] });
    expect(withoutHost(serializeDoc(c.doc))).toBe(withoutHost(serializeDoc(a.doc)));
  }, 60_000);

  it('a strict tolerance against the reference is reported apart from the golden verdict', async () => {
    // the shift fault doubles weights: golden and (with tolerance exact) reference both differ
    const r = await checkModel(model, opts({ tolerance: 'exact' }), io, true, { faults: ['shift:delta=1'] });
    const ev = r.outcome.counterexample!.evaluation;
    expect(ev.golden!.ok).toBe(false);
    expect(ev.reference.ok).toBe(false);
    expect(ev.reference.difference!.node).toBe('out');
    expect((r.doc.counterexamples as unknown[]).length).toBe(2);
  }, 60_000);

  it('a weight rounded to zero is chip ≠ reference while chip ≡ golden; the default tolerance (1 spike) shrinks it to 2 input spikes', async () => {
    const zeroed = await tinyModelFile(zeroedWeightGraph(), 'zeroed');
    const r = await checkModel(zeroed, opts(), io, true);
    expect(r.outcome.ok).toBe(false);
    const ev = r.outcome.counterexample!.evaluation;
    expect(ev.golden!.ok).toBe(true);
    expect(ev.reference.ok).toBe(false);
    expect(ev.reference.difference).toMatchObject({ node: 'out', neuron: 1, chipSpiked: false, otherSpiked: true, chipCount: 0, otherCount: 2 });
    const s = r.outcome.counterexample!.stimulus;
    expect(s.spikes).toHaveLength(2);
    expect(s.spikes.every((e) => e.input === 'in' && e.neuron === 1)).toBe(true);
    expect(r.doc).toMatchObject({ verdicts: { golden: 'pass', reference: 'fail' } });
    expect(r.text).toMatch(/chip vs golden model: pass/);
    // the weight lost on the chip is no rounding tie: the explanation says so, with the chip's v
    const first = (r.doc as unknown as { firstDivergence: { nearTie: boolean; first: { node: string; neuron: number; chipSpiked: boolean; relativeMargin: number }[] } }).firstDivergence;
    expect(first.nearTie).toBe(false);
    expect(first.first[0]).toMatchObject({ node: 'out', neuron: 1, chipSpiked: false });
    expect(first.first[0]!.relativeMargin).toBeGreaterThan(0.01);
    expect(r.text).toMatch(/first divergence: out\[1\] at step \d+ \(chip silent, reference spiked\).*not a near-tie/);
    expect(validate(JSON.parse(serializeDoc(r.doc)), schema)).toEqual([]);
  }, 60_000);

  it('bad options are one-line diagnostics (exit 2)', async () => {
    await expect(checkModel(model, opts({ tolerance: 'count=x' }), io, true)).rejects.toMatchObject({ exitCode: 2 });
    await expect(checkModel(model, opts({ replay: 'abc' }), io, true)).rejects.toMatchObject({ exitCode: 2 });
    await expect(checkModel(model, opts({ runs: '0' }), io, true)).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('a seeded 5 % weight fault (every weight code × 1.05)', () => {
  it('is caught against the reference alone (no golden model), near-ties following the chip; the faithful mapping passes the same check', async () => {
    const braille = join(REPO, 'test/fixtures/nir-paper/braille/braille_noDelay_bias_zero.nir');
    const o = opts({ runs: '25', steps: '100', seed: '1' });
    const ok = await checkModel(braille, o, io, true, { withoutGolden: true });
    expect(ok.outcome.ok).toBe(true);
    expect(ok.doc).toMatchObject({ verdicts: { golden: 'unchecked', reference: 'pass' }, config: { thresholdTies: { relative: 1e-3 } } });
    const r = await checkModel(braille, o, io, true, { faults: ['weight'], withoutGolden: true });
    expect(r.outcome.ok).toBe(false);
    expect(r.outcome.counterexample!.evaluation.reference.ok).toBe(false);
    expect(r.text).toMatch(/chip vs reference: FAIL .*reference crossings within 0\.1 % of v_threshold follow the chip/);
  }, 60_000);
});

describe('--invariants and --property', () => {
  it('a correct mapping keeps every invariant; a wrong routing entry breaks routing, named with node and core', async () => {
    const good = await checkModel(model, opts({ runs: '8', invariants: true }), io, true);
    expect(good.outcome.ok).toBe(true);
    expect(good.doc).toMatchObject({ verdicts: { invariants: 'pass' }, staticViolations: [] });
    const bad = await checkModel(model, opts({ runs: '8', invariants: true }), io, true, { faults: ['route'] });
    expect(bad.outcome.ok).toBe(false);
    const st = bad.doc.staticViolations as { invariant: string; node?: string; core?: number }[];
    expect(st.some((v) => v.invariant === 'routing' && v.node === 'out' && typeof v.core === 'number')).toBe(true);
    const cx = bad.outcome.counterexample!;
    expect(cx.evaluation.violations!.some((v) => v.invariant === 'routing' && /synaptic events/.test(v.message))).toBe(true);
    expect(validate(JSON.parse(serializeDoc(bad.doc)), schema)).toEqual([]);
    expect(bad.text).toMatch(/invariant routing: out: .*core \d+/);
  }, 60_000);

  it('a property that the model breaks is found with a minimal input; one it keeps passes', async () => {
    // one spike on in[0] makes out[0] spike: "out never spikes" fails on a single input spike
    const r = await checkModel(model, opts({ property: ['spikes(out)<=0'] }), io, true);
    expect(r.outcome.ok).toBe(false);
    const cx = r.outcome.counterexample!;
    expect(cx.stimulus.spikes.length).toBe(1);
    expect(cx.evaluation.properties![0]).toMatchObject({ name: 'spikes(out)<=0', ok: false });
    expect(cx.evaluation.golden!.ok).toBe(true);
    expect(validate(JSON.parse(serializeDoc(r.doc)), schema)).toEqual([]);
    // a spike on in[0] alone always makes out[0] spike at least as often as out[1]
    const ok = await checkModel(model, opts({ runs: '15', property: ['spikes(in,1)<=0 => spikes(out,0)>=spikes(out,1)', 'total-spikes<=200'] }), io, true);
    expect(ok.outcome.ok).toBe(true);
    expect(ok.text).toMatch(/property total-spikes<=200: pass/);
    await expect(checkModel(model, opts({ property: ['spikes(nope)>1'] }), io, true)).rejects.toMatchObject({ exitCode: 2 });
  }, 60_000);
});

describe('progress', () => {
  it('draws a progress bar on a terminal while checking, and none with --json', async () => {
    const { Writable } = await import('node:stream');
    let drawn = '';
    const stream = Object.assign(new Writable({ write(chunk: Buffer, _enc, cb) { drawn += chunk.toString(); cb(); } }), { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    const tty: CliIO = { out: () => {}, err: () => {}, tty: true, errStream: stream };
    await checkModel(model, opts({ runs: '4' }), tty, false);
    expect(drawn).toMatch(/check \[/);
    drawn = '';
    await checkModel(model, opts({ runs: '4', json: true }), tty, false);
    expect(drawn).toBe('');
  }, 60_000);
});
