/**
 * spinnaker2 worker-side kernels: the per-core neuron updates and synaptic input of the emulated
 * SpiNNaker-2-like PEs, in the fixed-point formats the profile declares (`arithmetic`, resolved
 * into `S2Options.arith` by run.ts). Loaded in every runtime worker (module contract:
 * src/runtime/kernel.ts).
 *
 * Per tick t, for each owned core:
 *  1. packets of tick t−1 (one per spike and destination worker, payload = the 32-bit routing key):
 *     the chip's multicast is emulated by the receiving worker, which delivers the packet to each of
 *     its cores on the route of the source slice (counted as received), finds the neuron's row on
 *     the cores that hold one (a per-neuron target table built once from the rows; the others count a
 *     row miss, like a master-population-table miss), and every 32-bit synapse word
 *     weight:16|delay:4|receptor:4|neuron:8 adds its weight code to ring-buffer slot (t + delay) mod 16;
 *  2. input spikes of step t (Input / SpikeSource populations) are generated locally — every worker
 *     that needs them draws the same ones (file data or the counter-based RNG) — and applied the
 *     same way, so they reach their first targets in the same tick;
 *  3. the neurons read slot t, turn it into an input current (sum << receptor shift, + bias,
 *     saturated to the state format), update in the declared formats, clear the slot, and send one
 *     packet per spike to each destination core of the source slice's multicast route.
 * Spikes between neurons therefore arrive one tick after they are emitted (delay 1).
 */
import type { PacketBatch, PacketSink, WorkerInit, WorkerKernel, WorkerOutput } from '../../src/runtime/kernel.js';
import { createCoreState, type CoreState } from './kernel-core-state.js';
import { createCurrentLifWasm, currentLifWasmApplies } from './kernel-current-lif-wasm.js';
import { C, COUNTER_NAMES, NC, createTickCycles } from './kernel-counters.js';
import { createInputs } from './kernel-inputs.js';
import { createNeuronUpdate } from './kernel-neurons.js';
import { createSynapses } from './kernel-synapses.js';
import type { S2Options, S2Shared, S2WorkerOutput } from './kernel-types.js';
import { StepLog, stepRunsBuffers } from '../../src/chip/step-runs.js';

// The module's names (run.ts imports them from here; the worker loads this file).
export { COUNTER_NAMES } from './kernel-counters.js';
export { KIND } from './kernel-types.js';
export type { CoreData, PopData, S2Arith, S2Options, S2Shared, S2WorkerOutput, SourceData } from './kernel-types.js';

/*
 * The parts, one role per file: kernel-types.ts (the plan's data), kernel-core-state.ts (an owned
 * core's state and spike output), kernel-synapses.ts (step 1: delivery, rows, ring buffer),
 * kernel-inputs.ts (step 2), kernel-neurons.ts (step 3, any declared arithmetic) with
 * kernel-current-lif.ts (its specialised CurrentLIF loops) and kernel-current-lif-wasm.ts (the same in
 * WebAssembly SIMD where its predicate holds), kernel-arith.ts (multiplies, clamps),
 * kernel-counters.ts (counters, route costs, the cycle model).
 */

/**
 * Test-only: NEUROMESH_TEST_STALL_AT=<tick>:<core> makes the worker owning that core loop forever
 * in that tick (test/e2e/stall.test.ts proves the CLI's stall watchdog on a real chip run).
 */
function testStall(init: WorkerInit): { step: number; core: number } | undefined {
  const m = /^(\d+):(\d+)$/.exec(process.env.NEUROMESH_TEST_STALL_AT ?? '');
  if (!m) return undefined;
  const at = { step: Number(m[1]), core: Number(m[2]) };
  return init.cores.includes(at.core) ? at : undefined;
}

export function createWorkerKernel(init: WorkerInit): WorkerKernel {
  const stall = testStall(init);
  const shared = init.shared as S2Shared;
  const opt = init.options as unknown as S2Options;
  const steps = init.steps;
  const nOwned = init.cores.length;
  const counters = new Float64Array(nOwned * NC);
  /** Local index of every program core (−1: owned by another worker). */
  const local = new Int32Array(init.coreCount).fill(-1);
  const states: CoreState[] = [];
  // CurrentLIF cores the WebAssembly kernel computes exactly keep their state in its shared memory
  const wasmCore = (id: number): boolean => currentLifWasmApplies(opt.arith, shared.pops[shared.cores[id]!.pop]!, shared.cores[id]!.shifts, opt.refractoryInput);
  const wasm = init.cores.some(wasmCore) ? createCurrentLifWasm(opt.arith, opt.reset === 'subtract') : undefined;
  for (let li = 0; li < nOwned; li++) {
    const id = init.cores[li]!;
    local[id] = li;
    const core = shared.cores[id]!;
    const inWasm = wasm !== undefined && wasmCore(id);
    const st = createCoreState(id, core, shared.pops[core.pop]!, init.coreToWorker, steps, inWasm ? (n) => wasm.arena.i32(n) : undefined);
    if (inWasm) wasm.attach(st);
    states.push(st);
  }
  /** The current tick's slowest owned core's cycles, that core, and its slowest packet route's cycles … */
  const tickCycles = new Float64Array(1);
  const tickCore = new Int32Array(1);
  const tickRoute = new Float64Array(1);
  /** … recorded per tick, run-length encoded (memory grows with how much ticks vary, not with the steps). */
  const stepLog = new StepLog();
  const cycles = createTickCycles(opt.cycles, counters, nOwned, tickCycles, tickCore);
  const syn = createSynapses(shared, opt, local, states, counters);
  const deliver = syn.deliver;
  const inputs = createInputs(shared, states, counters, tickRoute, deliver);
  const update = createNeuronUpdate(opt, counters, tickRoute, wasm);

  return {
    counterNames: COUNTER_NAMES,
    tick(step: number, inbox: PacketBatch, out: PacketSink): void {
      // cycles of this tick are measured as counter deltas
      cycles.begin();
      tickRoute[0] = 0;
      if (stall && step === stall.step) {
        out.setCore(stall.core);
        for (;;) tickRoute[0] = tickRoute[0]! + 1;
      }
      // 1. packets of the previous tick
      const w = inbox.words;
      const stride = inbox.stride;
      const cores = shared.cores;
      for (let i = 0; i < inbox.count; i++) {
        const o = i * stride;
        const src = w[o]!;
        deliver(src, (w[o + 2]! - cores[src]!.key) >>> 0, 1, step);
      }
      // 2. input spikes of this step, generated locally
      if (inputs) inputs(step);
      syn.flushReceived();
      // 3. neuron updates
      for (let li = 0; li < nOwned; li++) {
        const s = states[li]!;
        if (s.pop.role !== 'source') {
          out.setCore(s.id);
          update(s, step, out, li * NC);
        }
        cycles.end(li, s.id);
      }
      stepLog.push(step, tickCycles[0]!, tickCore[0]!, tickRoute[0]!);
    },
    counters: () => {
      const hits = syn.hits;
      for (let li = 0; li < nOwned; li++) counters[li * NC + C.row_misses] = counters[li * NC + C.packets_received]! - hits[li]!;
      return counters;
    },
    finish(): WorkerOutput {
      const value: S2WorkerOutput = {
        cores: Int32Array.from(init.cores),
        spikes: states.map((s) => s.log.data.slice(0, s.log.n)),
        traces: states.map((s) => s.trace),
        steps: stepLog.runs(),
        restSkips: update.restSkips,
      };
      return { value, transfer: [...value.spikes.map((a) => a.buffer as ArrayBuffer), ...value.traces.map((a) => a.buffer as ArrayBuffer), ...stepRunsBuffers(value.steps)] };
    },
  };
}
