/**
 * Failure handling: a kernel that throws, a worker that exits or is killed mid-run, abort() and
 * abortActiveRuns() (Ctrl-C), a bad kernel module and a ring overflow all end the run promptly
 * with a NeuromeshError naming the worker, tick and core, and leave no worker thread running.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import { abortActiveRuns } from '../../src/runtime/active-runs.js';
import { startRun, type RunHandle } from '../../src/runtime/pool.js';
import type { RelayOptions } from '../../src/runtime/testing/relay-kernel.js';
import { relaySpec } from '../../src/runtime/testing/relay-network.js';
import { ensureBuilt } from './build.js';

beforeAll(() => ensureBuilt());

const ring = Array.from({ length: 8 }, (_, c) => [(c + 1) % 8, (c + 3) % 8]);
/** A run that would take ~1000 s if nothing stopped it. */
const LONG = 1_000_000;

async function failure(handle: RunHandle): Promise<{ err: NeuromeshError; ms: number }> {
  const t0 = performance.now();
  try {
    await handle.result;
  } catch (e) {
    expect(e).toBeInstanceOf(NeuromeshError);
    return { err: e as NeuromeshError, ms: performance.now() - t0 };
  }
  throw new Error('the run succeeded but should have failed');
}

/** Resolves once worker 0 has reported at least `step` ticks. */
function started(spec: Parameters<typeof relaySpec>[2]): { spec: Parameters<typeof relaySpec>[2]; reached: (step: number) => Promise<void> } {
  let current = 0;
  const waiting: { step: number; go: () => void }[] = [];
  const withProgress = {
    ...spec,
    progress: {
      every: 1,
      onProgress: (s: number) => {
        current = s;
        for (const w of waiting.filter((x) => x.step <= s)) w.go();
      },
    },
  };
  return {
    spec: withProgress,
    reached: (step) => (current >= step ? Promise.resolve() : new Promise((go) => waiting.push({ step, go }))),
  };
}

function opts(extra: Partial<RelayOptions>): RelayOptions {
  return { seed: 1, injectEvery: 2, hops: 2, busyMs: 1, ...extra };
}

describe('runtime failures', () => {
  it('a kernel that throws at tick k ends the run with exit 3, the core, the tick and the cause', async () => {
    const h = startRun(relaySpec(ring, opts({ failAt: { step: 5, core: 6 } }), { workers: 2, steps: LONG, payloadWords: 2 }));
    const { err } = await failure(h);
    expect(err.exitCode).toBe(3);
    const d = err.diagnostics[0]!;
    expect(d.code).toBe('E_WORKER_FAILED');
    expect(d.core).toBe(6);
    expect(d.message).toContain('worker 1');
    expect(d.message).toContain('tick 5');
    expect(d.message).toContain('planned failure of core 6');
    expect(h.liveWorkers()).toBe(0);
  });

  it('a worker that exits mid-run ends the run with exit 3 and its exit code, tick and core', async () => {
    const h = startRun(relaySpec(ring, opts({ exitAt: { step: 9, core: 2, code: 7 } }), { workers: 2, steps: LONG, payloadWords: 2 }));
    const { err } = await failure(h);
    expect(err.exitCode).toBe(3);
    const d = err.diagnostics[0]!;
    expect(d.code).toBe('E_WORKER_EXIT');
    expect(d.message).toMatch(/worker 0 \(cores 0…3\) exited with code 7 at tick 9 while running core 2/);
    expect(d.core).toBe(2);
    expect(h.liveWorkers()).toBe(0);
  });

  it('a worker killed mid-run ends the run within a second', async () => {
    const s = started({ workers: 2, steps: LONG, payloadWords: 2 });
    const h = startRun(relaySpec(ring, opts({}), s.spec));
    await s.reached(20);
    const t0 = performance.now();
    h.killWorker(1);
    const { err } = await failure(h);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(err.exitCode).toBe(3);
    expect(err.diagnostics[0]!.code).toBe('E_WORKER_EXIT');
    expect(err.diagnostics[0]!.message).toContain('worker 1');
    expect(h.liveWorkers()).toBe(0);
  });

  it('a worker killed while its peer sleeps at the barrier is noticed (no hang)', async () => {
    // worker 1 is slow (busy 30 ms per tick), so worker 0 sleeps in Atomics.wait when 1 dies
    const s = started({ workers: 2, steps: LONG, payloadWords: 2, spinMicros: 0 });
    const h = startRun(relaySpec(ring, opts({ busyMs: 30 }), s.spec));
    await s.reached(3);
    const t0 = performance.now();
    h.killWorker(1);
    const { err } = await failure(h);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(err.diagnostics[0]!.code).toBe('E_WORKER_EXIT');
  });

  it('abort() stops every worker and rejects with E_INTERRUPTED (exit 130)', async () => {
    const s = started({ workers: 2, steps: LONG, payloadWords: 2 });
    const h = startRun(relaySpec(ring, opts({}), s.spec));
    await s.reached(10);
    const t0 = performance.now();
    h.abort('test');
    h.abort('twice is harmless');
    const { err } = await failure(h);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(err.exitCode).toBe(130);
    expect(err.diagnostics[0]!.code).toBe('E_INTERRUPTED');
    expect(h.liveWorkers()).toBe(0);
  });

  it('abortActiveRuns() (the Ctrl-C hook) and an AbortSignal stop runs in progress', async () => {
    const s = started({ workers: 2, steps: LONG, payloadWords: 2 });
    const h1 = startRun(relaySpec(ring, opts({}), s.spec));
    const ac = new AbortController();
    const h2 = startRun(relaySpec(ring, opts({}), { workers: 1, steps: LONG, payloadWords: 2, signal: ac.signal }));
    await s.reached(5);
    ac.abort();
    expect((await failure(h2)).err.exitCode).toBe(130);
    expect(abortActiveRuns()).toBe(1);
    expect((await failure(h1)).err.exitCode).toBe(130);
    expect(abortActiveRuns()).toBe(0);
  });

  it('the stall watchdog ends a run whose kernel is stuck in a tick', async () => {
    const h = startRun(relaySpec(ring, opts({ busyMs: 5000 }), { workers: 2, steps: LONG, payloadWords: 2, stallMs: 300 }));
    const { err, ms } = await failure(h);
    expect(ms).toBeLessThan(3000);
    expect(err.exitCode).toBe(3);
    expect(err.diagnostics[0]!.code).toBe('E_WORKER_STALLED');
    expect(err.diagnostics[0]!.message).toMatch(/spent more than 300 ms in tick 0/);
    expect(h.liveWorkers()).toBe(0);
  });

  it('a ring overflow fails the run naming the workers and the tick (exit 2: a budget, not a bug)', async () => {
    const star = [[1, 1, 1, 1], [0, 0, 0, 0]];
    const h = startRun(relaySpec(star, { seed: 2, injectEvery: 1, hops: 3 }, { workers: 2, steps: 50, payloadWords: 2, ringBytes: 16, maxRingBytes: 64 }));
    const { err } = await failure(h);
    expect(err.exitCode).toBe(2);
    expect(err.diagnostics[0]!.code).toBe('E_RING_OVERFLOW');
    expect(err.diagnostics[0]!.message).toMatch(/^worker \d \(core \d\) failed at tick (\d+) on core \d: worker \d sent more than \d+ packets to worker \d in tick \1 /);
    expect(err.diagnostics[0]!.hint).toContain('maxRingBytes');
  });

  it('a module without createWorkerKernel fails before the first tick', async () => {
    const h = startRun({ kernelUrl: new URL('../../src/runtime/messages.js', import.meta.url), coreCount: 2, workers: 2, steps: 10 });
    const { err } = await failure(h);
    expect(err.exitCode).toBe(3);
    expect(err.diagnostics[0]!.message).toContain('before the first tick');
    expect(err.diagnostics[0]!.message).toContain('does not export createWorkerKernel');
  });

  it('a bad spec throws E_RUNTIME_SPEC before any worker starts', () => {
    expect(() => startRun(relaySpec(ring, opts({}), { workers: 0, steps: 1 }))).toThrow(/workers must be a positive integer/);
    expect(() => startRun(relaySpec(ring, opts({}), { workers: 2, steps: 1, assignment: [0, 1] }))).toThrow(/assignment has 2 entries for 8 cores/);
    expect(() => startRun(relaySpec(ring, opts({}), { workers: 2, steps: 1, assignment: [0, 1, 2, 0, 0, 0, 0, 0] }))).toThrow(/core 2 on worker 2/);
    expect(() => startRun(relaySpec(ring, opts({}), { workers: 1, steps: 1, payloadWords: 5 }))).toThrow(/payloadWords/);
  });

  it('reports progress every N ticks and once at the end', async () => {
    const seen: number[] = [];
    const h = startRun(relaySpec(ring, { seed: 1, injectEvery: 2, hops: 1 }, { workers: 2, steps: 25, payloadWords: 2, progress: { every: 10, onProgress: (s) => seen.push(s) } }));
    await h.result;
    expect(seen).toEqual([10, 20, 25]);
  });
});

describe('runtime start-up errors', () => {
  it('program data that cannot be cloned is a clear error and leaves nothing running', () => {
    const spec = relaySpec(ring, opts({}), { workers: 2, steps: 10, payloadWords: 2 });
    expect(() => startRun({ ...spec, perWorker: (w) => ({ data: w === 1 ? { f: () => 1 } : null }) })).toThrow(/cannot start worker 1: /);
    expect(abortActiveRuns()).toBe(0);
  });

  it('a perWorker function that throws starts no worker', () => {
    const spec = relaySpec(ring, opts({}), { workers: 2, steps: 10, payloadWords: 2 });
    expect(() => startRun({ ...spec, perWorker: () => { throw new Error('backend bug'); } })).toThrow('backend bug');
    expect(abortActiveRuns()).toBe(0);
  });
});
