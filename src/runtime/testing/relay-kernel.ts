/**
 * A tiny test backend for the runtime: a network of relay cores. Each core keeps an
 * order-sensitive checksum of the packets it receives (so any change in delivery order shows),
 * forwards some of them to its targets while they have hops left, and injects new packets from a
 * deterministic hash of (seed, core, step). Payload words beyond the first two carry values
 * derived from the second, checked on receipt (ring corruption shows as an error).
 *
 * Program: `shared` = RelayShared (CSR adjacency in SharedArrayBuffers); `options` = RelayOptions.
 * Fault injection: `failAt` throws while processing a core at a step; `exitAt` ends the worker
 * thread with process.exit; `busyMs` burns time each tick (abort tests).
 */
import type { JsonValue, KernelModule, PacketBatch, PacketSink, WorkerInit, WorkerKernel, WorkerOutput } from '../kernel.js';

export interface RelayShared {
  /** targets of core c: targets[offsets[c] … offsets[c+1]-1] (Int32 SharedArrayBuffers). */
  offsets: SharedArrayBuffer;
  targets: SharedArrayBuffer;
}

export interface RelayOptions {
  seed: number;
  /** A core injects when hash(seed, core, step) % injectEvery == 0. */
  injectEvery: number;
  hops: number;
  failAt?: { step: number; core: number };
  exitAt?: { step: number; core: number; code: number };
  busyMs?: number;
  /** Core `core` loops forever in tick `step` (stall watchdog tests). */
  hangAt?: { step: number; core: number };
  /** Tick `step` takes `ms` longer than the others (a legitimately slow tick). */
  slowAt?: { step: number; ms: number };
}

export interface RelayOutput {
  cores: Int32Array;
  acc: Uint32Array;
}

export const RELAY_COUNTERS = ['received', 'sent', 'injected'] as const;

export function mix(a: number, b: number): number {
  const x = Math.imul((a ^ b) >>> 0, 0x9e3779b1) >>> 0;
  return ((x << 13) | (x >>> 19)) >>> 0;
}

function asOptions(o: JsonValue): RelayOptions {
  return o as unknown as RelayOptions;
}

export function createWorkerKernel(init: WorkerInit): WorkerKernel {
  const shared = init.shared as RelayShared;
  const offsets = new Int32Array(shared.offsets);
  const targets = new Int32Array(shared.targets);
  const opt = asOptions(init.options);
  const pw = init.payloadWords;
  if (pw < 2) throw new Error('relay kernel needs payloadWords >= 2');
  const n = init.cores.length;
  const local = new Int32Array(init.coreCount).fill(-1);
  init.cores.forEach((c, i) => (local[c] = i));
  const acc = new Uint32Array(n);
  init.cores.forEach((c, i) => (acc[i] = mix(opt.seed, c)));
  const counters = new Float64Array(n * RELAY_COUNTERS.length);

  function check(step: number, core: number): void {
    if (opt.failAt && opt.failAt.step === step && opt.failAt.core === core) throw new Error(`planned failure of core ${core}`);
    if (opt.exitAt && opt.exitAt.step === step && opt.exitAt.core === core) process.exit(opt.exitAt.code);
    if (opt.hangAt && opt.hangAt.step === step && opt.hangAt.core === core) for (;;) acc[0] = mix(acc[0]!, step);
  }

  function forward(out: PacketSink, core: number, li: number, hops: number, step: number): void {
    for (let k = offsets[core]!; k < offsets[core + 1]!; k++) {
      const t = targets[k]!;
      if ((mix(acc[li]!, t + step) & 1) !== 0) continue;
      const v = mix(acc[li]!, t);
      out.send(t, hops, v, v ^ 0x5a5a5a5a, (v + 1) >>> 0);
      counters[li * 3 + 1]!++;
    }
  }

  return {
    counterNames: RELAY_COUNTERS,
    tick(step: number, inbox: PacketBatch, out: PacketSink): void {
      const busy = (opt.busyMs ?? 0) + (opt.slowAt?.step === step ? opt.slowAt.ms : 0);
      if (busy) {
        const until = performance.now() + busy;
        while (performance.now() < until);
      }
      const w = inbox.words;
      const stride = inbox.stride;
      for (let i = 0; i < inbox.count; i++) {
        const o = i * stride;
        const src = w[o]!;
        const dest = w[o + 1]!;
        const hops = w[o + 2]!;
        const value = w[o + 3]!;
        if (pw > 2 && w[o + 4] !== (value ^ 0x5a5a5a5a) >>> 0) throw new Error(`corrupt packet from core ${src} to core ${dest}`);
        if (pw > 3 && w[o + 5] !== (value + 1) >>> 0) throw new Error(`corrupt packet from core ${src} to core ${dest}`);
        const li = local[dest];
        if (li === undefined || li < 0) throw new Error(`packet for core ${dest} delivered to worker ${init.workerIndex}, which does not own it`);
        out.setCore(dest);
        check(step, dest);
        acc[li] = mix(mix(mix(acc[li]!, src), value), step);
        counters[li * 3]!++;
        if (hops > 0) forward(out, dest, li, hops - 1, step);
      }
      for (let li = 0; li < n; li++) {
        const c = init.cores[li]!;
        out.setCore(c);
        check(step, c);
        if (mix(mix(opt.seed, c), step) % opt.injectEvery !== 0) continue;
        counters[li * 3 + 2]!++;
        forward(out, c, li, opt.hops, step);
      }
    },
    counters: () => counters,
    finish(): WorkerOutput {
      const value: RelayOutput = { cores: init.cores, acc };
      return { value, transfer: [acc.buffer] };
    },
  };
}

export const relayModule: KernelModule = { createWorkerKernel };
