import { packSynapse, type MachineLayout, type Network, type Partition, type Placement, type ProgramCore, type Quantization, type Routing } from '../../src/chip/program.js';
import { diag, NeuromeshError } from '../../src/errors.js';
import type { PassContext } from '../context.js';

/**
 * Build each core's synaptic matrix: every synapse becomes one 32-bit word
 * (weight | delay | receptor | neuron-in-slice) on the core of its post neuron, in the row of its
 * pre neuron's routing key; rows are sorted by key. Two passes over the synapses (count, fill)
 * and one key sort per core.
 */
export function emitCores(net: Network, q: Quantization, part: Partition, placement: Placement, routing: Routing, machine: MachineLayout, ctx: PassContext): ProgramCore[] {
  const maxDelay = ctx.backend.profile.limits.maxDelaySteps?.value ?? 15;
  const nSlices = part.slices.length;
  const count = new Float64Array(nSlices + 1);
  for (const pr of net.projections) {
    const of = part.sliceOf[pr.post]!;
    const t = pr.target;
    for (let s = 0; s < t.length; s++) count[of[t[s]!]! + 1]!++;
    if (pr.delay) {
      let mx = 0;
      for (let s = 0; s < pr.delay.length; s++) if (pr.delay[s]! > mx) mx = pr.delay[s]!;
      if (mx > maxDelay)
        throw new NeuromeshError([diag('E_DELAY_RANGE', `a synaptic delay of ${mx} steps exceeds the ${maxDelay}-step ring buffer`, {
          node: pr.name, chip: ctx.backend.id, hint: 'delay extension cores are not implemented yet: keep delays ≤ 15 steps (or raise dt)',
        })]);
    }
  }
  for (let i = 0; i < nSlices; i++) count[i + 1]! += count[i]!;
  const total = count[nSlices]!;
  const keys = new Uint32Array(total);
  const words = new Uint32Array(total);
  const fill = count.slice(0, nSlices);
  for (const pr of net.projections) {
    const preOf = part.sliceOf[pr.pre]!;
    const postOf = part.sliceOf[pr.post]!;
    const w = q.weights[pr.index]!;
    const preSize = net.populations[pr.pre]!.size;
    for (let i = 0; i < preSize; i++) {
      const ps = preOf[i]!;
      const key = routing.sliceKey[ps]! + (i - part.slices[ps]!.lo);
      for (let s = pr.indptr[i]!; s < pr.indptr[i + 1]!; s++) {
        const j = pr.target[s]!;
        const t = postOf[j]!;
        const k = fill[t]!++;
        keys[k] = key;
        words[k] = packSynapse(w[s]!, pr.delay ? pr.delay[s]! : 0, pr.receptor, j - part.slices[t]!.lo);
      }
    }
  }
  const sorted = new Uint32Array(total);
  const cores: ProgramCore[] = [];
  const P = machine.coresPerChip;
  for (const sl of part.slices) {
    const lo = count[sl.index]!;
    const hi = count[sl.index + 1]!;
    const n = hi - lo;
    const order = new Float64Array(n);
    for (let i = 0; i < n; i++) order[i] = keys[lo + i]! * 1048576 + i;
    order.sort();
    const rowKeys: number[] = [];
    const rowStart: number[] = [];
    let last = -1;
    for (let i = 0; i < n; i++) {
      const idx = order[i]! % 1048576;
      const key = keys[lo + idx]!;
      if (key !== last) {
        rowKeys.push(key);
        rowStart.push(i);
        last = key;
      }
      sorted[lo + i] = words[lo + idx]!;
    }
    rowStart.push(n);
    const core = placement.coreOf[sl.index]!;
    cores.push({
      chip: Math.floor(core / P), pe: core % P, slice: sl.index, pop: sl.pop, lo: sl.lo, hi: sl.hi,
      key: routing.sliceKey[sl.index]!, mask: routing.sliceMask[sl.index]!,
      shifts: q.shifts[sl.pop]!.slice(),
      rowKeys: Uint32Array.from(rowKeys), rowStart: Uint32Array.from(rowStart), words: sorted.subarray(lo, hi),
      sramBytes: sl.sramBytes,
    });
  }
  return cores;
}
