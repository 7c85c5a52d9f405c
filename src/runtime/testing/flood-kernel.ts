/**
 * Benchmark backend: each worker's first core sends `packetsPerTick` one-word packets per tick,
 * round-robin to the cores of the other workers (to its own cores when alone), and every worker
 * sums the payloads it receives. With packetsPerTick = 0 it is the empty kernel that measures
 * the pure per-tick overhead of the barrier and the exchange.
 *
 * With `neuronsPerCore` > 0 it also emulates a neuron-update load for scaling measurements: every
 * owned core updates that many leaky integrators per tick (v = 0.95·v + drive), and each neuron
 * that crosses 1 resets and sends one packet to a core chosen by its index.
 */
import type { KernelModule, PacketBatch, PacketSink, WorkerInit, WorkerKernel } from '../kernel.js';

export interface FloodOptions {
  packetsPerTick: number;
  neuronsPerCore?: number;
}

export function createWorkerKernel(init: WorkerInit): WorkerKernel {
  const { packetsPerTick, neuronsPerCore = 0 } = init.options as unknown as FloodOptions;
  const nc = init.cores.length;
  const v = new Float32Array(nc * neuronsPerCore);
  const drive = new Float32Array(nc * neuronsPerCore);
  for (let i = 0; i < drive.length; i++) drive[i] = 0.03 + ((i * 2654435761) >>> 0) / 2 ** 32 / 20;
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
      for (let li = 0; li < nc && neuronsPerCore > 0; li++) {
        out.setCore(init.cores[li]!);
        const base = li * neuronsPerCore;
        for (let i = base; i < base + neuronsPerCore; i++) {
          const x = 0.95 * v[i]! + drive[i]!;
          if (x > 1) {
            v[i] = 0;
            out.send(i % init.coreCount, i);
          } else v[i] = x;
        }
      }
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
