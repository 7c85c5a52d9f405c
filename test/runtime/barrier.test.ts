/** The tick barrier keeps every worker in lockstep (spinning and sleeping paths), and aborts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { controlBytes, RunAborted, signalAbort, TickBarrier } from '../../src/runtime/barrier.js';
import { runTicks } from '../../src/runtime/pool.js';
import { ensureBuilt } from './build.js';

beforeAll(() => ensureBuilt());

const KERNEL = new URL('../../src/runtime/testing/lockstep-kernel.js', import.meta.url);

function slots(workers: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(4 * workers);
  new Int32Array(sab).fill(-1);
  return sab;
}

describe('tick barrier', () => {
  for (const [workers, spin] of [[2, 50], [3, 0], [4, 5], [2, undefined]] as const) {
    it(`keeps ${workers} workers in lockstep (spin ${spin ?? 'adaptive'} µs)`, async () => {
      const steps = 1500;
      const r = await runTicks({ kernelUrl: KERNEL, coreCount: workers, workers, steps, shared: slots(workers), ...(spin !== undefined ? { spinMicros: spin } : {}) });
      expect(r.outputs.map((o) => o.value)).toEqual(new Array(workers).fill(steps * workers));
      const arrivals = r.stats.perWorker.reduce((s, w) => s + w.barrierSpun + w.barrierSlept, 0);
      // every worker but the last to arrive waits, once per tick plus the start barrier
      expect(arrivals).toBe((steps + 1) * (workers - 1));
      if (spin === 0) for (const w of r.stats.perWorker) expect(w.barrierSpun).toBe(0);
      for (const w of r.stats.perWorker) {
        // barrier time is part of the loop's exchange time; every worker measured its tick work
        expect(w.barrierMs).toBeGreaterThan(0);
        expect(w.barrierMs).toBeLessThanOrEqual(w.exchangeMs + 1e-6);
        expect(w.tickWorkMicros).toBeGreaterThanOrEqual(0);
      }
    });
  }

  it('hands each worker its own perWorker data (transferred) and its cores', async () => {
    const r = await runTicks({
      kernelUrl: KERNEL,
      coreCount: 5,
      workers: 2,
      steps: 3,
      shared: slots(2),
      assignment: [1, 0, 1, 1, 0],
      perWorker: (w, cores) => {
        const buf = new Float64Array([w, ...cores]);
        return { data: { tag: `w${w}`, buf }, transfer: [buf.buffer] };
      },
    });
    expect(r.outputs.map((o) => o.value)).toEqual([
      { checks: 6, local: { tag: 'w0', buf: new Float64Array([0, 1, 4]) }, cores: [1, 4] },
      { checks: 6, local: { tag: 'w1', buf: new Float64Array([1, 0, 2, 3]) }, cores: [0, 2, 3] },
    ]);
  });

  it('throws RunAborted at arrival once the abort flag is raised', () => {
    const ctrl = new Int32Array(new SharedArrayBuffer(controlBytes(2)));
    const b = new TickBarrier(ctrl, 1);
    b.arrive();
    signalAbort(ctrl);
    expect(() => b.arrive()).toThrow(RunAborted);
    expect(() => new TickBarrier(ctrl, 2, 0, 10).arrive()).toThrow(RunAborted);
  });
});
