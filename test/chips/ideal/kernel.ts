/** Worker side of the ideal chip: one unit per population, the reference's own float64 step, spikes as (neuron, f64 value) packets. */
import type { Population } from '../../../src/chip/program.js';
import { populationNode } from '../../../src/reference/population-node.js';
import type { StepInput } from '../../../src/io/spikes.js';
import { isKernel, type Kernel } from '../../../src/reference/kernel.js';
import { makeKernel } from '../../../src/reference/kernels/index.js';
import type { RunConfig } from '../../../src/reference/config.js';
import type { PacketBatch, PacketSink, WorkerInit, WorkerKernel } from '../../../src/runtime/kernel.js';
import type { UnitRecording } from '../../../src/chip/unit-recordings.js';
import type { IdealPayload } from './index.js';

export interface IdealShared {
  pops: { name: string; kind: Population['kind']; shape: number[]; size: number; params: Record<string, Float64Array>; bias?: Float64Array; receptors: number; trace: boolean }[];
  payload: IdealPayload;
  cfg: RunConfig;
  inputs: [string, StepInput][];
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

export function createWorkerKernel(init: WorkerInit): WorkerKernel {
  const sh = init.shared as IdealShared;
  const cores = Array.from(init.cores);
  const state = cores.map((u) => {
    const p = sh.pops[u]!;
    const k = makeKernel(populationNode(p), { cfg: sh.cfg, inShape: p.shape, outShape: p.shape, inputs: new Map(sh.inputs) });
    if (!isKernel(k)) throw new Error(`ideal chip: ${k.map((d) => d.message).join('; ')}`);
    const incoming = sh.payload.projections.filter((q) => q.post === u);
    const slots = 1 + Math.max(0, ...incoming.map((q) => (q.delay ? Math.max(0, ...q.delay) : 0)));
    const block = p.size * p.receptors;
    const fanout = [...new Set(sh.payload.projections.filter((q) => q.pre === u).map((q) => q.post))];
    return { u, p, k: k as Kernel, incoming, slots, block, ring: new Float64Array(slots * block), x: new Float64Array(block), y: new Float64Array(p.size), fanout,
      steps: [] as number[], neurons: [] as number[], counts: new Int32Array(p.size), trace: p.trace ? new Float64Array(init.steps * p.size) : undefined, events: 0, updates: 0 };
  });
  const local = new Map(cores.map((u, i) => [u, state[i]!]));
  return {
    counterNames: ['synaptic_events', 'neuron_updates'],
    tick(t: number, inbox: PacketBatch, out: PacketSink) {
      for (let r = 0; r < inbox.count; r++) {
        const o = r * inbox.stride;
        const s = local.get(inbox.words[o + 1]!)!;
        const src = inbox.words[o]!;
        const i = inbox.words[o + 2]!;
        words[0] = inbox.words[o + 3]!;
        words[1] = inbox.words[o + 4]!;
        for (const q of s.incoming) {
          if (q.pre !== src) continue;
          for (let e = q.indptr[i]!; e < q.indptr[i + 1]!; e++) {
            s.ring[((t + (q.delay?.[e] ?? 0)) % s.slots) * s.block + q.receptor * s.p.size + q.target[e]!]! += q.weight[e]! * bits[0]!;
            s.events++;
          }
        }
      }
      for (const s of state) {
        out.setCore(s.u);
        const base = (t % s.slots) * s.block;
        for (let j = 0; j < s.block; j++) s.x[j] = s.ring[base + j]! + (s.p.bias && j < s.p.size ? s.p.bias[j]! : 0);
        s.ring.fill(0, base, base + s.block);
        s.k.step(t, s.x, s.y, { synapticEvents: 0 });
        if (s.p.kind !== 'Input' && s.p.kind !== 'SpikeSource') s.updates += s.p.size;
        if (s.trace) s.trace.set(s.k.vars.v ?? s.y, t * s.p.size);
        for (let j = 0; j < s.p.size; j++) {
          const v = s.y[j]!;
          if (v === 0) continue;
          if (s.k.spiking) (s.steps.push(t), s.neurons.push(j), (s.counts[j]! += v));
          bits[0] = v;
          for (const d of s.fanout) out.send(d, j, words[0], words[1]);
        }
      }
    },
    counters: () => Float64Array.from(state.flatMap((s) => [s.events, s.updates])),
    finish: () => ({ value: state.map((s): UnitRecording => ({ unit: s.u, steps: Int32Array.from(s.steps), neurons: Int32Array.from(s.neurons), counts: s.counts, ...(s.trace ? { trace: s.trace } : {}) })) }),
  };
}
