/**
 * Issue 17, item 6: --refractory-input integrate|drop through the CLI. Every command that takes
 * --reset takes it, records it in its document's config, refuses a bad value in one line (exit 2),
 * and a compiled .nmp keeps the rule it was compiled with and refuses the option at run time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlatNode, Graph } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import { saveModel } from '../../src/io/load.js';
import { REPO } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, runCli } from './cli.js';
import { validate, type Schema } from './json-schema.js';

const schema = (name: string): Schema => JSON.parse(readFileSync(join(REPO, 'schemas', `${name}.schema.json`), 'utf8')) as Schema;

/** Input (4) → SparseLinear → CurrentLIF P (8 neurons, t_ref 2 ms): driven hard, so input keeps arriving while refractory. */
function model(): Graph {
  const nIn = 4;
  const n = 8;
  const indptr = [0];
  const indices: number[] = [];
  for (let i = 0; i < nIn; i++) {
    for (let k = 0; k < n; k++) indices.push(k);
    indptr.push(indices.length);
  }
  const nodes: FlatNode[] = [
    { kind: 'Input', name: 'in', shape: [nIn] },
    { kind: 'SparseLinear', name: 'C', in_size: nIn, out_size: n, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), weight: f64(indices.map((k) => 2 + 0.25 * k)), receptor: 0 },
    {
      kind: 'CurrentLIF', name: 'P', shape: [n], tau_mem: f64([1e-2]), v_rest: f64([0]), v_reset: f64([0]), v_threshold: f64([1]),
      t_ref: f64([2e-3]), tau_syn: f64([5e-3]), receptors: ['exc'],
    },
    { kind: 'Output', name: 'out', shape: [n] },
  ];
  return { nodes, edges: [{ from: 'in', to: 'C' }, { from: 'C', to: 'P' }, { from: 'P', to: 'out' }] };
}

let dir = '';
let nmg = '';
const INPUT = ['--input', 'poisson:rate=800,seed=4', '--steps', '400'];
beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'neuromesh-refr-'));
  nmg = join(dir, 'refr.nmg');
  await saveModel(model(), nmg);
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Doc { config: Record<string, unknown>; spikes: Record<string, { steps: number[]; neurons: number[] }> }
async function json(args: string[]): Promise<Doc> {
  const r = await runCli([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Doc;
}
function refused(r: { code: number; stderr: string }, ...texts: (string | RegExp)[]): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toContain('E_BAD_OPTION');
  for (const t of texts) expect(r.stderr).toMatch(t);
  expect(hasStackFrame(r.stderr)).toBe(false);
}

describe('--refractory-input', () => {
  it('simulate records the rule (default integrate); drop discards input while refractory, so P fires less', async () => {
    const a = await json(['simulate', nmg, ...INPUT]);
    const b = await json(['simulate', nmg, ...INPUT, '--refractory-input', 'drop']);
    const c = await json(['simulate', nmg, ...INPUT, '--refractory-input', 'integrate']);
    for (const d of [a, b, c]) expect(validate(d, schema('simulate'))).toEqual([]);
    expect([a.config.refractoryInput, b.config.refractoryInput, c.config.refractoryInput]).toEqual(['integrate', 'drop', 'integrate']);
    expect(c.spikes).toEqual(a.spikes);
    expect(a.spikes.P!.steps.length).toBeGreaterThan(20);
    expect(b.spikes.P!.steps.length).toBeLessThan(a.spikes.P!.steps.length);
  }, 60_000);

  it.each(['simulate', 'run', 'compile', 'check'])('%s --refractory-input block is one E_BAD_OPTION line, exit 2', async (cmd) => {
    const chip = cmd === 'simulate' ? [] : ['--chip', 'spinnaker2'];
    const extra = cmd === 'compile' ? ['-o', join(dir, 'bad.nmp')] : cmd === 'check' ? ['--runs', '1'] : INPUT;
    const r = await runCli([cmd, nmg, ...chip, ...extra, '--refractory-input', 'block']);
    refused(r, "--refractory-input 'block' is not known", "field 'refractoryInput'", /hint: use integrate .* or drop/);
  }, 60_000);

  it('a program compiled with drop runs with drop (as the model run with drop) and refuses --refractory-input at run time', async () => {
    const drop = join(dir, 'drop.nmp');
    const integ = join(dir, 'integrate.nmp');
    const comp = await json(['compile', nmg, '--chip', 'spinnaker2', '--refractory-input', 'drop']);
    expect(validate(comp, schema('compile'))).toEqual([]);
    expect(comp.config.refractoryInput).toBe('drop');
    for (const [out, rule] of [[drop, 'drop'], [integ, 'integrate']] as const) {
      const r = await runCli(['compile', nmg, '--chip', 'spinnaker2', '--refractory-input', rule, '-o', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
    }
    const fromDrop = await json(['run', drop, '--chip', 'spinnaker2', ...INPUT]);
    const fromInteg = await json(['run', integ, '--chip', 'spinnaker2', ...INPUT]);
    const modelDrop = await json(['run', nmg, '--chip', 'spinnaker2', ...INPUT, '--refractory-input', 'drop']);
    const modelDefault = await json(['run', nmg, '--chip', 'spinnaker2', ...INPUT]);
    for (const d of [fromDrop, fromInteg, modelDrop, modelDefault]) expect(validate(d, schema('run'))).toEqual([]);
    expect([fromDrop, fromInteg, modelDrop, modelDefault].map((d) => d.config.refractoryInput)).toEqual(['drop', 'integrate', 'drop', 'integrate']);
    expect(fromDrop.spikes).toEqual(modelDrop.spikes);
    expect(fromInteg.spikes).toEqual(modelDefault.spikes);
    expect(fromDrop.spikes.P!.steps.length).toBeLessThan(fromInteg.spikes.P!.steps.length);
    // what the program fixes cannot change at run time: a different value is refused like --reset …
    for (const [p, v] of [[drop, 'integrate'], [integ, 'drop']] as const) {
      const r = await runCli(['run', p, '--chip', 'spinnaker2', ...INPUT, '--refractory-input', v]);
      refused(r, '--refractory-input is fixed when a program is compiled', /recompile: neuromesh compile <model> --refractory-input/);
      expect(r.stderr).toContain(`(compiled with --refractory-input ${v === 'drop' ? 'integrate' : 'drop'})`);
    }
    // … and the value it was compiled with is accepted (scripts pass the same flags to compile and run)
    const same = await json(['run', drop, '--chip', 'spinnaker2', ...INPUT, '--refractory-input', 'drop']);
    expect(same.spikes).toEqual(fromDrop.spikes);
  }, 120_000);

  it('check compiles with the rule and records it', async () => {
    const d = await json(['check', nmg, '--chip', 'spinnaker2', '--runs', '2', '--steps', '60', '--refractory-input', 'drop']);
    expect(validate(d, schema('check'))).toEqual([]);
    expect(d.config.refractoryInput).toBe('drop');
  }, 120_000);
});
