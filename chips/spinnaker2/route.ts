import type { StrategyContext } from '../../src/chip/backend.js';
import type { Network } from '../../src/chip/program.js';
import type { Partition, Placement, RouterTable, Routing, SliceGraph } from './program-types.js';
import { profileValue } from '../../src/chip/profile.js';
import { diag, NeuromeshError } from '../../src/errors.js';
import { compressTable, type KeyEntry } from './compress.js';
import { meshHops, type Machine } from './machine.js';

/**
 * 32-bit keys laid out population | slice | neuron: each population gets an aligned block of
 * 2^(sliceBits + neuronBits) keys (largest blocks first, so every block is aligned), slice j of
 * it the sub-block j · 2^neuronBits, neuron n the key base + n. A slice is one key/mask entry;
 * all slices of a population share the population's prefix, so tables compress.
 */
export function allocateKeys(part: Partition, neuronBits: number, chip: string): { sliceKey: Uint32Array; sliceMask: Uint32Array } {
  const blocks = part.popSlices.map((sl, p) => ({ p, bits: (sl.length > 1 ? Math.ceil(Math.log2(sl.length)) : 0) + neuronBits }));
  blocks.sort((a, b) => b.bits - a.bits || a.p - b.p);
  const base = new Float64Array(part.popSlices.length);
  let next = 0;
  for (const b of blocks) {
    base[b.p] = next;
    next += 2 ** b.bits;
  }
  if (next > 2 ** 32)
    throw new NeuromeshError([diag('E_KEYS_FULL', `the network needs ${next} routing keys, more than the 2^32 of a 32-bit key`, { chip, hint: 'fewer, larger populations need fewer key bits' })]);
  const n = part.slices.length;
  const sliceKey = new Uint32Array(n);
  const sliceMask = new Uint32Array(n).fill((0xffffffff << neuronBits) >>> 0);
  part.popSlices.forEach((sl, p) => sl.forEach((s, j) => (sliceKey[s] = base[p]! + j * 2 ** neuronBits)));
  return { sliceKey, sliceMask };
}

/** Shortest-path tree from a root chip (links tried in id order, so ties break the same way). */
function bfsTree(m: Machine, root: number): { parent: Int32Array; link: Int8Array } {
  const n = m.chips.length;
  const parent = new Int32Array(n).fill(-2);
  const link = new Int8Array(n).fill(-1);
  const q = new Int32Array(n);
  let h = 0;
  let t = 0;
  parent[root] = -1;
  q[t++] = root;
  while (h < t) {
    const c = q[h++]!;
    for (let l = 0; l < 6; l++) {
      const d = m.neighbour[c * 6 + l]!;
      if (d >= 0 && parent[d] === -2) {
        parent[d] = c;
        link[d] = l;
        q[t++] = d;
      }
    }
  }
  return { parent, link };
}

/**
 * Multicast routing per source slice (never per neuron): the packet of any neuron of slice s
 * follows the union of shortest paths (one BFS tree per source chip) to every chip holding a
 * target core; every chip on the tree gets one entry {key, mask} → {links to children, local
 * target cores}. With `routing: 'exact'`, when a slice's neurons split into a few aligned key blocks with identical
 * targets (dense layers: one block; convolutions: bands of rows), each block gets its own tree,
 * so every key reaches exactly the cores holding its targets; otherwise one tree per slice reaches
 * the union. Tables are then compressed per chip until they fit the router (if per-block tables
 * cannot fit, the whole network is routed per slice).
 */
export function route(net: Network, part: Partition, placement: Placement, traffic: SliceGraph, m: Machine, ctx: StrategyContext, mode: 'exact' | 'slice' = ctx.routing === 'exact' ? 'exact' : 'slice'): Routing {
  const neuronBits = profileValue(ctx.profile, 'limits.neuronIndexBits');
  const tableSize = profileValue(ctx.profile, 'chip.routerEntries');
  const { sliceKey, sliceMask } = allocateKeys(part, neuronBits, ctx.profile.id);
  const nChips = m.chips.length;
  const P = m.coresPerChip;
  const trees = new Map<number, { parent: Int32Array; link: Int8Array }>();
  const raw: KeyEntry[][] = m.chips.map(() => []);
  const routeIds: Map<string, number>[] = m.chips.map(() => new Map());
  const routes: { links: number[]; cores: number[] }[][] = m.chips.map(() => []);
  const linkLoad = new Float64Array(nChips * 6);
  const inTree = new Int32Array(nChips).fill(-1);
  const stamp = new Int32Array(nChips).fill(-1);
  const childLinks = new Int32Array(nChips);
  const localCores: number[][] = m.chips.map(() => []);
  const toRouter = new Float64Array(P);
  for (let p = 0; p < P; p++) toRouter[p] = meshHops(m, p, 0);
  let chipHops = 0;
  let meshTotal = 0;
  const treeChips: number[] = [];
  let group = 0;
  /** One multicast tree for keys (key, mask) sent by `count` neurons of the slice on srcCore. */
  const addTree = (key: number, mask: number, count: number, targets: ArrayLike<number>, srcCore: number): void => {
    const g = group++;
    const root = Math.floor(srcCore / P);
    let tree = trees.get(root);
    if (!tree) trees.set(root, (tree = bfsTree(m, root)));
    treeChips.length = 0;
    /** First touch of a chip for this tree: clear what an earlier tree left there. */
    const touch = (c: number): void => {
      if (stamp[c] === g) return;
      stamp[c] = g;
      childLinks[c] = 0;
      localCores[c]!.length = 0;
    };
    touch(root);
    inTree[root] = g;
    treeChips.push(root);
    meshTotal += count * toRouter[srcCore - root * P]!;
    for (let e = 0; e < targets.length; e++) {
      const core = placement.coreOf[targets[e]!]!;
      const chip = Math.floor(core / P);
      let c = chip;
      while (inTree[c] !== g) {
        if (tree.parent[c]! < 0)
          throw new NeuromeshError([diag('E_UNROUTABLE', `no chip-link path from chip (${m.chips[root]!.join(', ')}) to chip (${m.chips[c]!.join(', ')})`, { chip: ctx.profile.id })]);
        inTree[c] = g;
        touch(c);
        treeChips.push(c);
        const p = tree.parent[c]!;
        touch(p);
        childLinks[p]! |= 1 << tree.link[c]!;
        c = p;
      }
      touch(chip);
      localCores[chip]!.push(core - chip * P);
      meshTotal += count * toRouter[core - chip * P]!;
    }
    for (const c of treeChips) {
      const links: number[] = [];
      for (let l = 0; l < 6; l++)
        if (childLinks[c]! & (1 << l)) {
          links.push(l);
          linkLoad[c * 6 + l]! += count;
          chipHops += count;
        }
      const cores = [...new Set(localCores[c]!)].sort((a, b) => a - b);
      const rk = `${links.join(',')}|${cores.join(',')}`;
      let id = routeIds[c]!.get(rk);
      if (id === undefined) {
        id = routes[c]!.length;
        routeIds[c]!.set(rk, id);
        routes[c]!.push({ links, cores });
      }
      raw[c]!.push({ key, mask, route: id });
    }
  };
  // exact per-neuron blocks cost one more pass over the synapses: only for networks up to
  // exactRoutingMaxSynapses (large networks route one entry per slice)
  let synapses = 0;
  for (const pr of net.projections) synapses += pr.target.length;
  const exactOk = mode === 'exact' && synapses <= profileValue(ctx.profile, 'limits.exactRoutingMaxSynapses');
  const blockCap = profileValue(ctx.profile, 'limits.exactRoutingBlocksPerSlice');
  for (const sl of part.slices) {
    const s = sl.index;
    if (traffic.indptr[s + 1] === traffic.indptr[s]) continue;
    const srcCore = placement.coreOf[s]!;
    const blocks = exactOk ? neuronBlocks(net, part, sl.index, neuronBits, blockCap) : undefined;
    if (blocks) {
      // loads per block: the slice's packets shared by neuron count
      const perNeuron = traffic.sent[s]! / (sl.hi - sl.lo);
      for (const b of blocks) addTree((sliceKey[s]! + b.lo) >>> 0, (0xffffffff << b.bits) >>> 0, b.count * perNeuron, b.targets, srcCore);
    } else {
      addTree(sliceKey[s]!, sliceMask[s]!, traffic.sent[s]!, traffic.dst.subarray(traffic.indptr[s]!, traffic.indptr[s + 1]!), srcCore);
    }
  }
  const routers: RouterTable[] = [];
  const full: string[] = [];
  for (let c = 0; c < nChips; c++) {
    if (!raw[c]!.length) continue;
    const table = compressTable(raw[c]!, tableSize);
    if (table.length > tableSize) full.push(`(${m.chips[c]!.join(', ')}): ${table.length} entries`);
    routers.push({
      chip: c,
      entriesBefore: raw[c]!.length,
      entries: table.map((e) => ({ key: e.key, mask: e.mask, links: routes[c]![e.route]!.links, cores: routes[c]![e.route]!.cores })),
    });
  }
  if (full.length && mode === 'exact') return route(net, part, placement, traffic, m, ctx, 'slice');
  if (full.length)
    throw new NeuromeshError([diag('E_ROUTER_FULL', `routing tables do not fit the ${tableSize}-entry router after compression: chip ${full.slice(0, 4).join('; ')}${full.length > 4 ? `; … ${full.length} routers` : ''}`, {
      chip: ctx.profile.id, hint: 'spread the network over a bigger machine or use fewer, larger slices (--max-neurons-per-core)',
    })]);
  const linkLoads = new Map<string, number>();
  for (let i = 0; i < linkLoad.length; i++) if (linkLoad[i]) linkLoads.set(`${Math.floor(i / 6)},${i % 6}`, linkLoad[i]!);
  return { sliceKey, sliceMask, routers, tableSize, linkLoads, chipHops, meshHops: meshTotal };
}

/**
 * Per-neuron routing blocks of one slice: aligned power-of-two key blocks whose neurons all reach
 * exactly the same target slices (split in halves until uniform). Returns undefined when the
 * slice needs more than `cap` blocks (routing then falls back to one entry per slice, whose tree
 * reaches the union of its neurons' targets).
 */
export function neuronBlocks(net: Network, part: Partition, slice: number, neuronBits: number, cap: number): { lo: number; bits: number; count: number; targets: number[] }[] | undefined {
  const sl = part.slices[slice]!;
  const n = sl.hi - sl.lo;
  const sets: string[] = new Array<string>(n);
  const lists: number[][] = new Array<number[]>(n);
  const seen = new Map<number, true>();
  for (let i = 0; i < n; i++) {
    seen.clear();
    for (const pr of net.projections) {
      if (pr.pre !== sl.pop) continue;
      const post = part.sliceOf[pr.post]!;
      for (let k = pr.indptr[sl.lo + i]!; k < pr.indptr[sl.lo + i + 1]!; k++) seen.set(post[pr.target[k]!]!, true);
    }
    const l = [...seen.keys()].sort((a, b) => a - b);
    lists[i] = l;
    sets[i] = l.join(',');
  }
  const out: { lo: number; bits: number; count: number; targets: number[] }[] = [];
  const split = (lo: number, bits: number): boolean => {
    if (lo >= n) return true;
    const hi = Math.min(n, lo + 2 ** bits);
    let uniform = true;
    for (let i = lo + 1; i < hi && uniform; i++) if (sets[i] !== sets[lo]) uniform = false;
    if (uniform) {
      if (lists[lo]!.length) out.push({ lo, bits, count: hi - lo, targets: lists[lo]! });
      return out.length <= cap;
    }
    return split(lo, bits - 1) && split(lo + 2 ** (bits - 1), bits - 1);
  };
  return split(0, neuronBits) ? out : undefined;
}
