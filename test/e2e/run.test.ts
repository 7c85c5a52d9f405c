import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutHost } from '../../src/cli/json.js';
import { fixture, REPO } from '../helpers/shared.js';
import { ensureBuilt, hasStackFrame, MAIN, runCli } from './cli.js';
import { validate, type Schema } from './json-schema.js';

const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'run.schema.json'), 'utf8')) as Schema;
let tmp: string;

beforeAll(async () => {
  await ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'neuromesh-run-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('neuromesh run', () => {
  it('LIF fixture with --weight-scale 102.02: spikes 460, 510, 710, 760; document valid against schemas/run.schema.json', async () => {
    const out = join(tmp, 'lif.json');
    const r = await runCli(['run', fixture('lif', 'lif_norse.nir'), '--chip', 'spinnaker2', '--input', `trace:${fixture('lif', 'lif_spinnaker2.csv')}`, '--weight-scale', '102.02', '--record', '1:v', '-o', out]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { spikes: Record<string, { steps: number[] }>; traces: Record<string, { v: number[][] }>; energy: { totalJ: number; byComponent: Record<string, number> }; config: { weightScale: number } };
    expect(validate(doc, schema)).toEqual([]);
    expect(doc.spikes['1']!.steps).toEqual([460, 510, 710, 760]);
    expect(doc.traces['1']!.v.length).toBe(1000);
    expect(doc.config.weightScale).toBe(102.02);
    expect(doc.energy.totalJ).toBeGreaterThan(0);
    expect(Object.keys(doc.energy.byComponent).sort()).toEqual(['neurons', 'routers', 'static', 'synapses']);
    expect(r.stdout).toMatch(/energy .*J \(per-event\)/);
  });

  it('--workers 1 and --workers 2 write byte-identical documents apart from host; the per-cycle profile changes only the energy model', async () => {
    const args = (w: number, out: string, chip = 'spinnaker2'): string[] => ['run', fixture('braille', 'braille_noDelay_bias_zero.nir'), '--chip', chip, '--input', 'poisson:rate=800,seed=4', '--steps', '200', '--workers', String(w), '--max-neurons-per-core', '8', '-o', out, '--quiet'];
    const a = await runCli(args(1, join(tmp, 'w1.json')), { timeoutMs: 60_000 });
    const b = await runCli(args(2, join(tmp, 'w2.json')), { timeoutMs: 60_000 });
    const c = await runCli(args(2, join(tmp, 'cyc.json'), 'spinnaker2-cycles'), { timeoutMs: 60_000 });
    for (const x of [a, b, c]) expect(x.code, x.stderr).toBe(0);
    const t1 = readFileSync(join(tmp, 'w1.json'), 'utf8');
    const t2 = readFileSync(join(tmp, 'w2.json'), 'utf8');
    expect(withoutHost(t2)).toBe(withoutHost(t1));
    const d1 = JSON.parse(t1) as { counters: { totals: Record<string, number> }; energy: { energyModel: string; byComponent: Record<string, number> }; spikes: Record<string, { steps: number[] }> };
    expect(d1.counters.totals.synaptic_events).toBeGreaterThan(0);
    expect(d1.counters.totals.spikes).toBeGreaterThan(0);
    const dc = JSON.parse(readFileSync(join(tmp, 'cyc.json'), 'utf8')) as typeof d1;
    expect(d1.energy.energyModel).toBe('per-event');
    expect(dc.energy.energyModel).toBe('per-cycle');
    expect(Object.keys(dc.energy.byComponent).sort()).toEqual(['pe-cycles', 'routers', 'static']);
    expect(dc.spikes).toEqual(d1.spikes);
  });

  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s ends the run with exit %i and leaves no output file', async (signal, exit) => {
    const out = join(tmp, signal, 'big.json');
    const dir = join(tmp, signal);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    const child = spawn(process.execPath, [MAIN, 'run', fixture('cnn', 'cnn_sinabs.nir'), '--chip', 'spinnaker2-48', '--input', 'poisson:rate=300,seed=1', '--steps', '100000', '--workers', '2', '-o', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // wait until the run is going (compile done), then interrupt
    await new Promise((r) => setTimeout(r, 9000));
    child.kill(signal);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(exit);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(hasStackFrame(err)).toBe(false);
  });

  it('bad options are one-line errors with exit 2', async () => {
    const r = await runCli(['run', fixture('lif', 'lif_norse.nir'), '--chip', 'spinnaker2', '--input', `trace:${fixture('lif', 'lif_spinnaker2.csv')}`, '--dvfs', 'turbo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown DVFS operating point 'turbo'/);
    expect(hasStackFrame(r.stderr)).toBe(false);
    const w = await runCli(['run', fixture('lif', 'lif_norse.nir'), '--chip', 'spinnaker2', '--steps', '10', '--weight-scale', '-3']);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/--weight-scale -3 must be a number above 0 and at most 10\^6/);
  });
});
