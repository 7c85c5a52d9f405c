import type { Network } from '../../../src/chip/program.js';
import type { Partition, SliceGraph } from '../program-types.js';

/**
 * Aggregate the synapses into slice-to-slice traffic: weight(a → b) = number of neurons of slice a
 * with at least one synapse into slice b, i.e. the packets slice b receives when every neuron of a
 * fires once. With `activity` (per population, per neuron: e.g. spike counts of a reference run)
 * each neuron counts with its activity instead of 1. One pass over the synapses.
 */
export function sliceTraffic(net: Network, part: Partition, activity?: (Float64Array | undefined)[]): SliceGraph {
  const nSlices = part.slices.length;
  const byPre: number[][] = net.populations.map(() => []);
  for (const pr of net.projections) byPre[pr.pre]!.push(pr.index);
  const popBase = new Int32Array(net.populations.length);
  let base = 0;
  net.populations.forEach((p, i) => {
    popBase[i] = base;
    base += p.size;
  });
  const seenSlice = new Int32Array(nSlices).fill(-1);
  const seenPre = new Int32Array(nSlices).fill(-1);
  const count = new Float64Array(nSlices);
  const indptr = new Uint32Array(nSlices + 1);
  let dst: Uint32Array = new Uint32Array(Math.max(16, nSlices * 4));
  let weight: Float64Array = new Float64Array(dst.length);
  let nnz = 0;
  const touched: number[] = [];
  const sent = new Float64Array(nSlices);
  for (const sl of part.slices) {
    touched.length = 0;
    const act = activity?.[sl.pop];
    if (act) for (let i = sl.lo; i < sl.hi; i++) sent[sl.index]! += act[i]!;
    else sent[sl.index] = sl.hi - sl.lo;
    for (const k of byPre[sl.pop]!) {
      const pr = net.projections[k]!;
      const post = part.sliceOf[pr.post]!;
      const target = pr.target;
      const indptr = pr.indptr;
      const me = sl.index;
      for (let i = sl.lo; i < sl.hi; i++) {
        const gid = popBase[sl.pop]! + i;
        const end = indptr[i + 1]!;
        for (let s = indptr[i]!; s < end; s++) {
          const t = post[target[s]!]!;
          if (seenSlice[t] !== me) {
            seenSlice[t] = me;
            count[t] = 0;
            touched.push(t);
          }
          if (seenPre[t] !== gid) {
            seenPre[t] = gid;
            count[t]! += act ? act[i]! : 1;
          }
        }
      }
    }
    touched.sort((a, b) => a - b);
    if (nnz + touched.length > dst.length) {
      const cap = Math.max(dst.length * 2, nnz + touched.length);
      const d2 = new Uint32Array(cap);
      d2.set(dst.subarray(0, nnz));
      const w2 = new Float64Array(cap);
      w2.set(weight.subarray(0, nnz));
      dst = d2;
      weight = w2;
    }
    for (const t of touched) {
      dst[nnz] = t;
      weight[nnz++] = count[t]!;
    }
    indptr[sl.index + 1] = nnz;
  }
  return { indptr, dst: dst.slice(0, nnz), weight: weight.slice(0, nnz), sent };
}
