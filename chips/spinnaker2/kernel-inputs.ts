/**
 * spinnaker2 input spikes (Input / SpikeSource populations), generated locally: every worker that
 * needs a source population's spikes — for its rows or for the source's own cores — draws the same
 * ones (file data or the counter-based RNG), so they reach their first targets in the tick they occur.
 */
import { uniformAt } from '../../src/random/counter-rng.js';
import type { CoreState } from './kernel-core-state.js';
import { C, NC, countPackets } from './kernel-counters.js';
import type { S2Shared } from './kernel-types.js';

/**
 * Draw the input spikes of `step` and apply them: the owned source cores count their own multicast
 * packets (once, on the worker that owns them) and every spike is delivered to the owned cores on
 * its route.
 */
export type InputStep = (step: number) => void;

/** Step 2 of a tick for this worker's cores; undefined when none of them needs input spikes. */
export function createInputs(
  shared: S2Shared,
  states: CoreState[],
  counters: Float64Array,
  tickRoute: Float64Array,
  deliver: (src: number, k: number, count: number, step: number) => void,
): InputStep | undefined {
  const needPop = new Set<number>();
  for (const s of states) {
    for (const p of s.core.inputPops) needPop.add(p);
    if (s.pop.role === 'source') needPop.add(s.core.pop);
  }
  const inputPops = [...needPop].sort((a, b) => a - b);
  if (!inputPops.length) return undefined;
  /** Per needed source population: the spiking neurons of the current step and their counts. */
  const srcIdx = new Map<number, Int32Array>();
  const srcCnt = new Map<number, Float64Array>();
  const srcN = new Map<number, number>();
  for (const p of inputPops) {
    const size = shared.pops[p]!.size;
    srcIdx.set(p, new Int32Array(size));
    srcCnt.set(p, new Float64Array(size));
  }
  const cores = shared.cores;

  function draw(step: number): void {
    for (const p of inputPops) {
      const src = shared.sources[p];
      const idx = srcIdx.get(p)!;
      const cnt = srcCnt.get(p)!;
      let m = 0;
      if (src && src.kind === 'dense') {
        if (step < src.steps) {
          const base = step * src.size;
          for (let k = 0; k < src.size; k++) {
            const c = src.data[base + k]!;
            if (c > 0) {
              idx[m] = k;
              cnt[m++] = c;
            }
          }
        }
      } else if (src && src.kind === 'poisson') {
        const pp = src.p;
        const one = pp.length === 1;
        for (let k = 0; k < src.size; k++) {
          if (uniformAt(src.key, k, step) < (one ? pp[0]! : pp[k]!)) {
            idx[m] = k;
            cnt[m++] = 1;
          }
        }
      }
      srcN.set(p, m);
    }
  }

  return (step) => {
    draw(step);
    for (let li = 0; li < states.length; li++) {
      const s = states[li]!;
      if (s.pop.role !== 'source') continue;
      // the source core's own multicast packets: counted once, by the worker that owns it
      const base = li * NC;
      const m = srcN.get(s.core.pop)!;
      const idx = srcIdx.get(s.core.pop)!;
      const cnt = srcCnt.get(s.core.pop)!;
      let pk = 0;
      for (let j = 0; j < m; j++) if (idx[j]! >= s.core.lo && idx[j]! < s.core.hi) pk += cnt[j]!;
      counters[base + C.input_spikes]! += pk;
      if (pk) countPackets(counters, tickRoute, base, s.core, pk);
    }
    for (const p of inputPops) {
      if (shared.pops[p]!.role !== 'source') continue;
      const m = srcN.get(p)!;
      const idx = srcIdx.get(p)!;
      const cnt = srcCnt.get(p)!;
      const sc = shared.sourceCores[p]!;
      for (let j = 0; j < m; j++) {
        const src = sc[idx[j]!]!;
        deliver(src, idx[j]! - cores[src]!.lo, cnt[j]!, step);
      }
    }
  };
}
