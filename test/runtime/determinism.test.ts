/**
 * The relay test backend gives byte-identical checksums, counters and packet counts for 1, 2 and
 * 4 workers (block and random core placements), and all of them equal a naive in-thread
 * scheduler: no packet lost, duplicated, corrupted or reordered across the rings.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTicks } from '../../src/runtime/pool.js';
import * as relay from '../../src/runtime/testing/relay-kernel.js';
import type { RelayOptions, RelayOutput } from '../../src/runtime/testing/relay-kernel.js';
import { relayChecksums, relayNetwork, relaySpec } from '../../src/runtime/testing/relay-network.js';
import { ensureBuilt } from './build.js';
import { runInline } from './inline-scheduler.js';

beforeAll(() => ensureBuilt());

const arbCase = fc
  .integer({ min: 1, max: 12 })
  .chain((cores) =>
    fc.record({
      adjacency: fc.array(fc.array(fc.integer({ min: 0, max: cores - 1 }), { maxLength: 4 }), { minLength: cores, maxLength: cores }),
      seed: fc.integer({ min: 0, max: 0xffff }),
      injectEvery: fc.integer({ min: 1, max: 4 }),
      hops: fc.integer({ min: 0, max: 3 }),
      payloadWords: fc.integer({ min: 2, max: 4 }),
      steps: fc.integer({ min: 1, max: 40 }),
      placement2: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: cores, maxLength: cores }),
      placement4: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: cores, maxLength: cores }),
      ringBytes: fc.constantFrom(16, 64, 65536),
    }),
  );

function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe('runtime determinism (relay backend)', () => {
  it('1, 2 and 4 workers agree byte for byte with each other and with a naive scheduler', async () => {
    await fc.assert(
      fc.asyncProperty(arbCase, async (c) => {
        const options: RelayOptions = { seed: c.seed, injectEvery: c.injectEvery, hops: c.hops };
        const inline = await runInline(relay, c.adjacency.length, c.steps, c.payloadWords, relayNetwork(c.adjacency), { ...options });
        const expected = (inline.output as RelayOutput).acc;
        const runs = [
          { workers: 1 },
          { workers: 2, assignment: c.placement2 },
          { workers: 4, assignment: c.placement4 },
        ];
        for (const r of runs) {
          const res = await runTicks(relaySpec(c.adjacency, options, { ...r, steps: c.steps, payloadWords: c.payloadWords, ringBytes: c.ringBytes }));
          expect(bytes(relayChecksums(res))).toEqual(bytes(expected));
          expect(res.counterNames).toEqual(inline.counterNames);
          expect(bytes(res.counters)).toEqual(bytes(inline.counters));
          expect(bytes(res.packetsSent)).toEqual(bytes(inline.packetsSent));
        }
      }),
      // each case spawns 7 workers: report the first counterexample, do not shrink
      { numRuns: 6, endOnFailure: true },
    );
  });

  it('the runtime packet count per core equals the kernel own count, and every packet but the last tick is received', async () => {
    const adjacency = Array.from({ length: 20 }, (_, c) => [(c + 1) % 20, (c * 7 + 3) % 20, (c * 11 + 5) % 20]);
    const res = await runTicks(relaySpec(adjacency, { seed: 3, injectEvery: 2, hops: 3 }, { workers: 2, steps: 60, payloadWords: 2 }));
    const K = res.counterNames.length;
    const sentCol = res.counterNames.indexOf('sent');
    const recvCol = res.counterNames.indexOf('received');
    let sent = 0;
    let received = 0;
    for (let c = 0; c < 20; c++) {
      expect(res.packetsSent[c]).toBe(res.counters[c * K + sentCol]);
      sent += res.packetsSent[c]!;
      received += res.counters[c * K + recvCol]!;
    }
    expect(sent).toBeGreaterThan(100);
    const stats = res.stats.perWorker;
    expect(stats.reduce((s, w) => s + w.packetsSent, 0)).toBe(sent);
    expect(stats.reduce((s, w) => s + w.packetsReceived, 0)).toBe(received);
    // packets of the last tick are sent but never delivered
    expect(received).toBeLessThan(sent);
  });
});
