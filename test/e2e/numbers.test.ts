/**
 * Issue 11, items 2, 5 and 11: every place an integer enters refuses what its target cannot hold,
 * quoting the true value, with exit 2 and one line — never a wrapped result, never exit 3.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { network } from '../../src/graph/builder.js';
import { lif } from '../../src/graph/builder-models.js';
import { allToAll } from '../../src/graph/connectors.js';
import { f64 } from '../../src/graph/tensor.js';
import { saveModel } from '../../src/io/load.js';
import { writeNpy } from '../../src/io/npy.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, runCli } from './cli.js';

let dir = '';
let plain = '';
let program = '';
beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'neuromesh-numbers-'));
  const net = network({ name: 'one' });
  net.projection(net.input('in', 2), net.population('pop', 1, lif({ tau: 5e-3, v_threshold: 0.05 })), allToAll(), { weight: 0.2 });
  plain = join(dir, 'one.nmg');
  await saveModel(net.toGraph({ dt: 1e-4 }), plain);
  program = join(dir, 'one.nmp');
  const c = await runCli(['compile', plain, '--chip', 'spinnaker2', '-o', program, '--quiet']);
  expect(c.code).toBe(0);
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function delayModel(steps: number): Promise<string> {
  const net = network({ name: 'delay' });
  const d = net.layer('d', { kind: 'Delay', delay: f64([steps * 1e-4]) }, net.input('in', 1));
  net.layer('pop', lif({ tau: 5e-3, v_threshold: 0.05 }), d);
  const file = join(dir, `delay-${steps}.nmg`);
  await saveModel(net.toGraph({ dt: 1e-4 }), file);
  return file;
}

/** Exit 2, one line, the code, and each expected text. */
function expectRefused(r: { code: number; stderr: string; stdout: string }, code: string, ...texts: (string | RegExp)[]): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toContain(code);
  for (const t of texts) expect(r.stderr).toMatch(t);
  expect(hasStackFrame(r.stderr)).toBe(false);
}

describe('integers that a format cannot hold are refused with their true value', () => {
  it('a Delay of 4294967301 steps is refused, not compiled as 5; 1e10 steps is quoted as such, not 1410065408', async () => {
    for (const [steps, shown] of [[4294967301, '4294967301 steps'], [1e10, '10000000000 steps']] as const) {
      const m = await delayModel(steps);
      const out = join(dir, `delay-${steps}.nmp`);
      const r = await runCli(['compile', m, '--chip', 'spinnaker2', '-o', out]);
      expectRefused(r, 'E_DELAY_RANGE', shown, "node 'd'");
      expect(r.stderr).not.toMatch(/\b5 steps|1410065408/);
      expect(existsSync(out)).toBe(false);
    }
  }, 60_000);

  it.each([
    [['run', '<plain>', '--chip', 'spinnaker2', '--steps', '1e12'], 'E_BAD_OPTION', '--steps 1e12'],
    [['run', '<plain>', '--chip', 'spinnaker2', '--steps', '9007199254740993'], 'E_BAD_OPTION', '--steps 9007199254740993'],
    [['run', '<plain>', '--chip', 'spinnaker2', '--steps', '10', '--workers', '1e10'], 'E_BAD_OPTION', '--workers 1e10'],
    [['run', '<plain>', '--chip', 'spinnaker2', '--steps', '10', '--seed', '9007199254740993'], 'E_BAD_OPTION', '--seed 9007199254740993'],
    [['simulate', '<plain>', '--steps', '4294967301'], 'E_BAD_OPTION', '--steps 4294967301'],
    [['check', '<plain>', '--chip', 'spinnaker2', '--runs', '1e300'], 'E_BAD_OPTION', '--runs 1e300'],
    [['compile', '<plain>', '--chip', 'spinnaker2', '--max-neurons-per-core', 'pop=99999999999999999999'], 'E_BAD_OPTION', 'pop=99999999999999999999'],
    [['run', '<plain>', '--chip', 'spinnaker2', '--input', 'poisson:rate=10,seed=9007199254740993', '--steps', '5'], 'E_INPUT', 'seed 9007199254740993'],
    [['check', '<plain>', '--chip', 'spinnaker2', '--runs', '1', '--tolerance', 'rel=1e400', '--json'], 'E_BAD_OPTION', '--tolerance rel=1e400'],
    [['check', '<plain>', '--chip', 'spinnaker2', '--runs', '1', '--tolerance', 'count=99999999999999999999'], 'E_BAD_OPTION', 'count=99999999999999999999'],
    [['check', '<plain>', '--chip', 'spinnaker2', '--runs', '1', '--max-rate', '1e400', '--json'], 'E_BAD_OPTION', '--max-rate 1e400'],
    [['simulate', '<plain>', '--input', 'poisson:rate=100', '--steps', '5', '--record', 'pop:v[99999999999999999999]'], 'E_BAD_OPTION', 'neuron index 99999999999999999999'],
  ])('%j', async (args, code, shown) => {
    const r = await runCli(args.map((a) => (a === '<plain>' ? plain : a)));
    expectRefused(r, code, shown);
  }, 60_000);

  it('spike inputs: .npy counts of 1e200 and CSV steps/indices beyond range (never NaN in a document)', async () => {
    const npy = join(dir, 'big.npy');
    writeFileSync(npy, writeNpy(Float64Array.from([1, 1e200, 0, 0]), [2, 2]));
    const a = await runCli(['run', plain, '--chip', 'spinnaker2', '--input', npy, '--json']);
    expectRefused(a, 'E_BAD_VALUE', '1e+200');
    expect(a.stdout).toBe('');
    const csv = join(dir, 'ev.csv');
    writeFileSync(csv, '0,0\n9007199254740993,1\n');
    expectRefused(await runCli(['simulate', plain, '--input', csv]), 'E_BAD_CSV', 'step 9007199254740993');
    writeFileSync(csv, '0,0\n1,4294967297\n');
    expectRefused(await runCli(['simulate', plain, '--input', csv]), 'E_INDEX_RANGE', 'index 4294967297');
  }, 60_000);
});

describe('check arguments', () => {
  it('--property spikes(pop,99) on a one-neuron population is out of range, not a counterexample', async () => {
    const r = await runCli(['check', plain, '--chip', 'spinnaker2', '--runs', '2', '--property', 'spikes(pop,99)>0']);
    expectRefused(r, 'E_BAD_OPTION', "neuron 99 of 'pop' is out of range", 'it has 1 neuron');
  }, 60_000);

  it.each(['bogus', '99999999999:1', '1:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0', '1:99999:99999'])('--replay %s is exit 2 in one line', async (replay) => {
    const r = await runCli(['check', plain, '--chip', 'spinnaker2', '--runs', '2', '--replay', replay]);
    expectRefused(r, 'E_BAD_OPTION', "field 'replay'");
  }, 60_000);
});

describe('options a compiled program fixes', () => {
  it.each([
    [['--dt', '1e-3'], '--dt'],
    [['--reset', 'subtract'], '--reset'],
    [['--integrator', 'exact'], '--integrator'],
    [['--if-mode', 'ode'], '--if-mode'],
    [['--refractory-input', 'drop'], '--refractory-input'],
    [['--weight-scale', '2'], '--weight-scale'],
    [['--max-neurons-per-core', '4'], '--max-neurons-per-core'],
  ])('run x.nmp %j is refused, naming the option', async (extra, name) => {
    const r = await runCli(['run', program, '--chip', 'spinnaker2', '--input', 'poisson:rate=100', '--steps', '5', ...extra]);
    expectRefused(r, 'E_BAD_OPTION', `${name} is fixed when a program is compiled`, /recompile|run the \.nir\/\.nmg model/);
  }, 60_000);

  it('a run-time option (--dvfs) still applies to a compiled program', async () => {
    const r = await runCli(['run', program, '--chip', 'spinnaker2', '--input', 'poisson:rate=100', '--steps', '5', '--dvfs', 'high', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
});

describe('JSON nested 100,000 deep', () => {
  it('a profile or a --rates document nested 100,000 deep is one E_BAD_JSON line (exit 2), not a stack overflow (exit 3)', async () => {
    const deep = join(dir, 'deep.json');
    writeFileSync(deep, '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000));
    expectRefused(await runCli(['profiles', deep]), 'E_BAD_JSON', 'nested more than 200 levels');
    expectRefused(await runCli(['compile', plain, '--chip', deep, '-o', join(dir, 'deep.nmp')]), 'E_BAD_JSON', 'nested more than 200 levels');
    const arr = join(dir, 'deep-rates.json');
    writeFileSync(arr, '{"counts":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}');
    expectRefused(await runCli(['compile', plain, '--chip', 'spinnaker2', '--rates', arr, '-o', join(dir, 'rates.nmp')]), 'E_BAD_JSON', 'nested more than 200 levels');
    expect(existsSync(join(dir, 'deep.nmp')) || existsSync(join(dir, 'rates.nmp'))).toBe(false);
  }, 60_000);
});
