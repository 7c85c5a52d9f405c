import type { StrategyContext } from '../../src/chip/backend.js';
import type { Network, Partition, Placement, RouterTable, Routing, SliceGraph } from '../../src/chip/program.js';
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
 * target cores}. Tables are then compressed per chip until they fit the router.
 */
export function route(_net: Network, part: Partition, placement: Placement, traffic: SliceGraph, m: Machine, ctx: StrategyContext): Routing {
  const neuronBits = ctx.profile.limits.neuronIndexBits?.value ?? 8;
  const tableSize = ctx.profile.chip.routerEntries?.value ?? 16384;
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
  for (const sl of part.slices) {
    const s = sl.index;
    if (traffic.indptr[s + 1] === traffic.indptr[s]) continue;
    const srcCore = placement.coreOf[s]!;
    const root = Math.floor(srcCore / P);
    let tree = trees.get(root);
    if (!tree) trees.set(root, (tree = bfsTree(m, root)));
    const n = sl.hi - sl.lo;
    treeChips.length = 0;
    /** First touch of a chip for this slice: clear what an earlier slice left there. */
    const touch = (c: number): void => {
      if (stamp[c] === s) return;
      stamp[c] = s;
      childLinks[c] = 0;
      localCores[c]!.length = 0;
    };
    touch(root);
    inTree[root] = s;
    treeChips.push(root);
    meshTotal += n * toRouter[srcCore - root * P]!;
    for (let e = traffic.indptr[s]!; e < traffic.indptr[s + 1]!; e++) {
      const core = placement.coreOf[traffic.dst[e]!]!;
      const chip = Math.floor(core / P);
      let c = chip;
      while (inTree[c] !== s) {
        if (tree.parent[c]! < 0)
          throw new NeuromeshError([diag('E_UNROUTABLE', `no chip-link path from chip (${m.chips[root]!.join(', ')}) to chip (${m.chips[c]!.join(', ')})`, { chip: ctx.profile.id })]);
        inTree[c] = s;
        touch(c);
        treeChips.push(c);
        const p = tree.parent[c]!;
        touch(p);
        childLinks[p]! |= 1 << tree.link[c]!;
        c = p;
      }
      touch(chip);
      localCores[chip]!.push(core - chip * P);
      meshTotal += n * toRouter[core - chip * P]!;
    }
    for (const c of treeChips) {
      const links: number[] = [];
      for (let l = 0; l < 6; l++)
        if (childLinks[c]! & (1 << l)) {
          links.push(l);
          linkLoad[c * 6 + l]! += n;
          chipHops += n;
        }
      const cores = [...new Set(localCores[c]!)].sort((a, b) => a - b);
      const rk = `${links.join(',')}|${cores.join(',')}`;
      let id = routeIds[c]!.get(rk);
      if (id === undefined) {
        id = routes[c]!.length;
        routeIds[c]!.set(rk, id);
        routes[c]!.push({ links, cores });
      }
      raw[c]!.push({ key: sliceKey[s]!, mask: sliceMask[s]!, route: id });
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
  if (full.length)
    throw new NeuromeshError([diag('E_ROUTER_FULL', `routing tables do not fit the ${tableSize}-entry router after compression: chip ${full.slice(0, 4).join('; ')}${full.length > 4 ? `; … ${full.length} routers` : ''}`, {
      chip: ctx.profile.id, hint: 'spread the network over a bigger machine or use fewer, larger slices (--max-neurons-per-core)',
    })]);
  const linkLoads = new Map<string, number>();
  for (let i = 0; i < linkLoad.length; i++) if (linkLoad[i]) linkLoads.set(`${Math.floor(i / 6)},${i % 6}`, linkLoad[i]!);
  return { sliceKey, sliceMask, routers, tableSize, linkLoads, chipHops, meshHops: meshTotal };
}
