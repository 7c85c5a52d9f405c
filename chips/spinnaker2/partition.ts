import type { StrategyContext } from '../../src/chip/backend.js';
import type { Network } from '../../src/chip/program.js';
import type { Partition, Quantization, Slice } from './program-types.js';
import { diag, NeuromeshError, type Diagnostic } from '../../src/errors.js';
import { own } from '../../src/own.js';
import { profileValue } from '../../src/chip/profile.js';

/**
 * Cut every population into contiguous per-core slices: at most maxNeuronsPerCore neurons (the
 * profile's default or the user's cap for that node, never above 2^neuronIndexBits), and at most
 * the core's data SRAM: overhead + neurons · (state + ring buffer) + incoming synapse words · 4 B.
 */
export function partition(net: Network, _q: Quantization, ctx: StrategyContext): Partition {
  const defaultMax = profileValue(ctx.profile, 'limits.maxNeuronsPerCore');
  const indexMax = 2 ** profileValue(ctx.profile, 'limits.neuronIndexBits');
  const sram = profileValue(ctx.profile, 'limits.dataSramPerPe');
  const wordBytes = profileValue(ctx.profile, 'limits.synapseWordBytes');
  const stateBytes = profileValue(ctx.profile, 'limits.neuronStateBytes');
  const ringBytes = profileValue(ctx.profile, 'limits.ringBufferBytesPerNeuron');
  const overhead = profileValue(ctx.profile, 'limits.coreOverheadBytes');
  const errors: Diagnostic[] = [];
  for (const [name, n] of ctx.maxNeuronsPerCore) {
    if (name !== '*' && !net.populations.some((p) => p.name === name))
      errors.push(diag('E_UNKNOWN_NODE', `--max-neurons-per-core names '${name}', which is not a neuron population`, { node: name, hint: `populations: ${net.populations.slice(0, 8).map((p) => p.name).join(', ')}` }));
    else if (!Number.isInteger(n) || n < 1 || n > indexMax)
      errors.push(diag('E_BAD_OPTION', `--max-neurons-per-core ${name === '*' ? '' : `${name}=`}${n} must be an integer 1–${indexMax}`, { node: name, hint: `a synapse word has ${Math.log2(indexMax)} neuron-index bits` }));
  }
  if (errors.length) throw new NeuromeshError(errors);
  // incoming synapse words per post neuron
  const indeg = net.populations.map((p) => new Uint32Array(p.size));
  for (const pr of net.projections) {
    const d = indeg[pr.post]!;
    const t = pr.target;
    for (let s = 0; s < t.length; s++) d[t[s]!]!++;
  }
  const slices: Slice[] = [];
  const popSlices: number[][] = [];
  const sliceOf: Uint32Array[] = [];
  for (const p of net.populations) {
    const cap = Math.min(ctx.maxNeuronsPerCore.get(p.name) ?? ctx.maxNeuronsPerCore.get('*') ?? defaultMax, indexMax);
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
  return { slices, popSlices, sliceOf };
}
