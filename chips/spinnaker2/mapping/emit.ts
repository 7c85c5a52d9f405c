import { type Network } from '../../../src/chip/program.js';
import { type MachineLayout, type Partition, type Placement, type ProgramCore, type Quantization, type Routing } from '../program-types.js';
import { profileValue } from '../../../src/chip/profile.js';
import { diag, NeuromeshError } from '../../../src/errors.js';
import type { MappingContext } from '../../../src/chip/backend.js';

/**
 * Build each core's synaptic matrix: every synapse becomes one 32-bit word
 * (weight | delay | receptor | neuron-in-slice) on the core of its post neuron, in the row of its
 * pre neuron's routing key. Synapses are visited in ascending key order (source populations by
 * key base, then pre neuron, then every projection from it), so rows come out sorted with no
 * sort at all: one counting pass (words and rows per core), one filling pass.
 */
export function emitCores(net: Network, q: Quantization, part: Partition, placement: Placement, routing: Routing, machine: MachineLayout, ctx: MappingContext): ProgramCore[] {
  const maxDelay = profileValue(ctx.profile, 'limits.maxDelaySteps');
  const nSlices = part.slices.length;
  for (const pr of net.projections) {
    if (!pr.delay) continue;
    let mx = 0;
    for (let s = 0; s < pr.delay.length; s++) if (pr.delay[s]! > mx) mx = pr.delay[s]!;
    if (mx > maxDelay)
      throw new NeuromeshError([diag('E_DELAY_RANGE', `a synaptic delay of ${mx} steps exceeds the ${maxDelay}-step ring buffer`, {
        node: pr.name, chip: ctx.profile.id, hint: 'delay extension cores are not implemented yet: keep delays ≤ 15 steps (or raise dt)',
      })]);
  }
  const byPre: number[][] = net.populations.map(() => []);
  for (const pr of net.projections) byPre[pr.pre]!.push(pr.index);
  const popOrder = net.populations.map((p) => p.index).filter((p) => byPre[p]!.length)
    .sort((a, b) => routing.sliceKey[part.popSlices[a]![0]!]! - routing.sliceKey[part.popSlices[b]![0]!]!);
  const sliceLo = new Uint32Array(nSlices);
  for (const sl of part.slices) sliceLo[sl.index] = sl.lo;
  const words = new Float64Array(nSlices + 1);
  const rows = new Float64Array(nSlices + 1);
  const lastKey = new Float64Array(nSlices).fill(-1);
  // pass 1: words and rows per core, visiting synapses in ascending key order
  for (const p of popOrder) {
    const preOf = part.sliceOf[p]!;
    const prs = byPre[p]!.map((k) => net.projections[k]!);
    const size = net.populations[p]!.size;
    for (let i = 0; i < size; i++) {
      const ps = preOf[i]!;
      const key = routing.sliceKey[ps]! + (i - sliceLo[ps]!);
      for (const pr of prs) {
        const postOf = part.sliceOf[pr.post]!;
        const target = pr.target;
        const end = pr.indptr[i + 1]!;
        for (let s = pr.indptr[i]!; s < end; s++) {
          const t = postOf[target[s]!]!;
          words[t + 1]!++;
          if (lastKey[t] !== key) {
            lastKey[t] = key;
            rows[t + 1]!++;
          }
        }
      }
    }
  }
  for (let i = 0; i < nSlices; i++) {
    words[i + 1]! += words[i]!;
    rows[i + 1]! += rows[i]!;
  }
  const allWords = new Uint32Array(words[nSlices]!);
  const allKeys = new Uint32Array(rows[nSlices]!);
  const allStart = new Uint32Array(rows[nSlices]!);
  const wFill = words.slice(0, nSlices);
  const rFill = rows.slice(0, nSlices);
  lastKey.fill(-1);
  // pass 2: the same order, filling words and row starts
  for (const p of popOrder) {
    const preOf = part.sliceOf[p]!;
    const prs = byPre[p]!.map((k) => net.projections[k]!);
    const size = net.populations[p]!.size;
    for (let i = 0; i < size; i++) {
      const ps = preOf[i]!;
      const key = routing.sliceKey[ps]! + (i - sliceLo[ps]!);
      for (const pr of prs) {
        const postOf = part.sliceOf[pr.post]!;
        const target = pr.target;
        const qw = q.weights[pr.index]!;
        const delay = pr.delay;
        const rec = (pr.receptor & 0xf) << 8;
        const end = pr.indptr[i + 1]!;
        for (let s = pr.indptr[i]!; s < end; s++) {
          const j = target[s]!;
          const t = postOf[j]!;
          const k = wFill[t]!++;
          if (lastKey[t] !== key) {
            lastKey[t] = key;
            const r = rFill[t]!++;
            allKeys[r] = key;
            allStart[r] = k - words[t]!;
          }
          // weight:16 | delay:4 | receptor:4 | neuron:8 (packSynapse, inlined)
          allWords[k] = (((qw[s]! & 0xffff) << 16) | ((delay ? delay[s]! & 0xf : 0) << 12) | rec | ((j - sliceLo[t]!) & 0xff)) >>> 0;
        }
      }
    }
  }
  const cores: ProgramCore[] = [];
  const P = machine.coresPerChip;
  for (const sl of part.slices) {
    const t = sl.index;
    const rowStart = new Uint32Array(rows[t + 1]! - rows[t]! + 1);
    rowStart.set(allStart.subarray(rows[t]!, rows[t + 1]!));
    rowStart[rowStart.length - 1] = words[t + 1]! - words[t]!;
    const core = placement.coreOf[t]!;
    cores.push({
      chip: Math.floor(core / P), pe: core % P, slice: t, pop: sl.pop, lo: sl.lo, hi: sl.hi,
      key: routing.sliceKey[t]!, mask: routing.sliceMask[t]!,
      shifts: q.shifts[sl.pop]!.slice(),
      rowKeys: allKeys.subarray(rows[t]!, rows[t + 1]!), rowStart, words: allWords.subarray(words[t]!, words[t + 1]!),
      sramBytes: sl.sramBytes,
    });
  }
  return cores;
}
