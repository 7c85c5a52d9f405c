/**
 * Property: random valid graphs of NIR kinds (arbGraph({ kinds: 'nir' }): float32/float64 arrays,
 * optional fields present or absent, recurrence, metadata with ±Inf, −0, booleans, lists, nested
 * groups, node names with dots, spaces and non-ASCII letters) survive Graph → NIR bytes → Graph
 * bit-equal, with and without gzip. neuromesh's own kinds too ('all').
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nirToBytes, readNirBytes } from '../../src/io/nir.js';
import { arbGraph } from '../arbitraries/graph.js';
import { graphDifference } from '../arbitraries/graph-equal.js';

const RUNS = Number(process.env.NM_PROP_RUNS ?? 60);

async function roundTrip(g: Parameters<typeof nirToBytes>[0] & { nodes: unknown[] }, gzip: boolean): Promise<void> {
  const bytes = await nirToBytes(g, { gzip });
  const back = await readNirBytes(bytes, 'prop.nir');
  expect(back.nirVersion).toBe('1.0.0');
  const { nirVersion: _a, ...x } = g as { nirVersion?: string };
  const { nirVersion: _b, ...y } = back;
  expect(graphDifference(x as typeof back, y)).toBeUndefined();
}

describe('Graph → NIR → Graph', () => {
  it('random graphs of NIR kinds survive bit-equal (with and without gzip)', async () => {
    await fc.assert(fc.asyncProperty(arbGraph({ kinds: 'nir' }), fc.boolean(), async (g, gzip) => roundTrip(g, gzip)), { numRuns: RUNS });
  }, 120_000);

  it('random graphs with neuromesh’s own kinds survive bit-equal', async () => {
    await fc.assert(fc.asyncProperty(arbGraph({ kinds: 'all' }), fc.boolean(), async (g, gzip) => roundTrip(g, gzip)), { numRuns: Math.ceil(RUNS / 2) });
  }, 120_000);
});
