import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNmp, encodeNmp } from '../../chips/index.js';
import { compile } from '../../compiler/index.js';
import { ExitCode, NeuromeshError } from '../../src/errors.js';
import { arbMutation, mutate } from '../arbitraries/byte-mutation.js';
import { backend, smallGraph } from '../compiler/helpers.js';

const ORIGINAL = encodeNmp(compile(smallGraph(12, 9), backend('spinnaker2-48'), { seed: 2, maxNeuronsPerCore: { lif: 4 } }).program);

describe('.nmp decoder fuzz', () => {
  it('a damaged program is refused in one line (exit 2) naming the file, or decodes to the very same program — never a different run', () => {
    const outcomes = { same: 0, refused: 0 };
    fc.assert(
      fc.property(fc.array(arbMutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const bytes = ms.reduce(mutate, ORIGINAL);
        try {
          const p = decodeNmp(bytes, 'fuzz.nmp');
          expect(Buffer.from(encodeNmp(p)).equals(Buffer.from(ORIGINAL))).toBe(true);
          outcomes.same++;
        } catch (e) {
          if (!(e instanceof NeuromeshError)) throw e;
          expect(e.exitCode).toBe(ExitCode.badInput);
          for (const d of e.diagnostics) {
            expect(d.message).not.toMatch(/\n/);
            expect(d.file).toBe('fuzz.nmp');
          }
          outcomes.refused++;
        }
      }),
      { numRuns: Number(process.env.NEUROMESH_FUZZ_RUNS ?? 400), seed: 20261202 },
    );
    expect(outcomes.refused).toBeGreaterThan(350);
  });

  it('every single-byte change of a program is refused (the checksum covers envelope and payload)', () => {
    let refused = 0;
    for (let at = 0; at < ORIGINAL.length; at += Math.max(1, Math.floor(ORIGINAL.length / 200))) {
      const b = Uint8Array.from(ORIGINAL);
      b[at] ^= 0x01;
      try {
        decodeNmp(b, 'x.nmp');
      } catch (e) {
        if (e instanceof NeuromeshError && e.exitCode === ExitCode.badInput) refused++;
        else throw e;
        continue;
      }
      expect.fail(`flipping bit 0 of byte ${at} was not noticed`);
    }
    expect(refused).toBeGreaterThan(150);
  });
});
