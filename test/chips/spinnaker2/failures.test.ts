import { beforeAll, describe, expect, it } from 'vitest';
import { runChip } from '../../../chips/spinnaker2/run.js';
import { NeuromeshError } from '../../../src/errors.js';
import { scaleVoltages } from '../../../src/graph/weight-scale.js';
import { buildCuba } from '../../../examples/cuba.js';
import { buildKernels, compileFor } from './helpers.js';

beforeAll(() => buildKernels());

describe('a worker that dies mid-run', () => {
  it('ends the run promptly with exit 3, naming the worker and its cores', async () => {
    const g = scaleVoltages(buildCuba({ n: 400, fanout: 20, seed: 3 }), 1000);
    const c = compileFor(g, { integrator: 'exact' }, 'spinnaker2', { P: 50 });
    let killedAt = 0;
    const t0 = performance.now();
    const err = await runChip(c.program, c.profile, {
      steps: 10_000_000, workers: 2,
      onStart: (h) => setTimeout(() => {
        killedAt = performance.now();
        h.killWorker(1);
      }, 1500),
    }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(NeuromeshError);
    const e = err as NeuromeshError;
    expect(e.exitCode).toBe(3);
    expect(e.diagnostics[0]!.message).toMatch(/worker 1 \(cores \d+…\d+\) exited with code/);
    expect(killedAt).toBeGreaterThan(t0);
    expect(performance.now() - killedAt).toBeLessThan(2000);
  });
});
