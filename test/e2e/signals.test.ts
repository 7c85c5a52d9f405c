/**
 * Signals (issue 11, item 8): every long command stops promptly on SIGINT (exit 130) and SIGTERM
 * (exit 143), even in the middle of synchronous work (compile passes, the golden model), and
 * leaves no output file behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, MAIN } from './cli.js';

let tmp: string;
beforeAll(async () => {
  await ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'neuromesh-signals-'));
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Stopped {
  code: number | null;
  /** ms from the signal to the exit */
  afterSignal: number;
  stderr: string;
}

/** Start the CLI, send `signal` after `delayMs`, and time how long it takes to exit. */
function interrupt(args: string[], signal: NodeJS.Signals, delayMs: number, cwd: string): Promise<Stopped> {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  let sentAt = 0;
  const timer = setTimeout(() => {
    sentAt = performance.now();
    child.kill(signal);
  }, delayMs);
  return new Promise((res) => child.on('exit', (code) => {
    clearTimeout(timer);
    res({ code, afterSignal: sentAt ? performance.now() - sentAt : -1, stderr });
  }));
}

const cnn = fixture('cnn', 'cnn_sinabs.nir');

describe('signals', () => {
  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s during compile (synchronous passes) exits %i within a second, writing no program', async (signal, exit) => {
    const dir = join(tmp, `compile-${signal}`);
    mkdirSync(dir);
    // cnn_sinabs takes well over a second to load and compile; the signal lands in the middle
    const r = await interrupt(['compile', cnn, '--chip', 'spinnaker2-48', '-o', 'cnn.nmp'], signal, 900, dir);
    expect(r.code).toBe(exit);
    expect(r.afterSignal).toBeGreaterThan(0);
    expect(r.afterSignal).toBeLessThan(1000);
    expect(readdirSync(dir)).toEqual([]);
    expect(r.stderr).toMatch(signal === 'SIGINT' ? /interrupted/ : /terminated/);
    expect(hasStackFrame(r.stderr)).toBe(false);
  });

  it('SIGINT during check (golden model and reference on the command thread) exits 130 within a second, writing no report', async () => {
    const dir = join(tmp, 'check');
    mkdirSync(dir);
    const r = await interrupt(['check', cnn, '--chip', 'spinnaker2-48', '--runs', '200', '--steps', '200', '-o', 'check.json'], 'SIGINT', 4000, dir);
    expect(r.code).toBe(130);
    expect(r.afterSignal).toBeLessThan(1000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('SIGTERM during a chip run exits 143 within a second, writing no report', async () => {
    const dir = join(tmp, 'run');
    mkdirSync(dir);
    const r = await interrupt(['run', fixture('lif', 'lif_norse.nir'), '--chip', 'spinnaker2', '--steps', '100000000', '--memory-budget', '64G', '-o', 'run.json'], 'SIGTERM', 2500, dir);
    expect(r.code).toBe(143);
    expect(r.afterSignal).toBeLessThan(1000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s removes the temp file of a write in progress while the command spins synchronously (exit %i)', async (signal, exit) => {
    const partial = join(tmp, `.out-${signal}.json.tmp`);
    const launch = fileURLToPath(new URL('./fixtures/launch.mjs', import.meta.url));
    const child = spawn(process.execPath, [launch, partial], { stdio: ['ignore', 'pipe', 'pipe'] });
    let sentAt = 0;
    child.stdout.on('data', (d: Buffer) => {
      if (!sentAt && d.toString().includes('writing')) {
        expect(existsSync(partial)).toBe(true);
        sentAt = performance.now();
        child.kill(signal);
      }
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(sentAt).toBeGreaterThan(0);
    expect(performance.now() - sentAt).toBeLessThan(1000);
    expect(code).toBe(exit);
    expect(existsSync(partial)).toBe(false);
  });
});
