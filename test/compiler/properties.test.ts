import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, type CompileResult } from '../../compiler/index.js';
import { routerLookups, replayKey } from '../../compiler/verify.js';
import { backendFor } from '../../chips/index.js';
import { unpackSynapse, type ChipProgram } from '../../src/chip/program.js';
import { NeuromeshError } from '../../src/errors.js';
import { encodeProgram } from '../../src/io/proto/program-codec.js';
import { arbGraph } from '../arbitraries/graph.js';
import { profileWith, spikingOnly } from './helpers.js';

/** A small mesh: 48 chips but only 3 usable cores each and ≤ 5 neurons per core, so slices spread over chips. */
const small = backendFor(profileWith('spinnaker2-48', {
  chip: { usablePesPerChip: { value: 3, unit: 'PE', assumed: 'test: a small mesh' } },
  limits: { maxNeuronsPerCore: { value: 5, unit: 'neuron', assumed: 'test: many slices' } },
  placement: { annealMovesPerSlice: { value: 20, unit: 'move', assumed: 'test' } },
}));
/** The same with a 3-entry router: compression must work hard (or fail with E_ROUTER_FULL). */
const tinyRouter = backendFor(profileWith('spinnaker2-48-wrap', {
  chip: {
    usablePesPerChip: { value: 2, unit: 'PE', assumed: 'test: a small mesh' },
    routerEntries: { value: 3, unit: 'entry', assumed: 'test: force compression' },
  },
  limits: { maxNeuronsPerCore: { value: 4, unit: 'neuron', assumed: 'test: many slices' } },
}));

/** Compile, or return the NeuromeshError; anything else (or an invariant failure) fails the test. */
function tryCompile(g: Parameters<typeof compile>[0], be = small, seed = 1): CompileResult | NeuromeshError {
  try {
    return compile(g, be, { seed });
  } catch (e) {
    if (!(e instanceof NeuromeshError)) throw e;
    for (const d of e.diagnostics) {
      // refusals are bad input naming a node (or a router), never a broken invariant
      expect(d.code).not.toBe('E_INVARIANT');
      expect(d.code).not.toBe('E_INTERNAL');
      expect(e.exitCode).toBe(2);
    }
    return e;
  }
}

/** Multiset of synapses as the lowered network states them: "prePop:pre>postPop:post r d w". */
export function expectedSynapses(r: CompileResult): string[] {
  const out: string[] = [];
  for (const pr of r.network.projections) {
    const w = r.quantization.weights[pr.index]!;
    for (let i = 0; i < r.network.populations[pr.pre]!.size; i++)
      for (let s = pr.indptr[i]!; s < pr.indptr[i + 1]!; s++) out.push(`${pr.pre}:${i}>${pr.post}:${pr.target[s]} r${pr.receptor} d${pr.delay ? pr.delay[s] : 0} w${w[s]}`);
  }
  return out.sort();
}

/** The same multiset read back from the cores' synapse words and row keys. */
export function placedSynapses(p: ChipProgram): string[] {
  const byKey = new Map<number, [number, number]>();
  for (const c of p.cores) for (let n = 0; n < c.hi - c.lo; n++) byKey.set((c.key + n) >>> 0, [c.pop, c.lo + n]);
  const out: string[] = [];
  for (const c of p.cores)
    for (let r = 0; r < c.rowKeys.length; r++) {
      const [prePop, pre] = byKey.get(c.rowKeys[r]!)!;
      for (let k = c.rowStart[r]!; k < c.rowStart[r + 1]!; k++) {
        const s = unpackSynapse(c.words[k]!);
        out.push(`${prePop}:${pre}>${c.pop}:${c.lo + s.neuron} r${s.receptor} d${s.delay} w${s.weight}`);
      }
    }
  return out.sort();
}

/** Replay every key of every slice; delivered cores must cover every core holding a row for it and nothing beyond its slice's targets. */
export function checkRouting(p: ChipProgram): void {
  const lookups = routerLookups(p.routers);
  const P = p.machine.coresPerChip;
  const rowsAt = new Map<number, number[]>(); // key → global cores with a row for it
  for (const c of p.cores) for (const k of c.rowKeys) (rowsAt.get(k) ?? rowsAt.set(k, []).get(k)!).push(c.chip * P + c.pe);
  for (const c of p.cores) {
    const sliceTargets = new Set<number>();
    for (let n = 0; n < c.hi - c.lo; n++) for (const t of rowsAt.get((c.key + n) >>> 0) ?? []) sliceTargets.add(t);
    for (let n = 0; n < c.hi - c.lo; n++) {
      const key = (c.key + n) >>> 0;
      if (!sliceTargets.size) continue;
      const r = replayKey(lookups, p.machine, c.chip, key);
      expect(r.looped).toBe(false);
      expect(r.dropped).toEqual([]);
      expect(new Set(r.cores).size).toBe(r.cores.length); // each core once
      for (const t of rowsAt.get(key) ?? []) expect(r.cores).toContain(t);
      expect([...r.cores].sort((a, b) => a - b)).toEqual([...sliceTargets].sort((a, b) => a - b));
    }
  }
}

function checkLimits(p: ChipProgram, r: CompileResult, be = small): void {
  const prof = be.profile;
  const used = new Set<number>();
  for (const c of p.cores) {
    expect(c.hi - c.lo).toBeGreaterThan(0);
    expect(c.hi - c.lo).toBeLessThanOrEqual(prof.limits.maxNeuronsPerCore!.value);
    expect(c.pe).toBeLessThan(prof.chip.usablePesPerChip!.value);
    expect(c.sramBytes).toBeLessThanOrEqual(prof.limits.dataSramPerPe!.value);
    expect(c.sramBytes).toBeGreaterThanOrEqual(c.words.length * 4);
    const id = c.chip * p.machine.coresPerChip + c.pe;
    expect(used.has(id)).toBe(false);
    used.add(id);
  }
  for (const t of p.routers) expect(t.entries.length).toBeLessThanOrEqual(prof.chip.routerEntries!.value);
  // neurons in = neurons placed
  const placed = p.cores.reduce((a, c) => a + c.hi - c.lo, 0);
  expect(placed).toBe(r.network.populations.reduce((a, q) => a + q.size, 0));
}

describe('compiler properties over random graphs (fast-check)', () => {
  it('every synapse placed exactly once, cores within limits, routers deliver every key to its targets', () => {
    let compiled = 0;
    fc.assert(
      fc.property(arbGraph({ kinds: 'all', maxNodes: 5 }).map(spikingOnly), (g) => {
        const r = tryCompile(g);
        if (r instanceof NeuromeshError) return;
        compiled++;
        expect(placedSynapses(r.program)).toEqual(expectedSynapses(r));
        checkLimits(r.program, r);
        checkRouting(r.program);
      }),
      { numRuns: 60, seed: 4242 },
    );
    expect(compiled).toBeGreaterThan(20); // the property is not vacuous
  });

  it('with a 3-entry router: compression keeps the routing function on every key, or says which router is full', () => {
    let compiled = 0;
    let full = 0;
    fc.assert(
      fc.property(arbGraph({ kinds: 'all', maxNodes: 5 }).map(spikingOnly), (g) => {
        const r = tryCompile(g, tinyRouter);
        if (r instanceof NeuromeshError) {
          const d = r.diagnostics.find((x) => x.code === 'E_ROUTER_FULL');
          if (d) {
            full++;
            expect(d.message).toMatch(/chip \(\d+, \d+\): \d+ entries/);
          }
          return;
        }
        compiled++;
        checkLimits(r.program, r, tinyRouter);
        checkRouting(r.program);
      }),
      { numRuns: 40, seed: 777 },
    );
    expect(compiled).toBeGreaterThan(5);
    void full;
  });

  it('one seed gives a byte-identical .nmp', () => {
    fc.assert(
      fc.property(arbGraph({ kinds: 'all', maxNodes: 4 }).map(spikingOnly), fc.integer({ min: 0, max: 1000 }), (g, seed) => {
        const a = tryCompile(g, small, seed);
        if (a instanceof NeuromeshError) return;
        const b = compile(structuredClone(g), small, { seed });
        expect(Buffer.from(encodeProgram(b.program)).equals(Buffer.from(encodeProgram(a.program)))).toBe(true);
      }),
      { numRuns: 15, seed: 99 },
    );
  });
});
