/**
 * The stall watchdog (issue 11, item 9): a worker stuck in a tick ends the run with
 * E_WORKER_STALLED (exit 3) naming the worker, the tick and the core, once the stall limit
 * max(stallMs, stallFactor × median tick so far) has passed; a tick that is merely slow compared
 * with the floor, but not with the run's own ticks, is let through.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import { startRun, type RunHandle } from '../../src/runtime/index.js';
import type { RelayOptions } from '../../src/runtime/testing/relay-kernel.js';
import { relaySpec } from '../../src/runtime/testing/relay-network.js';
import { parseStallTimeout } from '../../src/cli/stall-timeout.js';
import { ensureBuilt } from './build.js';

beforeAll(() => ensureBuilt());

const ring = Array.from({ length: 8 }, (_, c) => [(c + 1) % 8, (c + 3) % 8]);
const opts = (extra: Partial<RelayOptions>): RelayOptions => ({ seed: 1, injectEvery: 2, hops: 2, ...extra });

async function failure(h: RunHandle): Promise<{ err: NeuromeshError; ms: number }> {
  const t0 = performance.now();
  try {
    await h.result;
  } catch (e) {
    return { err: e as NeuromeshError, ms: performance.now() - t0 };
  }
  throw new Error('the run was expected to fail');
}

describe('stall watchdog', () => {
  it('a kernel looping forever in tick 7 on core 5 ends the run: exit 3, worker, tick and core named, every worker stopped', async () => {
    // a fixed limit (stallFactor 0): under load the adaptive one may exceed 300 ms (its own test is below)
    const h = startRun(relaySpec(ring, opts({ hangAt: { step: 7, core: 5 } }), { workers: 2, steps: 1_000_000, payloadWords: 2, stallMs: 300, stallFactor: 0 }));
    const { err, ms } = await failure(h);
    expect(ms).toBeLessThan(5000);
    expect(err.exitCode).toBe(3);
    const d = err.diagnostics[0]!;
    expect(d.code).toBe('E_WORKER_STALLED');
    expect(d.core).toBe(5);
    expect(d.message).toMatch(/^worker 1 \(cores 4…7\) spent more than 300 ms in tick 7 on core 5/);
    expect(d.hint).toMatch(/--stall-timeout/);
    expect(h.liveWorkers()).toBe(0);
  });

  it('a tick 40× slower than the others passes under the adaptive limit (100 × median) but not under a fixed one', async () => {
    // ticks of ~10 ms, tick 20 takes 400 ms more: above the 150 ms floor, below 100 × 10 ms
    const slow = opts({ busyMs: 10, slowAt: { step: 20, ms: 400 } });
    const ok = await startRun(relaySpec(ring, slow, { workers: 2, steps: 30, payloadWords: 2, stallMs: 150 })).result;
    expect(ok.steps).toBe(30);
    const fixed = startRun(relaySpec(ring, slow, { workers: 2, steps: 30, payloadWords: 2, stallMs: 150, stallFactor: 0 }));
    const { err } = await failure(fixed);
    expect(err.diagnostics[0]!.code).toBe('E_WORKER_STALLED');
    expect(err.diagnostics[0]!.message).toMatch(/spent more than 150 ms in tick 20/);
  });

  it('the adaptive limit is named in the message when it is what fired', async () => {
    // ~10 ms ticks, floor 100 ms, factor 30: limit ≈ 300 ms; tick 15 hangs
    const h = startRun(relaySpec(ring, opts({ busyMs: 10, hangAt: { step: 15, core: 0 } }), { workers: 1, steps: 1000, payloadWords: 2, stallMs: 100, stallFactor: 30 }));
    const { err, ms } = await failure(h);
    expect(ms).toBeLessThan(5000);
    const m = err.diagnostics[0]!.message;
    expect(m).toMatch(/^worker 0 \(cores 0…7\) spent more than \d+(\.\d+)? ms in tick 15 on core 0 \(the stall limit: the larger of 100 ms and 30 × the median tick so far, [\d.]+ ms\)$/);
    const limit = Number(/more than ([\d.]+) ms/.exec(m)![1]);
    expect(limit).toBeGreaterThan(200);
  });

  it('--stall-timeout: default on (10 s floor, 100 × median), seconds = a fixed limit, 0 = off, anything else exit 2', () => {
    expect(parseStallTimeout(undefined)).toEqual({ floorMs: 10_000, factor: 100 });
    expect(parseStallTimeout('2.5')).toEqual({ floorMs: 2500, factor: 0 });
    expect(parseStallTimeout('0')).toBeUndefined();
    for (const bad of ['-1', '', 'soon', 'Infinity', 'NaN']) {
      let err: unknown;
      try {
        parseStallTimeout(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(NeuromeshError);
      expect((err as NeuromeshError).exitCode).toBe(2);
      expect((err as NeuromeshError).diagnostics[0]!.field).toBe('stall-timeout');
    }
  });
});
