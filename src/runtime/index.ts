/** The chip-agnostic worker-thread runtime (see README.md in this folder). */
export { startRun, runTicks, planToSpec, blockAssignment } from './pool.js';
export type { RunSpec, RunResult, RunHandle, KernelPlan, WorkerOutputOf } from './pool.js';
export { abortActiveRuns } from './active-runs.js';
export { runnableUrl } from './runnable-url.js';
export { ANY_CORE, MAX_PAYLOAD_WORDS, PACKET_DEST, PACKET_PAYLOAD, PACKET_SRC } from './kernel.js';
export type { JsonValue, KernelModule, PacketBatch, PacketSink, WorkerInit, WorkerKernel, WorkerOutput } from './kernel.js';
export type { WorkerStats } from './messages.js';
