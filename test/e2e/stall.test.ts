/**
 * Stalls on a real chip run (issue 11, item 9): with a spinnaker2 kernel made to loop forever in
 * one tick (the test-only NEUROMESH_TEST_STALL_AT hook), `run` and `check` end with
 * E_WORKER_STALLED (exit 3) naming the worker, the tick and the core, and leave no output. The
 * watchdog is on by default (its 10 s floor lowered here by NEUROMESH_TEST_STALL_FLOOR_MS so the
 * test takes seconds); --stall-timeout sets a fixed limit and 0 turns it off.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, lines, runCli } from './cli.js';

let tmp: string;
beforeAll(async () => {
  await ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'neuromesh-stall-'));
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const lif = fixture('lif', 'lif_norse.nir');

describe('stalled chip workers', () => {
  it('run --stall-timeout 1: a kernel stuck in tick 300 on core 1 is exit 3 in about a second, naming worker, tick and core', async () => {
    const t0 = performance.now();
    const r = await runCli(['run', lif, '--chip', 'spinnaker2', '--steps', '100000', '--workers', '2', '--stall-timeout', '1', '-o', join(tmp, 'r.json')], { env: { NEUROMESH_TEST_STALL_AT: '300:1' } });
    expect(r.code).toBe(3);
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^error E_WORKER_STALLED core 1: worker 1 \(core 1\) spent more than 1 s in tick 300 on core 1 \(hint: .*--stall-timeout/)]);
    expect(hasStackFrame(r.stderr)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('the watchdog is on by default (adaptive limit), for run and for check', async () => {
    const env = { NEUROMESH_TEST_STALL_AT: '40:0', NEUROMESH_TEST_STALL_FLOOR_MS: '500' };
    const r = await runCli(['run', lif, '--chip', 'spinnaker2', '--steps', '1000', '-q'], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/E_WORKER_STALLED .*tick 40 on core 0 \(the stall limit: the larger of 500 ms and 100 × the median tick so far/);
    const c = await runCli(['check', lif, '--chip', 'spinnaker2', '--runs', '3', '--steps', '100', '-q'], { env });
    expect(c.code).toBe(3);
    expect(c.stderr).toMatch(/E_WORKER_STALLED .*tick 40 on core 0/);
  });

  it('--stall-timeout 0 turns it off; a bad value is one line with exit 2', async () => {
    const off = await runCli(['run', lif, '--chip', 'spinnaker2', '--steps', '200', '--stall-timeout', '0', '-q'], { env: { NEUROMESH_TEST_STALL_FLOOR_MS: '1' } });
    expect(off.code).toBe(0);
    const bad = await runCli(['run', lif, '--chip', 'spinnaker2', '--steps', '200', '--stall-timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)).toEqual([expect.stringMatching(/E_BAD_OPTION .*--stall-timeout "soon" must be a number of seconds ≥ 0/)]);
  });
});
