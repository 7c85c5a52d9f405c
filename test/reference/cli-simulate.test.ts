import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimulate } from '../../src/cli/commands/simulate.js';
import { withoutHost } from '../../src/cli/json.js';
import { formatDiagnostic, NeuromeshError } from '../../src/errors.js';
import { readNpy } from '../../src/io/npy.js';
import { fixture, REPO } from '../helpers/shared.js';
import { ensureBuilt, hasStackFrame, lines, runCli } from '../e2e/cli.js';
import { validate, type Schema } from '../e2e/json-schema.js';

/** `neuromesh simulate` as a user runs it (the built CLI in a child process). */

const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'simulate.schema.json'), 'utf8')) as Schema;
const tmp = mkdtempSync(join(tmpdir(), 'neuromesh-simulate-'));
const LIF = fixture('lif', 'lif_norse.nir');
const TRACE = `trace:${fixture('lif', 'lif_exact.csv')}`;

interface SimDoc {
  schema: string;
  config: Record<string, unknown>;
  spikes: Record<string, { steps: number[]; neurons: number[] }>;
  traces: Record<string, Record<string, number[][]>>;
  traceNeurons: Record<string, Record<string, [number, number]>>;
  counts: Record<string, number[]>;
  totals: { neuronUpdates: number; synapticEvents: number; spikes: number };
}

beforeAll(async () => {
  await ensureBuilt();
}, 240_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('neuromesh simulate', () => {
  it('--json on the LIF fixture: spikes 460/510/710/760, the full configuration, valid against the schema, deterministic', async () => {
    const r = await runCli(['simulate', LIF, '--input', TRACE, '--record', '1,1:v', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as SimDoc;
    expect(validate(doc, schema)).toEqual([]);
    expect(doc.schema).toBe('neuromesh/simulate@1');
    expect(doc.spikes['1']).toEqual({ steps: [460, 510, 710, 760], neurons: [0, 0, 0, 0] });
    expect(doc.counts['1']).toEqual([4]);
    // steps default to the length of the trace input; every option is repeated
    expect(doc.config).toMatchObject({ engine: 'reference-float64', dt: 1e-4, integrator: 'euler', reset: 'zero', ifMode: 'step', refractoryInput: 'integrate', delay: 0, steps: 1000, seed: 0, format: 'nir', inputs: [TRACE] });
    expect(String(doc.config.integration)).toMatch(/a = 1 − dt\/τ/);
    expect(doc.traces['1']!.v!.length).toBe(1000);
    expect(doc.traces['1']!.v![460]).toEqual([0]);
    expect(doc.traceNeurons['1']!.v).toEqual([0, 1]);
    const again = await runCli(['simulate', LIF, '--input', TRACE, '--record', '1,1:v', '--json']);
    expect(withoutHost(again.stdout)).toBe(withoutHost(r.stdout));
  });

  it('options change the run and are repeated: --integrator exact --reset subtract --delay 1 --dt 2e-4 --steps 600 --seed 3', async () => {
    const r = await runCli(['simulate', LIF, '-i', TRACE, '--integrator', 'exact', '--reset', 'subtract', '--if-mode', 'ode', '--delay', '1', '--dt', '2e-4', '--steps', '600', '--seed', '3', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as SimDoc;
    expect(validate(doc, schema)).toEqual([]);
    expect(doc.config).toMatchObject({ integrator: 'exact', reset: 'subtract', ifMode: 'ode', delay: 1, dt: 2e-4, steps: 600, seed: 3 });
    expect(String(doc.config.integration)).toMatch(/exp\(−dt\/τ\)/);
    // delay 1 shifts the input by one step into the LIF; dt = 2e-4 doubles the decay per step
    expect(doc.spikes['1']!.steps).not.toEqual([460, 510, 710, 760]);
  });

  it('-o writes .json, .csv, .npy and directories', async () => {
    const json = join(tmp, 'run.json');
    const csv = join(tmp, 'run.csv');
    const npy = join(tmp, 'v.npy');
    const dir = join(tmp, 'out') + '/';
    for (const [o, rec] of [[json, '1'], [csv, '1,1:v[0:1]'], [npy, '1:v'], [dir, '1,1:v']] as const) {
      const r = await runCli(['simulate', LIF, '-i', TRACE, '-r', rec, '-o', o, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
    }
    const doc = JSON.parse(readFileSync(json, 'utf8')) as SimDoc;
    expect(validate(doc, schema)).toEqual([]);
    expect(doc.spikes['1']!.steps).toEqual([460, 510, 710, 760]);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/^# neuromesh\/simulate@1 config=\{.*"integrator":"euler"/);
    expect(rows[1]).toBe('node,var,step,neuron,value');
    expect(rows.filter((l) => l.startsWith('1,spike,'))).toEqual(['1,spike,460,0,1', '1,spike,510,0,1', '1,spike,710,0,1', '1,spike,760,0,1']);
    expect(rows.filter((l) => l.startsWith('1,v,')).length).toBe(1000);
    expect(rows).toContain('1,v,460,0,0');
    const v = readNpy(new Uint8Array(readFileSync(npy)));
    expect(v.dtype).toBe('float64');
    expect(v.shape).toEqual([1000, 1]);
    expect(v.data[60]).toBeCloseTo(0.04, 6);
    expect(existsSync(join(dir, 'simulate.json'))).toBe(true);
    const raster = readNpy(new Uint8Array(readFileSync(join(dir, '1.spikes.npy'))));
    expect(raster.shape).toEqual([1000, 1]);
    expect([...raster.data].flatMap((x, t) => (x ? [t] : []))).toEqual([460, 510, 710, 760]);
    expect(readNpy(new Uint8Array(readFileSync(join(dir, '1.v.npy')))).shape).toEqual([1000, 1]);
  });

  it('bad options exit 2 with one-line diagnostics and no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['--dt', '-1'], /E_BAD_OPTION .*field 'dt'.*--dt -1/],
      [['--integrator', 'foo'], /E_BAD_OPTION .*integrator 'foo'.*hint: use euler or exact/],
      [['--reset', 'half'], /E_BAD_OPTION .*field 'reset'/],
      [['--if-mode', 'x'], /E_BAD_OPTION .*field 'ifMode'/],
      [['--delay', '3'], /E_BAD_OPTION .*--delay 3 must be 0 or 1/],
      [['--steps', '1.5'], /E_BAD_OPTION .*field 'steps'/],
      [['--seed', '-2'], /E_BAD_OPTION .*field 'seed'/],
      [['--record', 'lif1:v[0:'], /E_BAD_OPTION .*--record/],
      [['--record', 'nope'], /E_UNKNOWN_NODE .*nope.*hint: nodes:/],
      [['--record', '1:q'], /E_BAD_OPTION .*node '1'.*no variable 'q'.*hint: record one of: y, v/],
      [['-o', join(tmp, 'x.txt')], /E_BAD_OPTION .*cannot tell the output format/],
      [['-o', join(tmp, 'two.npy')], /E_BAD_OPTION .*an .npy file holds one array/],
    ];
    // three through the built CLI (exit code, one line, no stack) …
    for (const [extra, re] of cases.slice(0, 3)) {
      const r = await runCli(['simulate', LIF, '-i', TRACE, ...extra]);
      expect(r.code, `${extra.join(' ')}: ${r.stderr}`).toBe(2);
      expect(lines(r.stderr).length, r.stderr).toBe(1);
      expect(r.stderr).toMatch(re);
      expect(hasStackFrame(r.stderr)).toBe(false);
    }
    // … all of them in-process (the CLI prints formatDiagnostic of each and exits with exitCode)
    const io = { out: (): void => {}, err: (): void => {}, tty: false };
    for (const [extra, re] of cases) {
      const opts = { input: [TRACE], record: [] as string[] } as Parameters<typeof runSimulate>[1];
      for (let k = 0; k < extra.length; k += 2) {
        const key = ({ '--dt': 'dt', '--integrator': 'integrator', '--reset': 'reset', '--if-mode': 'ifMode', '--delay': 'delay', '--steps': 'steps', '--seed': 'seed', '-o': 'output' } as Record<string, string>)[extra[k]!];
        if (extra[k] === '--record') opts.record.push(extra[k + 1]!);
        else (opts as unknown as Record<string, string>)[key!] = extra[k + 1]!;
      }
      const err = await runSimulate(LIF, opts, io, true).then(() => undefined, (e: unknown) => e);
      expect(err, extra.join(' ')).toBeInstanceOf(NeuromeshError);
      const ne = err as NeuromeshError;
      expect(ne.exitCode).toBe(2);
      expect(ne.diagnostics.length).toBe(1);
      expect(formatDiagnostic(ne.diagnostics[0]!)).toMatch(re);
    }
    expect(existsSync(join(tmp, 'x.txt'))).toBe(false);
    // a Poisson input has no length: --steps is required
    const p = await runCli(['simulate', LIF, '-i', 'poisson:rate=100,seed=1']);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/E_BAD_OPTION .*steps.*hint: pass --steps N/);
  });

  it('Poisson input on the CNN: a summary on stdout with per-layer activity', async () => {
    const r = await runCli(['simulate', fixture('cnn', 'cnn_sinabs.nir'), '-i', 'poisson:rate=300,seed=1', '--steps', '50']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/50 steps of 0\.1 ms/);
    expect(r.stdout).toMatch(/^ {2}12: \d+ spikes, \d+\/10 neurons active/m);
  });
});
