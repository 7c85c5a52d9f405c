import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, REPO } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, lines, runCli } from './cli.js';
import { validate, type Schema } from './json-schema.js';

const schemaOf = (name: string) => JSON.parse(readFileSync(join(REPO, 'schemas', `${name}.schema.json`), 'utf8')) as Schema;
let tmp: string;
beforeAll(async () => {
  await ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'neuromesh-scale-'));
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface RunDoc {
  config: { weightScale: number; weightScaleSource: string; weightResolution: number | null; weightScaleNote: string };
  spikes: Record<string, { steps: number[]; neurons: number[] }>;
  traces: Record<string, { v: number[][] }>;
  compare?: { nodes: Record<string, { differingSpikes: number; countDifference: number }> };
}

const LIF = fixture('lif', 'lif_norse.nir');
const LIF_INPUT = `trace:${fixture('lif', 'lif_exact.csv')}`;

describe('weight scale chosen by the chip (no --weight-scale)', () => {
  it('lif_norse in volts runs on spinnaker2 at the chosen scale and matches the reference exactly; the note names the scale; v is in volts', async () => {
    const r = await runCli(['run', LIF, '--chip', 'spinnaker2', '--input', LIF_INPUT, '--steps', '1000', '--compare', '--record', '1:v', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as RunDoc;
    expect(validate(doc, schemaOf('run'))).toEqual([]);
    const K = doc.config.weightScale;
    expect(doc.config.weightScaleSource).toBe('auto');
    expect(Number.isInteger(Math.log2(K)) && K > 1).toBe(true);
    expect(doc.config.weightResolution).toBeGreaterThan(0);
    expect(lines(r.stderr).filter((l) => l.startsWith('note: weight scale'))).toEqual([`note: ${doc.config.weightScaleNote}`]);
    expect(doc.config.weightScaleNote).toContain(`weight scale ${K} (chosen automatically`);
    for (const [node, c] of Object.entries(doc.compare!.nodes)) {
      expect(c.differingSpikes, node).toBe(0);
      expect(c.countDifference, node).toBe(0);
    }
    expect(doc.spikes['1']!.steps.length).toBeGreaterThan(0);
    // the same run at scale 1: the traces agree to within the scale-1 state LSB budget (both are in volts)
    const one = await runCli(['run', LIF, '--chip', 'spinnaker2', '--input', LIF_INPUT, '--steps', '1000', '--weight-scale', '1', '--record', '1:v', '--json']);
    expect(one.code, one.stderr).toBe(0);
    const d1 = JSON.parse(one.stdout) as RunDoc;
    expect(d1.config).toMatchObject({ weightScale: 1, weightScaleSource: 'option' });
    const a = doc.traces['1']!.v.flat();
    const b = d1.traces['1']!.v.flat();
    expect(a.length).toBe(b.length);
    const vmax = Math.max(...a.map(Math.abs));
    expect(vmax).toBeLessThan(1.5); // volts, not K × volts
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    expect(worst).toBeGreaterThan(0); // scale 1 is coarser: the traces are not identical
    expect(worst).toBeLessThan(0.01);
  });

  it('the scale is stored in the .nmp: a run of the program reports it (source program) and gives the same spikes and traces as the run from the model', async () => {
    const nmp = join(tmp, 'lif.nmp');
    const c = await runCli(['compile', LIF, '--chip', 'spinnaker2', '-o', nmp]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toMatch(/^note: weight scale (\d+) \(chosen automatically/m);
    const K = Number(/note: weight scale (\d+)/.exec(c.stderr)![1]);
    // the one-screen summary names it too
    expect(c.stdout).toContain(`weight scale ${K})`);
    const cj = await runCli(['compile', LIF, '--chip', 'spinnaker2', '--json']);
    const cdoc = JSON.parse(cj.stdout) as { config: RunDoc['config'] };
    expect(validate(cdoc, schemaOf('compile'))).toEqual([]);
    expect(cdoc.config).toMatchObject({ weightScale: K, weightScaleSource: 'auto' });
    const fromNmp = await runCli(['run', nmp, '--chip', 'spinnaker2', '--input', LIF_INPUT, '--steps', '1000', '--record', '1:v', '--json']);
    expect(fromNmp.code, fromNmp.stderr).toBe(0);
    const p = JSON.parse(fromNmp.stdout) as RunDoc;
    expect(validate(p, schemaOf('run'))).toEqual([]);
    expect(p.config).toMatchObject({ weightScale: K, weightScaleSource: 'program', weightResolution: null });
    expect(fromNmp.stderr).toContain(`note: weight scale ${K} (recorded in the program)`);
    const direct = JSON.parse((await runCli(['run', LIF, '--chip', 'spinnaker2', '--input', LIF_INPUT, '--steps', '1000', '--record', '1:v', '--json'])).stdout) as RunDoc;
    expect(p.spikes).toEqual(direct.spikes);
    expect(p.traces).toEqual(direct.traces);
    // compile --weight-scale 1 records 1
    const nmp1 = join(tmp, 'lif1.nmp');
    expect((await runCli(['compile', LIF, '--chip', 'spinnaker2', '--weight-scale', '1', '-o', nmp1])).code).toBe(0);
    const p1 = JSON.parse((await runCli(['run', nmp1, '--chip', 'spinnaker2', '--input', LIF_INPUT, '--steps', '10', '--json'])).stdout) as RunDoc;
    expect(p1.config.weightScale).toBe(1);
    // the scale of a compiled program cannot change at run time
    const refused = await runCli(['run', nmp, '--chip', 'spinnaker2', '--input', LIF_INPUT, '--steps', '10', '--weight-scale', '4']);
    expect(refused.code).toBe(2);
    expect(lines(refused.stderr)).toHaveLength(1);
    expect(refused.stderr).toMatch(/--weight-scale is fixed when a program is compiled.*recompile: neuromesh compile <model> --weight-scale/);
  });

  it('Braille (subtract reset) runs at the chosen scale with every spike as in the reference', async () => {
    const r = await runCli(['run', fixture('braille', 'braille_noDelay_noBias_subtract.nir'), '--chip', 'spinnaker2', '--reset', 'subtract', '--input', 'poisson:rate=200,seed=1', '--steps', '300', '--compare', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as RunDoc;
    expect(doc.config.weightScaleSource).toBe('auto');
    expect(doc.config.weightScale).toBeGreaterThan(1);
    for (const [node, c] of Object.entries(doc.compare!.nodes)) expect(c.differingSpikes, node).toBe(0);
  });

  it('check chooses the same scale, reports it in its document and passes on lif_norse', async () => {
    const r = await runCli(['check', LIF, '--chip', 'spinnaker2', '--runs', '5', '--steps', '60', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { ok: boolean; config: RunDoc['config'] };
    expect(validate(doc, schemaOf('check'))).toEqual([]);
    expect(doc.ok).toBe(true);
    expect(doc.config.weightScaleSource).toBe('auto');
    expect(doc.config.weightScale).toBeGreaterThan(1);
    expect(r.stderr).toContain(`note: weight scale ${doc.config.weightScale}`);
  });

  for (const [cmd, v] of [['run', '0'], ['run', 'abc'], ['compile', '-2'], ['check', '1e7']] as const)
    it(`${cmd} --weight-scale ${v} is one line, exit 2`, async () => {
      const extra = cmd === 'run' ? ['--steps', '10'] : [];
      const r = await runCli([cmd, LIF, '--chip', 'spinnaker2', ...extra, '--weight-scale', v]);
      expect(r.code).toBe(2);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/E_BAD_OPTION.*--weight-scale .* must be a number above 0 and at most 10\^6/);
    });
});
