import type { StrategyContext } from '../../src/chip/backend.js';
import type { Network, Partition, Quantization, Slice } from '../../src/chip/program.js';
import { diag, NeuromeshError, type Diagnostic } from '../../src/errors.js';

function limit(ctx: StrategyContext, name: string): number {
  const c = ctx.profile.limits[name];
  if (!c) throw new NeuromeshError([diag('E_PROFILE', `profile has no coefficient 'limits.${name}'`, { chip: ctx.profile.id, field: `limits.${name}` })]);
  return c.value;
}

/** Bytes of a synaptic row's header on a core (its routing key and its offset into the words). */
export const ROW_HEADER_BYTES = 8;

/**
 * Cut every population into contiguous per-core slices: at most maxNeuronsPerCore neurons (the
 * profile's default or the user's cap for that node, never above 2^neuronIndexBits), and at most
 * the core's data SRAM: overhead + neurons · (state + ring buffer) + incoming synapse words · 4 B
 * + rows · 8 B (one row per source neuron with synapses on the core: key and offset, as emit
 * stores them). Slices are grown greedily on the first four terms, then the rows of every slice
 * are counted and a slice over the limit is halved until every one fits.
 */
export function partition(net: Network, _q: Quantization, ctx: StrategyContext): Partition {
  const defaultMax = limit(ctx, 'maxNeuronsPerCore');
  const indexMax = 2 ** limit(ctx, 'neuronIndexBits');
  const sram = limit(ctx, 'dataSramPerPe');
  const wordBytes = limit(ctx, 'synapseWordBytes');
  const stateBytes = limit(ctx, 'neuronStateBytes');
  const ringBytes = limit(ctx, 'ringBufferBytesPerNeuron');
  const overhead = limit(ctx, 'coreOverheadBytes');
  const errors: Diagnostic[] = [];
  for (const [name, n] of Object.entries(ctx.maxNeuronsPerCore)) {
    if (name !== '*' && !net.populations.some((p) => p.name === name))
      errors.push(diag('E_OPTION', `--max-neurons-per-core names '${name}', which is not a neuron population`, { node: name, hint: `populations: ${net.populations.slice(0, 8).map((p) => p.name).join(', ')}` }));
    else if (!Number.isInteger(n) || n < 1 || n > indexMax)
      errors.push(diag('E_OPTION', `--max-neurons-per-core ${name === '*' ? '' : `${name}=`}${n} must be an integer 1–${indexMax}`, { node: name, hint: `a synapse word has ${Math.log2(indexMax)} neuron-index bits` }));
  }
  if (errors.length) throw new NeuromeshError(errors);
  // incoming synapse words per post neuron
  const indeg = net.populations.map((p) => new Uint32Array(p.size));
  for (const pr of net.projections) {
    const d = indeg[pr.post]!;
    const t = pr.target;
    for (let s = 0; s < t.length; s++) d[t[s]!]!++;
  }
  const rowBytes = ctx.profile.limits.rowHeaderBytes?.value ?? ROW_HEADER_BYTES;
  let slices: Slice[] = [];
  let popSlices: number[][] = [];
  let sliceOf: Uint32Array[] = [];
  for (const p of net.populations) {
    const cap = Math.min(ctx.maxNeuronsPerCore[p.name] ?? ctx.maxNeuronsPerCore['*'] ?? defaultMax, indexMax);
    const perNeuron = p.role === 'source' ? 0 : stateBytes + ringBytes;
    const d = indeg[p.index]!;
    const mine: number[] = [];
    const of = new Uint32Array(p.size);
    let lo = 0;
    while (lo < p.size) {
      let hi = lo;
      let words = 0;
      let bytes = overhead;
      while (hi < p.size && hi - lo < cap) {
        const add = perNeuron + d[hi]! * wordBytes;
        if (bytes + add > sram) break;
        bytes += add;
        words += d[hi]!;
        hi++;
      }
      if (hi === lo) {
        throw new NeuromeshError([diag('E_CORE_FULL', `neuron ${lo} has ${d[lo]} incoming synapses (${overhead + perNeuron + d[lo]! * wordBytes} B), more than a core's ${sram} B of data SRAM`, {
          node: p.name, chip: ctx.profile.id, hint: 'reduce its fan-in or use a profile with more SRAM per core',
        })]);
      }
      const index = slices.length;
      slices.push({ index, pop: p.index, lo, hi, synapseWords: words, sramBytes: bytes });
      of.fill(index, lo, hi);
      mine.push(index);
      lo = hi;
    }
    popSlices.push(mine);
    sliceOf.push(of);
  }
  // row headers: count, halve the slices over the limit, count again (each round halves, ≤ 8 rounds)
  for (;;) {
    const rows = countRows(net, sliceOf, slices.length);
    const next: Slice[] = [];
    let split = false;
    for (const sl of slices) {
      const bytes = sl.sramBytes + rows[sl.index]! * rowBytes;
      if (bytes <= sram) {
        next.push({ ...sl, sramBytes: bytes });
        continue;
      }
      const p = net.populations[sl.pop]!;
      if (sl.hi - sl.lo === 1)
        throw new NeuromeshError([diag('E_CORE_FULL', `neuron ${sl.lo} has ${sl.synapseWords} incoming synapses from ${rows[sl.index]} source neurons (${bytes} B with row headers), more than a core's ${sram} B of data SRAM`, {
          node: p.name, chip: ctx.profile.id, hint: 'reduce its fan-in or use a profile with more SRAM per core',
        })]);
      split = true;
      const perNeuron = p.role === 'source' ? 0 : stateBytes + ringBytes;
      const d = indeg[sl.pop]!;
      const mid = sl.lo + Math.ceil((sl.hi - sl.lo) / 2);
      for (const [lo, hi] of [[sl.lo, mid], [mid, sl.hi]] as const) {
        let words = 0;
        for (let k = lo; k < hi; k++) words += d[k]!;
        next.push({ index: 0, pop: sl.pop, lo, hi, synapseWords: words, sramBytes: overhead + (hi - lo) * perNeuron + words * wordBytes });
      }
    }
    if (!split) return { slices: next, popSlices, sliceOf };
    // renumber: slices stay grouped by population in neuron order
    slices = next.map((sl, index) => ({ ...sl, index }));
    popSlices = net.populations.map(() => []);
    sliceOf = net.populations.map((p) => new Uint32Array(p.size));
    for (const sl of slices) {
      popSlices[sl.pop]!.push(sl.index);
      sliceOf[sl.pop]!.fill(sl.index, sl.lo, sl.hi);
    }
  }
}

/**
 * Rows per slice: distinct source neurons with at least one synapse on it, over every projection
 * from that source (emit merges them into one row per key and core).
 */
export function countRows(net: Network, sliceOf: Uint32Array[], nSlices: number): Float64Array {
  const rows = new Float64Array(nSlices);
  const last = new Float64Array(nSlices).fill(-1);
  const byPre: Network['projections'][] = net.populations.map(() => []);
  for (const pr of net.projections) byPre[pr.pre]!.push(pr);
  let base = 0;
  for (const p of net.populations) {
    const prs = byPre[p.index]!;
    if (prs.length)
      for (let i = 0; i < p.size; i++) {
        const g = base + i;
        for (const pr of prs) {
          const post = sliceOf[pr.post]!;
          const t = pr.target;
          for (let s = pr.indptr[i]!; s < pr.indptr[i + 1]!; s++) {
            const sl = post[t[s]!]!;
            if (last[sl] !== g) {
              last[sl] = g;
              rows[sl]!++;
            }
          }
        }
      }
    base += p.size;
  }
  return rows;
}
