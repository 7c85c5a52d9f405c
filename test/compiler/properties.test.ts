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
import { checkRouting, expectedSynapses, placedSynapses } from './checks.js';

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

  it('routing exact: every key reaches exactly the cores holding its own targets', () => {
    let compiled = 0;
    fc.assert(
      fc.property(arbGraph({ kinds: 'all', maxNodes: 5 }).map(spikingOnly), (g) => {
        let r: CompileResult;
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
