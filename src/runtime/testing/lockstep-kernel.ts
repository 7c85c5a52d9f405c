/**
 * Barrier checker: at tick t every worker writes t into its slot of a shared Int32Array, after
 * checking that every peer has finished tick t-1 (slot ≥ t-1) and none is ahead (slot ≤ t).
 * A broken barrier makes some worker throw. `shared` = SharedArrayBuffer of workerCount Int32s,
 * initialised to -1. With per-worker data (`local`), the output echoes it with the owned cores.
 */
import type { KernelModule, WorkerInit, WorkerKernel } from '../kernel.js';

export function createWorkerKernel(init: WorkerInit): WorkerKernel {
  const slots = new Int32Array(init.shared as SharedArrayBuffer);
  const me = init.workerIndex;
  let checks = 0;
  return {
    tick(step: number): void {
      for (let w = 0; w < init.workerCount; w++) {
        const s = Atomics.load(slots, w);
        if (s < step - 1 || s > step) throw new Error(`barrier violated: worker ${me} at tick ${step} sees worker ${w} at tick ${s}`);
        checks++;
      }
      Atomics.store(slots, me, step);
    },
    finish: () => ({ value: init.local === null ? checks : { checks, local: init.local, cores: Array.from(init.cores) } }),
  };
}

export const lockstepModule: KernelModule = { createWorkerKernel };
