import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, type CompileResult } from '../../compiler/index.js';
import { routerLookups, replayKey } from '../../chips/spinnaker2/mapping/verify.js';
import { spinnaker2Backend } from '../../chips/spinnaker2/backend.js';
import type { Spinnaker2Payload, Spinnaker2Program } from '../../chips/spinnaker2/program-types.js';
import { unpackSynapse } from '../../chips/spinnaker2/program-types.js';
import { NeuromeshError } from '../../src/errors.js';
import { encodeNmp } from '../../chips/index.js';
import { arbGraph } from '../arbitraries/graph.js';
import { profileWith, spikingOnly } from './helpers.js';
import { checkRouting, expectedSynapses, placedSynapses } from './checks.js';
import { arbNetwork } from '../chips/spinnaker2/arb-network.js';

/** A small mesh: 48 chips but only 3 usable cores each and ≤ 5 neurons per core, so slices spread over chips. */
const small = spinnaker2Backend(profileWith('spinnaker2-48', {
  chip: { usablePesPerChip: { value: 3, unit: 'PE', assumed: 'test: a small mesh' } },
  limits: { maxNeuronsPerCore: { value: 5, unit: 'neuron', assumed: 'test: many slices' } },
  placement: { annealMovesPerSlice: { value: 20, unit: 'move', assumed: 'test' } },
}));
/**
 * One usable core per chip and ≤ 3 neurons per core: every slice sits on its own chip, so random
 * graphs spread over many of the 48 chips and multicast trees branch several links deep (a tree
 * that loses a child link two hops out fails here, as the E_INVARIANT after route reports did).
 */
const oneCorePerChip = spinnaker2Backend(profileWith('spinnaker2-48', {
  chip: { usablePesPerChip: { value: 1, unit: 'PE', assumed: 'test: one slice per chip' } },
  limits: { maxNeuronsPerCore: { value: 3, unit: 'neuron', assumed: 'test: many slices' } },
  placement: { annealMovesPerSlice: { value: 10, unit: 'move', assumed: 'test' } },
}));
/** The same with a 3-entry router: compression must work hard (or fail with E_ROUTER_FULL). */
const tinyRouter = spinnaker2Backend(profileWith('spinnaker2-48-wrap', {
  chip: {
    usablePesPerChip: { value: 2, unit: 'PE', assumed: 'test: a small mesh' },
    routerEntries: { value: 3, unit: 'entry', assumed: 'test: force compression' },
  },
  limits: { maxNeuronsPerCore: { value: 4, unit: 'neuron', assumed: 'test: many slices' } },
}));

/** Compile, or return the NeuromeshError; anything else (or an invariant failure) fails the test. */
function tryCompile(g: Parameters<typeof compile>[0], be = small, seed = 1): CompileResult<Spinnaker2Payload> | NeuromeshError {
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

function checkLimits(p: Spinnaker2Program, r: CompileResult, be = small): void {
  const prof = be.profile;
  const used = new Set<number>();
  for (const c of p.payload.cores) {
    expect(c.hi - c.lo).toBeGreaterThan(0);
    expect(c.hi - c.lo).toBeLessThanOrEqual(prof.limits.maxNeuronsPerCore!.value);
    expect(c.pe).toBeLessThan(prof.chip.usablePesPerChip!.value);
    expect(c.sramBytes).toBeLessThanOrEqual(prof.limits.dataSramPerPe!.value);
    expect(c.sramBytes).toBeGreaterThanOrEqual(c.words.length * 4);
    const id = c.chip * p.payload.machine.coresPerChip + c.pe;
    expect(used.has(id)).toBe(false);
    used.add(id);
  }
  for (const t of p.payload.routers) expect(t.entries.length).toBeLessThanOrEqual(prof.chip.routerEntries!.value);
  // neurons in = neurons placed
  const placed = p.payload.cores.reduce((a, c) => a + c.hi - c.lo, 0);
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

  it('routing exact: every key reaches exactly the cores holding its own targets', () => {
    let compiled = 0;
    fc.assert(
      fc.property(arbGraph({ kinds: 'all', maxNodes: 5 }).map(spikingOnly), (g) => {
        let r: CompileResult<Spinnaker2Payload>;
        try {
          r = compile(g, small, { seed: 2, routing: 'exact' });
        } catch (e) {
          if (e instanceof NeuromeshError && e.exitCode === 2) return;
          throw e;
        }
        compiled++;
        expect(placedSynapses(r.program)).toEqual(expectedSynapses(r));
        checkRouting(r.program, true);
      }),
      { numRuns: 40, seed: 31337 },
    );
    expect(compiled).toBeGreaterThan(15);
  });

  it('on many chips (one core per chip): every key reaches its targets through multi-hop trees, slice and exact routing', () => {
    const seen = { compiled: 0, manyChips: 0, keys: 0, maxLinks: 0, exact: 0 };
    fc.assert(
      fc.property(fc.oneof(arbGraph({ kinds: 'all', maxNodes: 4, metadata: false }).map(spikingOnly), arbNetwork()), fc.boolean(), fc.integer({ min: 0, max: 99 }), (g, exact, seed) => {
        let r: CompileResult<Spinnaker2Payload>;
        try {
          r = compile(g, oneCorePerChip, { seed, routing: exact ? 'exact' : 'slice' });
        } catch (e) {
          if (!(e instanceof NeuromeshError)) throw e;
          expect(e.diagnostics.map((d) => d.code)).not.toContain('E_INVARIANT');
          expect(e.exitCode).toBe(2); // bad input (too big for 48 cores), never a compiler bug
          return;
        }
        seen.compiled++;
        if (r.program.payload.summary.chips >= 4) seen.manyChips++;
        if (exact) seen.exact++;
        expect(placedSynapses(r.program)).toEqual(expectedSynapses(r));
        checkLimits(r.program, r, oneCorePerChip);
        const s = checkRouting(r.program, exact);
        seen.keys += s.keys;
        seen.maxLinks = Math.max(seen.maxLinks, s.maxLinks);
      }),
      { numRuns: 50, seed: 20261127 },
    );
    // not vacuous: most samples compile onto several chips and trees reach chips ≥ 3 links away
    expect(seen.compiled).toBeGreaterThan(30);
    expect(seen.manyChips).toBeGreaterThan(20);
    expect(seen.exact).toBeGreaterThan(5);
    expect(seen.maxLinks).toBeGreaterThanOrEqual(3);
    expect(seen.keys).toBeGreaterThan(300);
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
        expect(Buffer.from(encodeNmp(b.program)).equals(Buffer.from(encodeNmp(a.program)))).toBe(true);
      }),
      { numRuns: 15, seed: 99 },
    );
  });
});
