/**
 * Worker-thread entry point (runs as dist/src/runtime/worker.js). Loads the backend's kernel
 * module named in the init data, creates the kernel for this worker's cores, runs the tick loop
 * and posts the results. Any failure is posted as an `error` message with the tick and the core,
 * and raises the shared abort flag so that peers stop at the barrier instead of waiting.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NeuromeshError } from '../errors.js';
import { CTRL_SLOTS, PHASE_DONE, RunAborted, SLOT_CORE, SLOT_PHASE, SLOT_STEP, SLOT_STRIDE, signalAbort } from './barrier.js';
import type { KernelModule, WorkerInit } from './kernel.js';
import type { InitMessage, WorkerToMain } from './messages.js';
import { runTickLoop } from './scheduler-tick.js';
import { loadKernelModule } from './load-kernel.js';

const init = workerData as InitMessage;
const port = parentPort;
if (!port || !init || init.type !== 'init') throw new Error('neuromesh runtime worker started without init data');

const post = (message: WorkerToMain, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer ?? []);
const ctrl = new Int32Array(init.control);
const slot = CTRL_SLOTS + init.workerIndex * SLOT_STRIDE;
ctrl[slot + SLOT_STEP] = -1;
ctrl[slot + SLOT_CORE] = -1;

async function main(): Promise<void> {
  const mod: KernelModule = await loadKernelModule(init.kernelUrl);
  const kernelInit: WorkerInit = {
    runId: init.runId,
    workerIndex: init.workerIndex,
    workerCount: init.workerCount,
    coreCount: init.coreCount,
    cores: init.cores,
    coreToWorker: new Int32Array(init.coreToWorker),
    payloadWords: init.payloadWords,
    steps: init.steps,
    shared: init.shared,
    local: init.local,
    options: init.options,
  };
  const kernel = await mod.createWorkerKernel(kernelInit);
  post({ type: 'ready', runId: init.runId, workerIndex: init.workerIndex });
  runTickLoop(init, kernel, post);
  ctrl[slot + SLOT_PHASE] = PHASE_DONE;
}

main().catch((e: unknown) => {
  if (e instanceof RunAborted) {
    post({ type: 'aborted', runId: init.runId, workerIndex: init.workerIndex });
    return;
  }
  const core = ctrl[slot + SLOT_CORE]!;
  post({
    type: 'error',
    runId: init.runId,
    workerIndex: init.workerIndex,
    step: ctrl[slot + SLOT_STEP]!,
    core: core >= 0 ? core : null,
    diagnostics: e instanceof NeuromeshError ? e.diagnostics : [],
    message: e instanceof Error ? e.message : String(e),
    stack: e instanceof Error && e.stack ? e.stack : null,
  });
  signalAbort(ctrl);
});
