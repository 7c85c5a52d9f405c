import type { StrategyContext } from '../../src/chip/backend.js';
import type { Network } from '../../src/chip/program.js';
import type { Partition, Placement, SliceGraph } from './program-types.js';
import { diag, NeuromeshError } from '../../src/errors.js';
import { hashName, streamKey, uniformAt } from '../../src/random/counter-rng.js';
import { meshHops, type Machine } from './machine.js';
import { profileValue } from '../../src/chip/profile.js';

/** Purpose key of placement draws in the counter-based generator. */
const PLACE_PURPOSE = 101;

/** Hop-weighted cost between two cores: chip-link hops · Wc + QPE-mesh hops · Wm (via the router at QPE 0). */
export function coreCostFn(m: Machine, wc: number, wm: number): (a: number, b: number) => number {
  const n = m.chips.length;
  const P = m.coresPerChip;
  const toRouter = new Float64Array(P);
  for (let p = 0; p < P; p++) toRouter[p] = meshHops(m, p, 0);
  return (a, b) => {
    const ca = (a / P) | 0;
    const cb = (b / P) | 0;
    const pa = a - ca * P;
    const pb = b - cb * P;
    if (ca === cb) return wm * meshHops(m, pa, pb);
    return wc * m.distance[ca * n + cb]! + wm * (toRouter[pa]! + toRouter[pb]!);
  };
}

/** Chips in a locality-preserving order: a greedy nearest-neighbour walk from chip 0. */
export function localityChipOrder(m: Machine): number[] {
  const n = m.chips.length;
  const used = new Uint8Array(n);
  const order = [0];
  used[0] = 1;
  for (let k = 1; k < n; k++) {
    const cur = order[k - 1]!;
    let best = -1;
    let bestD = Infinity;
    for (let c = 0; c < n; c++) {
      if (used[c]) continue;
      const d = m.distance[cur * n + c]!;
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    used[best] = 1;
    order.push(best);
  }
  return order;
}

/** Symmetric slice adjacency (both directions summed) for cost deltas. */
function undirected(g: SliceGraph, nSlices: number): { ptr: Uint32Array; nbr: Uint32Array; w: Float64Array } {
  const deg = new Uint32Array(nSlices + 1);
  for (let a = 0; a < nSlices; a++)
    for (let e = g.indptr[a]!; e < g.indptr[a + 1]!; e++) {
      const b = g.dst[e]!;
      if (b === a) continue;
      deg[a + 1]!++;
      deg[b + 1]!++;
    }
  for (let a = 0; a < nSlices; a++) deg[a + 1]! += deg[a]!;
  const fill = deg.slice(0, nSlices);
  const nbr = new Uint32Array(deg[nSlices]!);
  const w = new Float64Array(deg[nSlices]!);
  for (let a = 0; a < nSlices; a++)
    for (let e = g.indptr[a]!; e < g.indptr[a + 1]!; e++) {
      const b = g.dst[e]!;
      if (b === a) continue;
      let k = fill[a]!++;
      nbr[k] = b;
      w[k] = g.weight[e]!;
      k = fill[b]!++;
      nbr[k] = a;
      w[k] = g.weight[e]!;
    }
  return { ptr: deg, nbr, w };
}

export function totalCost(g: SliceGraph, coreOf: Int32Array, cost: (a: number, b: number) => number): number {
  let c = 0;
  for (let a = 0; a < coreOf.length; a++)
    for (let e = g.indptr[a]!; e < g.indptr[a + 1]!; e++) c += g.weight[e]! * cost(coreOf[a]!, coreOf[g.dst[e]!]!);
  return c;
}

/**
 * Place slices on cores minimizing hop-weighted traffic. Start: populations in graph order, their
 * slices consecutive, onto chips in a locality-preserving walk; refinement: simulated annealing
 * over move/swap steps with a fixed seed (counter-based draws, so the result depends only on the
 * seed). The naive row-major placement (chips by row, PEs in order) is costed for comparison.
 */
export function place(_net: Network, part: Partition, traffic: SliceGraph, m: Machine, ctx: StrategyContext): Placement {
  const nSlices = part.slices.length;
  const P = m.coresPerChip;
  const U = m.usableCoresPerChip;
  const nChips = m.chips.length;
  if (nSlices > nChips * U)
    throw new NeuromeshError([diag('E_MACHINE_FULL', `the network needs ${nSlices} cores but '${ctx.profile.id}' has ${nChips * U} usable cores (${nChips} chips × ${U})`, {
      chip: ctx.profile.id, hint: 'use a bigger machine profile (spinnaker2-48, spinnaker2-triad) or raise --max-neurons-per-core',
    })]);
  const wc = profileValue(ctx.profile, 'placement.chipHopWeight');
  const wm = profileValue(ctx.profile, 'placement.meshHopWeight');
  const cost = coreCostFn(m, wc, wm);

  const rowMajor = m.chips.map((_, i) => i).sort((a, b) => m.chips[a]![1] - m.chips[b]![1] || m.chips[a]![0] - m.chips[b]![0]);
  const naive = new Int32Array(nSlices);
  for (let s = 0; s < nSlices; s++) naive[s] = rowMajor[Math.floor(s / U)]! * P + (s % U);
  const naiveCost = totalCost(traffic, naive, cost);

  const walk = localityChipOrder(m);
  const coreOf = new Int32Array(nSlices);
  for (let s = 0; s < nSlices; s++) coreOf[s] = walk[Math.floor(s / U)]! * P + (s % U);
  const startCost = totalCost(traffic, coreOf, cost);

  const sliceAt = new Int32Array(nChips * P).fill(-1);
  for (let s = 0; s < nSlices; s++) sliceAt[coreOf[s]!] = s;
  const adj = undirected(traffic, nSlices);
  const movable: number[] = [];
  for (let s = 0; s < nSlices; s++) if (adj.ptr[s + 1]! > adj.ptr[s]!) movable.push(s);
  const perSlice = profileValue(ctx.profile, 'placement.annealMovesPerSlice');
  const maxMoves = profileValue(ctx.profile, 'placement.annealMaxMoves');
  const moves = movable.length && nChips * U > 1 ? Math.min(maxMoves, Math.round(perSlice * nSlices)) : 0;
  const key = streamKey(ctx.seed, PLACE_PURPOSE, hashName('place'));

  // fast cost: chip of every slice kept in step with coreOf; tables for chip distance and PE mesh hops
  const chipOf = new Int32Array(nSlices);
  const peOf = new Int32Array(nSlices);
  for (let s = 0; s < nSlices; s++) {
    chipOf[s] = Math.floor(coreOf[s]! / P);
    peOf[s] = coreOf[s]! - chipOf[s]! * P;
  }
  const dist = new Float64Array(nChips * nChips);
  for (let i = 0; i < dist.length; i++) dist[i] = wc * m.distance[i]!;
  const mesh = new Float64Array(P * P);
  const toRouter = new Float64Array(P);
  for (let a = 0; a < P; a++) {
    toRouter[a] = wm * meshHops(m, a, 0);
    for (let b = 0; b < P; b++) mesh[a * P + b] = wm * meshHops(m, a, b);
  }
  /** Cost of slice a's edges if a sat at core pa and slice d (or −1) at core pd. */
  const local = (a: number, pa: number, d: number, pd: number): number => {
    const ca = Math.floor(pa / P);
    const ea = pa - ca * P;
    const row = ca * nChips;
    const { ptr, nbr, w } = adj;
    const end = ptr[a + 1]!;
    let c = 0;
    for (let e = ptr[a]!; e < end; e++) {
      const b = nbr[e]!;
      let cb: number;
      let eb: number;
      if (b === d) {
        cb = Math.floor(pd / P);
        eb = pd - cb * P;
      } else {
        cb = chipOf[b]!;
        eb = peOf[b]!;
      }
      c += w[e]! * (cb === ca ? mesh[ea * P + eb]! : dist[row + cb]! + toRouter[ea]! + toRouter[eb]!);
    }
    return c;
  };
  /** Propose move k: slice a to core t (swapping with whatever is there). */
  const propose = (k: number): [number, number] => {
    const a = movable[Math.floor(uniformAt(key, k, 0) * movable.length)]!;
    const deg = adj.ptr[a + 1]! - adj.ptr[a]!;
    const b = adj.nbr[adj.ptr[a]! + Math.floor(uniformAt(key, k, 1) * deg)]!;
    const chip = uniformAt(key, k, 3) < 0.1 ? Math.floor(uniformAt(key, k, 4) * nChips) : Math.floor(coreOf[b]! / P);
    return [a, chip * P + Math.floor(uniformAt(key, k, 2) * U)];
  };
  const delta = (a: number, t: number): number => {
    const pa = coreOf[a]!;
    const d = sliceAt[t]!;
    let dl = local(a, t, d, pa) - local(a, pa, -1, 0);
    if (d >= 0) dl += local(d, pa, a, t) - local(d, t, -1, 0);
    return dl;
  };
  let accepted = 0;
  if (moves > 0) {
    let t0 = 0;
    const probe = Math.min(200, moves);
    for (let k = 0; k < probe; k++) {
      const [a, t] = propose(moves + k);
      if (t !== coreOf[a]) t0 += Math.abs(delta(a, t));
    }
    t0 = Math.max(t0 / probe, 1e-9);
    const tEnd = t0 * 1e-3;
    const cool = Math.pow(tEnd / t0, 1 / moves);
    let temp = t0;
    for (let k = 0; k < moves; k++, temp *= cool) {
      const [a, t] = propose(k);
      const pa = coreOf[a]!;
      if (t === pa) continue;
      const dl = delta(a, t);
      if (dl <= 0 || uniformAt(key, k, 5) < Math.exp(-dl / temp)) {
        const d = sliceAt[t]!;
        coreOf[a] = t;
        chipOf[a] = Math.floor(t / P);
        peOf[a] = t - chipOf[a]! * P;
        sliceAt[t] = a;
        sliceAt[pa] = d;
        if (d >= 0) {
          coreOf[d] = pa;
          chipOf[d] = Math.floor(pa / P);
          peOf[d] = pa - chipOf[d]! * P;
        }
        accepted++;
      }
    }
  }
  let final = totalCost(traffic, coreOf, cost);
  if (final > startCost) {
    // annealing never makes the result worse than its start
    for (let s = 0; s < nSlices; s++) coreOf[s] = walk[Math.floor(s / U)]! * P + (s % U);
    final = startCost;
  }
  return { coreOf, cost: final, startCost, naiveCost, moves, accepted };
}
