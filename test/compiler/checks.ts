import { expect } from 'vitest';
import type { CompileResult } from '../../compiler/index.js';
import { replayKey, routerLookups } from '../../chips/spinnaker2/mapping/verify.js';
import type { Spinnaker2Program } from '../../chips/spinnaker2/program-types.js';
import { unpackSynapse } from '../../chips/spinnaker2/program-types.js';
import { quantizationOf } from '../../chips/spinnaker2/mapping/index.js';

/** Multiset of synapses as the lowered network states them: "prePop:pre>postPop:post r d w". */
export function expectedSynapses(r: CompileResult): string[] {
  const out: string[] = [];
  for (const pr of r.network.projections) {
    const w = quantizationOf(r).weights[pr.index]!;
    for (let i = 0; i < r.network.populations[pr.pre]!.size; i++)
      for (let s = pr.indptr[i]!; s < pr.indptr[i + 1]!; s++) out.push(`${pr.pre}:${i}>${pr.post}:${pr.target[s]} r${pr.receptor} d${pr.delay ? pr.delay[s] : 0} w${w[s]}`);
  }
  return out.sort();
}

/** The same multiset read back from the cores' synapse words and row keys. */
export function placedSynapses(p: Spinnaker2Program): string[] {
  const byKey = new Map<number, [number, number]>();
  for (const c of p.payload.cores) for (let n = 0; n < c.hi - c.lo; n++) byKey.set((c.key + n) >>> 0, [c.pop, c.lo + n]);
  const out: string[] = [];
  for (const c of p.payload.cores)
    for (let r = 0; r < c.rowKeys.length; r++) {
      const [prePop, pre] = byKey.get(c.rowKeys[r]!)!;
      for (let k = c.rowStart[r]!; k < c.rowStart[r + 1]!; k++) {
        const s = unpackSynapse(c.words[k]!);
        out.push(`${prePop}:${pre}>${c.pop}:${c.lo + s.neuron} r${s.receptor} d${s.delay} w${s.weight}`);
      }
    }
  return out.sort();
}

/**
 * Replay every key of every slice; delivered cores must cover every core holding a row for it and
 * nothing beyond its slice's targets. exact: every key reaches exactly the cores holding its own
 * targets (per-neuron-block routing; a key without targets may have no entry at all).
 * Returns how many keys were replayed and the most chip links between a key's source chip and a
 * core it reached (so a test can show that multi-hop multicast trees were exercised).
 */
export function checkRouting(p: Spinnaker2Program, exact = false): { keys: number; maxLinks: number } {
  const lookups = routerLookups(p.payload.routers);
  const L = p.payload.machine.linksPerChip;
  const dist = new Map<number, Int32Array>(); // source chip → chip-link distance to every chip
  const linksTo = (from: number, to: number): number => {
    let d = dist.get(from);
    if (!d) {
      d = new Int32Array(p.payload.machine.chips.length).fill(-1);
      d[from] = 0;
      const q = [from];
      for (let h = 0; h < q.length; h++)
        for (let l = 0; l < L; l++) {
          const n = p.payload.machine.neighbour[q[h]! * L + l]!;
          if (n >= 0 && d[n] === -1) {
            d[n] = d[q[h]!]! + 1;
            q.push(n);
          }
        }
      dist.set(from, d);
    }
    return d[to]!;
  };
  let keys = 0;
  let maxLinks = 0;
  const P = p.payload.machine.coresPerChip;
  const rowsAt = new Map<number, number[]>(); // key → global cores with a row for it
  for (const c of p.payload.cores) for (const k of c.rowKeys) (rowsAt.get(k) ?? rowsAt.set(k, []).get(k)!).push(c.chip * P + c.pe);
  const errors: string[] = [];
  for (const c of p.payload.cores) {
    const sliceTargets = new Set<number>();
    for (let n = 0; n < c.hi - c.lo; n++) for (const t of rowsAt.get((c.key + n) >>> 0) ?? []) sliceTargets.add(t);
    if (!sliceTargets.size) continue;
    for (let n = 0; n < c.hi - c.lo && errors.length < 5; n++) {
      const key = (c.key + n) >>> 0;
      const r = replayKey(lookups, p.payload.machine, c.chip, key);
      const own = rowsAt.get(key) ?? [];
      const got = new Set(r.cores);
      keys++;
      for (const t of got) maxLinks = Math.max(maxLinks, linksTo(c.chip, Math.floor(t / P)));
      if (r.looped) errors.push(`key ${key} loops`);
      if ((own.length || !exact) && r.dropped.length) errors.push(`key ${key} dropped at chip ${r.dropped[0]}`);
      if (got.size !== r.cores.length) errors.push(`key ${key} reaches a core twice`);
      for (const t of own) if (!got.has(t)) errors.push(`key ${key} misses core ${t}`);
      for (const t of got) if (!sliceTargets.has(t)) errors.push(`key ${key} reaches core ${t} outside its slice's targets`);
      if (exact && got.size !== new Set(own).size) errors.push(`key ${key} reaches ${got.size} cores, its targets are on ${new Set(own).size}`);
    }
  }
  expect(errors).toEqual([]);
  return { keys, maxLinks };
}

