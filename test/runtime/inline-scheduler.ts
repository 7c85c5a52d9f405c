/**
 * An independent, deliberately naive implementation of the runtime's delivery contract, run in
 * the test thread: one kernel owns every core; packets sent in tick t are delivered in tick t+1,
 * stably sorted by source core. Used as the oracle for the worker runtime.
 */
import { ANY_CORE, type JsonValue, type KernelModule, type PacketSink } from '../../src/runtime/kernel.js';

export interface InlineResult {
  output: unknown;
  counterNames: string[];
  counters: Float64Array;
  packetsSent: Float64Array;
}

export async function runInline(
  mod: KernelModule,
  coreCount: number,
  steps: number,
  payloadWords: number,
  shared: unknown,
  options: JsonValue,
): Promise<InlineResult> {
  const cores = Int32Array.from({ length: coreCount }, (_, i) => i);
  const kernel = await mod.createWorkerKernel({
    runId: 'inline',
    workerIndex: 0,
    workerCount: 1,
    coreCount,
    cores,
    coreToWorker: new Int32Array(coreCount),
    payloadWords,
    steps,
    shared,
    local: null,
    options,
  });
  const packetsSent = new Float64Array(coreCount);
  let pending: number[][] = [];
  for (let step = 0; step < steps; step++) {
    const delivered = pending
      .map((p, i) => ({ p, i }))
      .sort((a, b) => a.p[0]! - b.p[0]! || a.i - b.i)
      .flatMap(({ p }) => p);
    pending = [];
    let current = -1;
    const sink: PacketSink = {
      setCore: (c) => (current = c),
      send: (dest, ...ws) => {
        if (current < 0) throw new Error('send before setCore');
        const payload = [...ws, 0, 0, 0, 0].slice(0, payloadWords).map((x) => (x ?? 0) >>> 0);
        pending.push([current, dest, ...payload]);
        packetsSent[current]!++;
      },
      sendToWorker: (_w, ...ws) => {
        const payload = [...ws, 0, 0, 0, 0].slice(0, payloadWords).map((x) => (x ?? 0) >>> 0);
        pending.push([current, ANY_CORE, ...payload]);
        packetsSent[current]!++;
      },
    };
    const words = Uint32Array.from(delivered);
    kernel.tick(step, { count: words.length / (2 + payloadWords), stride: 2 + payloadWords, words }, sink);
  }
  return {
    output: kernel.finish ? kernel.finish().value : null,
    counterNames: kernel.counterNames ? [...kernel.counterNames] : [],
    counters: kernel.counters ? kernel.counters() : new Float64Array(0),
    packetsSent,
  };
}
