/** runChip's options reach the runtime: the barrier spin (`spin` → `spinMicros`) was once dropped silently. */
import { beforeAll, describe, expect, it } from 'vitest';
import { chipRunSpec, prepareRun, runChip } from '../../../chips/spinnaker2/run.js';
import { scaleVoltages } from '../../../src/graph/weight-scale.js';
import { buildCuba } from '../../../examples/cuba.js';
import { buildKernels, compileFor } from './helpers.js';

beforeAll(() => buildKernels());

const compiled = () => compileFor(scaleVoltages(buildCuba({ n: 200, fanout: 10, seed: 2 }), 1000), { integrator: 'exact' }, 'spinnaker2', { P: 50 });

describe('runChip run options', () => {
  it('passes spin as the runtime barrier spinMicros, and the other options by their runtime names', () => {
    const c = compiled();
    const stall = { floorMs: 1234, factor: 7 };
    for (const spin of [0, 37]) {
      const opts = { steps: 5, workers: 2, spin, stall };
      const spec = chipRunSpec(c.program, prepareRun(c.program, c.profile, opts), opts);
      expect(spec.spinMicros).toBe(spin);
      expect(spec.stallMs).toBe(1234);
      expect(spec.stallFactor).toBe(7);
      expect(spec.workers).toBe(2);
    }
    const opts = { steps: 5, workers: 2 };
    expect(chipRunSpec(c.program, prepareRun(c.program, c.profile, opts), opts).spinMicros).toBeUndefined();
  });

  it('spin 0 makes every barrier wait sleep (no arrival ends while spinning)', async () => {
    const c = compiled();
    expect(c.program.payload.cores.length).toBeGreaterThanOrEqual(2);
    const r = await runChip(c.program, c.profile, { steps: 200, workers: 2, spin: 0 });
    const per = r.runtime.stats.perWorker;
    expect(per.length).toBe(2);
    for (const s of per) expect(s.barrierSpun).toBe(0);
    expect(per.reduce((a, s) => a + s.barrierSlept, 0)).toBeGreaterThan(0);
  });
});
