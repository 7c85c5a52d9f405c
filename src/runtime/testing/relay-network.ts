/** Main-thread helpers for the relay test backend: build a network and collect its results. */
import type { RunResult, RunSpec } from '../pool.js';
import type { RelayOptions, RelayOutput, RelayShared } from './relay-kernel.js';

/** A network from an adjacency list (targets per core). */
export function relayNetwork(adjacency: readonly (readonly number[])[]): RelayShared {
  const total = adjacency.reduce((s, t) => s + t.length, 0);
  const offsets = new Int32Array(new SharedArrayBuffer(4 * (adjacency.length + 1)));
  const targets = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, total)));
  let k = 0;
  adjacency.forEach((ts, c) => {
    offsets[c] = k;
    for (const t of ts) targets[k++] = t;
  });
  offsets[adjacency.length] = k;
  return { offsets: offsets.buffer as SharedArrayBuffer, targets: targets.buffer as SharedArrayBuffer };
}

export const RELAY_KERNEL_URL = new URL('./relay-kernel.js', import.meta.url);

export function relaySpec(
  adjacency: readonly (readonly number[])[],
  options: RelayOptions,
  rest: Omit<RunSpec, 'kernelUrl' | 'coreCount' | 'shared' | 'options'>,
): RunSpec {
  return {
    kernelUrl: RELAY_KERNEL_URL,
    coreCount: adjacency.length,
    shared: relayNetwork(adjacency),
    options: { ...options } as unknown as RunSpec['options'],
    ...rest,
  };
}

/** Checksums by core id, from the workers' outputs. */
export function relayChecksums(result: RunResult): Uint32Array {
  const acc = new Uint32Array(result.coreToWorker.length);
  for (const o of result.outputs) {
    const v = o.value as RelayOutput;
    v.cores.forEach((c, i) => (acc[c] = v.acc[i]!));
  }
  return acc;
}
