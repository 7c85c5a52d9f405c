/**
 * The clock-driven schedule run by each worker: for every tick, gather the packets sent to this
 * worker during the previous tick (sorted by source core), run the kernel, publish the packets it
 * sent, and meet the other workers at the tick barrier. Packets sent during tick t are delivered
 * at tick t+1; packets sent during the last tick are counted but not delivered.
 */
import { diag, NeuromeshError } from '../errors.js';
import {
  CTRL_SLOTS,
  PHASE_BARRIER,
  PHASE_FINISHING,
  PHASE_TICK,
  SLOT_CORE,
  SLOT_PHASE,
  SLOT_STEP,
  SLOT_STRIDE,
  TickBarrier,
} from './barrier.js';
import { Inbox, OutChannel } from './channel.js';
import type { WorkerKernel } from './kernel.js';
import type { DoneMessage, InitMessage, WorkerToMain } from './messages.js';

export type Post = (message: WorkerToMain, transfer?: ArrayBuffer[]) => void;

export function runTickLoop(init: InitMessage, kernel: WorkerKernel, post: Post): void {
  const me = init.workerIndex;
  const ctrl = new Int32Array(init.control);
  const slot = CTRL_SLOTS + me * SLOT_STRIDE;
  const coreToWorker = new Int32Array(init.coreToWorker);
  const barrier = new TickBarrier(ctrl, init.workerCount, init.spinMicros, undefined, me === 0);
  const out = new OutChannel(init.channels, me, coreToWorker, init.cores, init.payloadWords, ctrl);
  const inbox = new Inbox(init.channels, me, init.payloadWords, init.coreCount);
  const every = init.progressEvery;
  const reportProgress = me === 0 && every > 0;

  ctrl[slot + SLOT_PHASE] = PHASE_BARRIER;
  barrier.arrive(); // start together: setup time stays out of the loop time
  const startWaitMs = barrier.waitMs;
  const t0 = performance.now();
  let kernelMs = 0;
  for (let step = 0; step < init.steps; step++) {
    ctrl[slot + SLOT_STEP] = step;
    ctrl[slot + SLOT_CORE] = -1;
    inbox.gather(step);
    out.beginTick(step);
    ctrl[slot + SLOT_PHASE] = PHASE_TICK;
    const k0 = performance.now();
    const r: unknown = kernel.tick(step, inbox, out);
    kernelMs += performance.now() - k0;
    if (step === 0 && r instanceof Promise)
      throw new NeuromeshError([diag('E_KERNEL_ASYNC', `worker ${me} kernel.tick returned a Promise`, {
        hint: 'tick must be synchronous: the tick barrier cannot wait for promises',
      })]);
    out.endTick();
    ctrl[slot + SLOT_PHASE] = PHASE_BARRIER;
    barrier.arrive(step);
    if (reportProgress && (step + 1) % every === 0) post({ type: 'progress', runId: init.runId, workerIndex: me, step: step + 1 });
  }
  const loopMs = performance.now() - t0;

  ctrl[slot + SLOT_PHASE] = PHASE_FINISHING;
  ctrl[slot + SLOT_CORE] = -1;
  const names = kernel.counterNames ? [...kernel.counterNames] : [];
  let counters: Float64Array | null = null;
  if (kernel.counters) {
    counters = kernel.counters();
    if (!(counters instanceof Float64Array) || counters.length !== names.length * init.cores.length)
      throw new NeuromeshError([diag('E_KERNEL_COUNTERS',
        `worker ${me} kernel returned ${counters instanceof Float64Array ? counters.length : 'a non-Float64Array'} counters, expected ${names.length} names × ${init.cores.length} cores`,
        { hint: 'counters() must return one row of counterNames.length values per owned core' })]);
  }
  const output = kernel.finish ? kernel.finish() : { value: null };
  let sent = 0;
  for (const v of out.sentPerCore) sent += v;
  const done: DoneMessage = {
    type: 'done',
    runId: init.runId,
    workerIndex: me,
    counterNames: names,
    counters,
    packetsSent: out.sentPerCore,
    output: output.value,
    stats: { loopMs, kernelMs, exchangeMs: loopMs - kernelMs, packetsSent: sent, packetsReceived: inbox.received, barrierSpun: barrier.spun, barrierSlept: barrier.slept,
      barrierMs: barrier.waitMs - startWaitMs, tickWorkMicros: barrier.workMicros, barrierModeEpochs: barrier.modeEpochs },
  };
  const transfer = [...(output.transfer ?? []), out.sentPerCore.buffer as ArrayBuffer];
  if (counters && !transfer.includes(counters.buffer as ArrayBuffer) && !(counters.buffer instanceof SharedArrayBuffer))
    transfer.push(counters.buffer as ArrayBuffer);
  post(done, transfer);
}
