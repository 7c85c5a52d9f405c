/**
 * What an independent hostile trial of the CLI found after issue 11's corpus passed: each is one
 * line, exit 2, and writes nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, runCli } from './cli.js';

let dir = '';
beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'nm-trial-'));
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lifModel = (): string[] => [fixture('lif', 'lif_norse.nir'), '--input', `trace:${fixture('lif', 'lif_exact.csv')}`];
const profile = (name: string, body: object): string => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify({ extends: 'spinnaker2', id: name.replace('.json', ''), version: '1', ...body }));
  return p;
};

function refused(r: { code: number; stderr: string }, code: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('warning ')), r.stderr).toHaveLength(1);
  expect(r.stderr).toContain(`error ${code}`);
  expect(hasStackFrame(r.stderr)).toBe(false);
}

describe('findings of the independent trial', () => {
  it('a one-value option given twice with different values is refused (it silently took the last); the same value twice and repeatable options still work', async () => {
    const twice = await runCli(['simulate', ...lifModel(), '--steps', '10', '--steps', '20']);
    refused(twice, 'E_BAD_OPTION');
    expect(twice.stderr).toContain("--steps is given twice ('10' and '20')");
    const chip = await runCli(['run', ...lifModel(), '--chip', 'spinnaker2', '--chip', 'spinnaker2-48', '--steps', '5']);
    refused(chip, 'E_BAD_OPTION');
    expect(chip.stderr).toContain('--chip is given twice');
    const same = await runCli(['simulate', ...lifModel(), '--steps', '10', '--steps', '10', '--json']);
    expect(same.code, same.stderr).toBe(0);
    const caps = await runCli(['run', ...lifModel(), '--chip', 'spinnaker2', '--max-neurons-per-core', '4', '--max-neurons-per-core', '1=2', '--steps', '5', '--json']);
    expect(caps.code, caps.stderr).toBe(0);
  }, 60_000);

  it('a denormal clock frequency is refused at load (it made run exit 3 with Infinity in the JSON)', async () => {
    const p = profile('slow.json', { dvfs: { low: { frequency: { value: 1e-320, unit: 'Hz', assumed: 't' } } } });
    refused(await runCli(['profiles', p]), 'E_PROFILE');
    refused(await runCli(['run', ...lifModel(), '--chip', p, '--steps', '10']), 'E_PROFILE');
  }, 60_000);

  it('a profile of a family neuromesh has no backend for, or a non-string extends, is refused by profiles too', async () => {
    refused(await runCli(['profiles', profile('fam.json', { family: 'loihi' })]), 'E_UNKNOWN_CHIP');
    const p = join(dir, 'ext.json');
    writeFileSync(p, JSON.stringify({ extends: ['spinnaker2'], id: 'c', version: '1' }));
    refused(await runCli(['profiles', p]), 'E_PROFILE');
  }, 60_000);

  it('simulate -o <existing directory> without the slash is refused and writes nothing there', async () => {
    const cwd = join(dir, 'w');
    mkdirSync(join(cwd, 'sub'), { recursive: true });
    for (const o of ['.', '..', 'sub']) refused(await runCli(['simulate', ...lifModel(), '--steps', '20', '-o', o], { cwd }), 'E_IS_DIRECTORY');
    expect(readdirSync(cwd).sort()).toEqual(['sub']);
    expect(readdirSync(join(cwd, 'sub'))).toEqual([]);
  }, 60_000);

  it('compile -o writes only .nmp or .json (a program under .nmg or .nir is refused)', async () => {
    for (const ext of ['nmg', 'nir']) {
      const out = join(dir, `p.${ext}`);
      refused(await runCli(['compile', fixture('lif', 'lif_norse.nir'), '--chip', 'spinnaker2', '-o', out]), 'E_UNKNOWN_FORMAT');
      expect(existsSync(out)).toBe(false);
    }
  }, 60_000);

  it.each([
    [['run', '<lif>', '--chip', 'spinnaker2', '--steps', '10', '--weight-scale', '1e308'], 'E_BAD_OPTION'],
    [['simulate', '<lif>', '--steps', '10', '--dt', '0x10'], 'E_BAD_OPTION'],
    [['simulate', '<lif>', '--steps', '10', '--input', 'poisson:rate=0x10,seed=1'], 'E_INPUT'],
    [['simulate', '<lif>', '--steps', '10', '-r', ''], 'E_BAD_OPTION'],
    [['simulate', '<lif>', '--steps', '10', '-r', '1:v[0:2]'], 'E_BAD_OPTION'],
    [['run', '<lif>', '--chip', 'spinnaker2', '--steps', '10', '--dvfs', ''], 'E_BAD_OPTION'],
    [['check', fixture('lif', 'lif_norse.nir'), '--chip', 'spinnaker2', '--runs', '1', '--invariants', '--max-weight-loss', ' '], 'E_BAD_OPTION'],
    [['simulate', '--bogus'], 'E_USAGE'],
    [['nosuchcommand'], 'E_USAGE'],
  ])('%j', async (args, code) => {
    const r = await runCli(args.flatMap((a) => (a === '<lif>' ? lifModel() : [a])));
    refused(r, code);
  }, 60_000);
});

describe('issue 17 trial findings', () => {
  it('a .nmp given to a command that reads models is named as a compiled program, not an unknown extension', async () => {
    const nmp = join(dir, 'p.nmp');
    expect((await runCli(['compile', ...lifModel().slice(0, 1), '--chip', 'spinnaker2', '-o', nmp, '-q'])).code).toBe(0);
    for (const cmd of [['check', nmp, '--chip', 'spinnaker2'], ['compile', nmp, '--chip', 'spinnaker2'], ['simulate', nmp, '--steps', '5']]) {
      const r = await runCli(cmd);
      refused(r, 'E_UNKNOWN_FORMAT');
      expect(r.stderr).toMatch(/is a compiled program \(\.nmp\), not a model/);
    }
  }, 60_000);

  it('-q hides notes, never the result: run prints its summary and check its verdict', async () => {
    const run = await runCli(['run', ...lifModel(), '--chip', 'spinnaker2', '--steps', '50', '-q']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/spikes/);
    expect(run.stderr).not.toMatch(/note: weight scale/);
    const check = await runCli(['check', fixture('lif', 'lif_norse.nir'), '--chip', 'spinnaker2', '--runs', '3', '--steps', '30', '-q']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/3 runs passed/);
  }, 60_000);
});
