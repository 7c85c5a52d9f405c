/**
 * The hostile-input corpus of issue 11: every case of every class, a pure function of the seed
 * and the base files (models.ts), shared by the bench (bench/hostile/run.ts, ≥1,000 cases) and
 * the test (test/hostile/sample.test.ts, a seeded sample spread over every class).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASSES, rng, type Case } from './case-types.js';
import { corruptFileCases, badProfileCases, limitCases } from './cases-files.js';
import { baselineCases, directoryOutputCases, environmentCases, outputIsInputCases } from './cases-io.js';
import { hugeIntegerCases, objectKeyNameCases, smallerCases } from './cases-values.js';
import { BASE } from './models.js';

export const DEFAULT_SEED = 20261202;

/** Every case, built from the base files in `baseDir` (prepareBase) and the seed. */
export function generateCases(baseDir: string, seed = DEFAULT_SEED): Case[] {
  const r = rng(seed);
  const bases = { nmp: readFileSync(join(baseDir, BASE.nmp)), nmg: readFileSync(join(baseDir, BASE.nmg)) };
  const all = [
    ...baselineCases(), ...outputIsInputCases(), ...hugeIntegerCases(r), ...objectKeyNameCases(),
    ...corruptFileCases(r, bases), ...environmentCases(), ...directoryOutputCases(), ...badProfileCases(),
    ...limitCases(), ...smallerCases(),
  ];
  const ids = new Set<string>();
  for (const c of all) {
    if (ids.has(c.id)) throw new Error(`hostile corpus: duplicate case id ${c.id}`);
    ids.add(c.id);
  }
  return all;
}

/**
 * A seeded sample of about `n` cases spread over every class (round-robin over the classes, a
 * seeded shuffle within each), plus the reference cases the sampled ones compare against.
 */
export function sampleCases(all: readonly Case[], n: number, seed = DEFAULT_SEED): Case[] {
  const r = rng(seed ^ 0x5eed);
  const byClass = CLASSES.map((cls) => {
    const xs = all.filter((c) => c.cls === cls);
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  });
  const picked: Case[] = [];
  for (let round = 0; picked.length < n && byClass.some((xs) => xs.length > round); round++)
    for (const xs of byClass) if (xs[round] && picked.length < n) picked.push(xs[round]!);
  const refs = new Set(picked.map((c) => c.reference).filter((x): x is string => x !== undefined));
  for (const id of refs) if (!picked.some((c) => c.id === id)) picked.push(all.find((c) => c.id === id)!);
  return picked;
}
