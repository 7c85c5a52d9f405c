/**
 * Hostile NIR files: fast-check mutates valid files (byte flips, truncation, splices, zeroed
 * ranges) and the reader must either return a valid graph or throw a NeuromeshError with
 * one-line bad-input diagnostics (exit 2) — never anything else — and a valid file must read
 * correctly after every failure (an HDF5 abort must not poison the process).
 * NM_FUZZ_RUNS raises the number of cases (default 500).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import { analyze } from '../../src/graph/graph.js';
import { hdf5WorkerAvailable } from '../../src/io/hdf5-isolate.js';
import { hdf5InstanceCount, runHdf5 } from '../../src/io/hdf5-module.js';
import { nirToBytes, readNirBytes } from '../../src/io/nir.js';
import { readNirTreeInThread } from '../../src/io/nir-tree.js';
import { fixture } from '../helpers/shared.js';
import { lifTree, treeToBytes } from './nir-helpers.js';

const RUNS = Number(process.env.NM_FUZZ_RUNS ?? 500);
/** Time limit for one mutated file (valid reads take milliseconds). */
const HANG_LIMIT_MS = 1000;

let seeds: Uint8Array[] = [];
let valid: Uint8Array;

beforeAll(async () => {
  valid = new Uint8Array(readFileSync(fixture('lif', 'lif_norse.nir')));
  const g = await readNirBytes(valid, 'seed');
  seeds = [valid, await treeToBytes(lifTree()), await nirToBytes(g, { gzip: true }), await nirToBytes(g)];
});

/** The canary: a valid file still reads to the right graph. */
async function canary(): Promise<void> {
  const g = await readNirBytes(valid, 'canary.nir');
  expect(g.nodes.map((n) => n.kind).sort()).toEqual(['Affine', 'Input', 'LIF', 'Output']);
}

type Mutation =
  | { op: 'flip'; seed: number; at: { pos: number; head: boolean; byte: number }[] }
  | { op: 'truncate'; seed: number; frac: number }
  | { op: 'splice'; seed: number; from: number; src: number; len: number; dst: number }
  | { op: 'zero'; seed: number; start: number; len: number };

const seedIx = fc.nat(3);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('flip' as const), seed: seedIx, at: fc.array(fc.record({ pos: fc.nat(), head: fc.boolean(), byte: fc.nat(255) }), { minLength: 1, maxLength: 24 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), seed: seedIx, frac: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('splice' as const), seed: seedIx, from: seedIx, src: fc.nat(), len: fc.integer({ min: 1, max: 512 }), dst: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('zero' as const), seed: seedIx, start: fc.nat(), len: fc.integer({ min: 1, max: 256 }) }) },
);

function apply(m: Mutation): Uint8Array {
  const base = seeds[m.seed]!;
  const b = Uint8Array.from(base);
  switch (m.op) {
    case 'flip':
      // half the flips land in the first 4 KiB, where HDF5 keeps the superblock and object headers
      for (const a of m.at) b[a.head ? a.pos % Math.min(4096, b.length) : a.pos % b.length] = a.byte;
      return b;
    case 'truncate':
      return b.subarray(0, Math.floor(m.frac * b.length));
    case 'splice': {
      const src = seeds[m.from]!;
      const s = m.src % src.length;
      const piece = src.subarray(s, Math.min(src.length, s + m.len));
      b.set(piece.subarray(0, Math.max(0, b.length - (m.dst % b.length))), m.dst % b.length);
      return b;
    }
    case 'zero': {
      const s = m.start % b.length;
      b.fill(0, s, Math.min(b.length, s + m.len));
      return b;
    }
  }
}

describe('fuzzing the NIR reader', () => {
  it(`${RUNS} mutated files: a valid graph or one-line bad-input diagnostics, and a valid file reads after each failure`, async () => {
    const t0 = performance.now();
    const outcomes = { graph: 0, refused: 0 };
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const bytes = apply(m);
        if (process.env.NM_FUZZ_LOG) (await import('node:fs')).appendFileSync(process.env.NM_FUZZ_LOG, `${JSON.stringify(m)}\n`);
        let result: unknown;
        // a mutated file can make HDF5 loop: the watchdog stops it (the canary gets the default limit)
        process.env.NEUROMESH_HDF5_TIMEOUT_MS = String(HANG_LIMIT_MS);
        try {
          result = await readNirBytes(bytes, 'fuzz.nir');
        } catch (e) {
          result = e;
        } finally {
          delete process.env.NEUROMESH_HDF5_TIMEOUT_MS;
        }
        if (result instanceof NeuromeshError) {
          outcomes.refused++;
          expect(result.exitCode).toBe(2);
          expect(result.diagnostics.length).toBeGreaterThan(0);
          for (const d of result.diagnostics) {
            expect(d.code).toMatch(/^E_[A-Z0-9_]+$/);
            expect(d.code).not.toBe('E_INTERNAL');
            expect(d.file).toBe('fuzz.nir');
            expect(d.message).not.toMatch(/[\r\n]/);
            codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
          }
          expect(result.message.split('\n')).toHaveLength(result.diagnostics.length);
          await canary();
        } else {
          // anything thrown that is not a NeuromeshError fails here with its own message
          expect(result, String(result instanceof Error ? result.stack : result)).not.toBeInstanceOf(Error);
          outcomes.graph++;
          const g = result as Parameters<typeof analyze>[0];
          expect(analyze(g).shapes).toBeDefined();
        }
      }),
      { numRuns: RUNS, seed: process.env.NM_FUZZ_SEED ? Number(process.env.NM_FUZZ_SEED) : undefined },
    );
    console.log(`NIR fuzz: ${RUNS} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${outcomes.graph} valid graphs, ${outcomes.refused} refused`, Object.fromEntries(codes));
    expect(outcomes.graph + outcomes.refused).toBe(RUNS);
    // the mutations must actually reach HDF5 and the NIR layer, not only the signature check
    expect(outcomes.refused).toBeGreaterThan(0);
    expect([...codes.keys()].filter((c) => c !== 'E_NOT_HDF5' && c !== 'E_TRUNCATED').length).toBeGreaterThan(0);
  }, 180_000); // ~20 s on an idle 2-core machine; generous for loaded CI runners
});

describe('a file that makes HDF5 loop', () => {
  it('is stopped by the watchdog with one line, and a valid file reads afterwards', async () => {
    // reads run in a worker thread from the build output (npm test builds first)
    expect(hdf5WorkerAvailable()).toBe(true);
    const loop = new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'hdf5-loop.nir')));
    process.env.NEUROMESH_HDF5_TIMEOUT_MS = '1500';
    const t0 = performance.now();
    const e = await readNirBytes(loop, 'loop.nir').then(() => undefined, (x: unknown) => x).finally(() => {
      delete process.env.NEUROMESH_HDF5_TIMEOUT_MS;
    });
    expect(performance.now() - t0).toBeLessThan(60_000); // 1.5 s of CPU time; wall time depends on the load
    expect(e).toBeInstanceOf(NeuromeshError);
    const err = e as NeuromeshError;
    expect(err.exitCode).toBe(2);
    expect(err.diagnostics).toHaveLength(1);
    expect([err.diagnostics[0]!.code, err.diagnostics[0]!.file]).toEqual(['E_HDF5_TIMEOUT', 'loop.nir']);
    await canary();
  });
});

describe('a dead HDF5 instance does not poison later reads (in-thread machinery of hdf5-module)', () => {
  /** A valid file read in this thread (not the worker), on this thread's HDF5 instance. */
  async function canaryHere(): Promise<void> {
    const r = await readNirTreeInThread(valid, 'canary.nir');
    expect(r.graph.nodes.map((n) => n.kind).sort()).toEqual(['Affine', 'Input', 'LIF', 'Output']);
  }

  it('after an Emscripten abort inside HDF5 a fresh instance is made and valid files read', async () => {
    await canaryHere();
    const before = hdf5InstanceCount();
    const e = await runHdf5(({ h5 }) => {
      (h5.Module as unknown as { abort(what: string): never }).abort('simulated abort');
    }).then(() => undefined, (x: unknown) => x);
    expect((e as Error).constructor.name).toBe('RuntimeError');
    await canaryHere();
    expect(hdf5InstanceCount()).toBe(before + 1);
  });

  it('after a failure that trashed the instance’s memory, the failed health probe replaces it', async () => {
    await canaryHere();
    const before = hdf5InstanceCount();
    await runHdf5(({ h5 }) => {
      const heap = (h5.Module as unknown as { HEAPU8: Uint8Array }).HEAPU8;
      heap.fill(0xa5, 1024);
      throw new Error('HDF5 failed on a corrupt file');
    }).catch(() => undefined);
    await canaryHere();
    expect(hdf5InstanceCount()).toBe(before + 1);
  });

  it('an ordinary HDF5 error keeps the instance', async () => {
    await canaryHere();
    const before = hdf5InstanceCount();
    const bad = Uint8Array.from(valid);
    bad.fill(0xff, 100, 140);
    await expect(readNirTreeInThread(bad, 'bad.nir')).rejects.toBeInstanceOf(NeuromeshError);
    await canaryHere();
    expect(hdf5InstanceCount()).toBe(before);
  });
});
