/**
 * Benchmark backend: each worker's first core sends `packetsPerTick` one-word packets per tick,
 * round-robin to the cores of the other workers (to its own cores when alone), and every worker
 * sums the payloads it receives. With packetsPerTick = 0 it is the empty kernel that measures
 * the pure per-tick overhead of the barrier and the exchange.
 */
import type { KernelModule, PacketBatch, PacketSink, WorkerInit, WorkerKernel } from '../kernel.js';

export interface FloodOptions {
  packetsPerTick: number;
}

export function createWorkerKernel(init: WorkerInit): WorkerKernel {
  const { packetsPerTick } = init.options as unknown as FloodOptions;
  const others: number[] = [];
  for (let c = 0; c < init.coreCount; c++) if (init.workerCount === 1 || init.coreToWorker[c] !== init.workerIndex) others.push(c);
  const targets = Int32Array.from(others);
  const first = init.cores[0];
  let sum = 0;
  return {
    tick(_step: number, inbox: PacketBatch, out: PacketSink): void {
      const w = inbox.words;
      const s = inbox.stride;
      for (let i = 0; i < inbox.count; i++) sum = (sum + w[i * s + 2]!) | 0;
      if (packetsPerTick === 0 || first === undefined || targets.length === 0) return;
      out.setCore(first);
      const nt = targets.length;
      for (let k = 0, t = 0; k < packetsPerTick; k++) {
        out.send(targets[t]!, k);
        if (++t === nt) t = 0;
      }
    },
    finish: () => ({ value: sum }),
  };
}

export const floodModule: KernelModule = { createWorkerKernel };
