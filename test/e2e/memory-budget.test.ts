/**
 * Limits before allocation (issue 11, item 10): a run whose up-front memory estimate exceeds
 * --memory-budget (default: half of physical memory) is refused with exit 2 and the estimate in
 * the message, before anything steps-sized is allocated; a bad size is a one-line exit 2.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateRunMemory, formatBytes } from '../../src/chip/run-memory.js';
import { parseMemoryBudget } from '../../src/cli/memory-budget.js';
import { fixture } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, lines, runCli } from './cli.js';

let tmp: string;
beforeAll(async () => {
  await ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'neuromesh-budget-'));
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const lif = fixture('lif', 'lif_norse.nir');

describe('--memory-budget', () => {
  it('parses bytes and K/M/G/T sizes (powers of 1024) and refuses anything else', () => {
    expect(parseMemoryBudget('512M')).toBe(512 * 2 ** 20);
    expect(parseMemoryBudget('4G')).toBe(4 * 2 ** 30);
    expect(parseMemoryBudget('1.5k')).toBe(1536);
    expect(parseMemoryBudget('2GiB')).toBe(2 * 2 ** 30);
    expect(parseMemoryBudget('1000')).toBe(1000);
    for (const bad of ['', '0', '-1G', '12Q', 'lots', '1e3', 'NaN', 'Infinity']) expect(() => parseMemoryBudget(bad), bad).toThrow(/memory-budget/);
    expect(parseMemoryBudget(undefined)).toBeGreaterThan(0);
  });

  it('estimates what grows with the steps: per-tick latency, traces (with their JSON) and inputs', () => {
    const pops = [{ name: 'a', size: 10 }, { name: 'b', size: 5 }] as never;
    const plain = estimateRunMemory({ populations: pops }, { steps: 1000 });
    expect(plain.bytes).toBe(8000);
    const traced = estimateRunMemory({ populations: pops }, { steps: 1000, trace: ['a'], document: true });
    expect(traced.bytes).toBeGreaterThan(1000 * 10 * 12);
    expect(traced.parts[0]!.what).toMatch(/v traces \(1000 ticks × 10 neurons\)/);
    expect(formatBytes(1536)).toBe('1.50 KiB');
  });

  it('run --steps 200000000 on one neuron is refused in a moment with the estimate, exit 2, no output', async () => {
    const out = join(tmp, 'huge.json');
    const t0 = performance.now();
    const r = await runCli(['run', lif, '--chip', 'spinnaker2', '--steps', '200000000', '--memory-budget', '512M', '-o', out]);
    expect(r.code).toBe(2);
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/E_MEMORY_BUDGET .*estimated [\d.]+ GiB \(per-tick latency \(200000000 ticks\)/);
    expect(r.stderr).toMatch(/memory budget of 512 MiB/);
    expect(hasStackFrame(r.stderr)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('v traces count steps × neurons; a run within its budget runs', async () => {
    const refused = await runCli(['run', lif, '--chip', 'spinnaker2', '--steps', '2000000', '--record', '1:v', '--memory-budget', '64M', '--json']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/E_MEMORY_BUDGET .*v traces \(2000000 ticks × 1 neuron\)/);
    const ok = await runCli(['run', lif, '--chip', 'spinnaker2', '--steps', '200', '--record', '1:v', '--memory-budget', '64M', '-q']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
  });

  it('a bad size is one line with exit 2', async () => {
    const r = await runCli(['run', lif, '--chip', 'spinnaker2', '--steps', '10', '--memory-budget', '12Q']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/E_BAD_OPTION .*--memory-budget "12Q" is not a size/)]);
  });
});
