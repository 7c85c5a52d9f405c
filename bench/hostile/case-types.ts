/**
 * What a hostile-input case is (bench/hostile): one CLI call in its own directory, the files it
 * starts from, what a correct neuromesh must do with it, and how its outcome is classified.
 */

/** The classes of issue 11 (numbered as in the issue; 0 = valid runs that must succeed). */
export const CLASSES = [
  '0-baseline', '1-output-is-input', '2-huge-integers', '3-object-key-names', '4-corrupt-files',
  '5-environment', '6-directory-outputs', '7-bad-profiles', '9-10-limits', '11-smaller',
] as const;
export type ClassId = (typeof CLASSES)[number];

/**
 * What a correct neuromesh does:
 *  - refuse: exit 2, one `error …` line (per diagnostic; no usage or other extra lines), no stack
 *    trace, no output left, inputs untouched;
 *  - ok: exit 0 and every declared output written;
 *  - refuse-or-identical: refuse, or exit 0 with the same (normalized) stdout as `reference`;
 *  - clean: either refuse or ok (the issue allows both), never anything else.
 */
export type Expect = 'refuse' | 'ok' | 'refuse-or-identical' | 'clean';

/** A file the case directory holds before the run (paths relative to the case directory). */
export type FileSpec =
  | { path: string; copy: string } // a copy of a base file (name under <work>/base)
  | { path: string; data: string | Uint8Array }
  | { path: string; hardlink: string } // a hard link to another file of the case
  | { path: string; symlink: string } // a symbolic link with this target text
  | { path: string; dir: true };

/** A 1 MiB tmpfs mounted at `path` for the case: read-only, or filled up to `freeKiB` free. */
export interface MountSpec {
  path: string;
  kind: 'ro' | 'full';
  freeKiB?: number;
}

export interface Case {
  /** Unique, stable, readable: `<class>/<command>/<what>`. */
  id: string;
  cls: ClassId;
  /** The neuromesh command (first argument), or 'usage' for argument-parser cases. */
  command: string;
  /** Arguments after `node dist/src/cli/main.js`; `{cwd}` is replaced by the case directory. */
  args: string[];
  expect: Expect;
  files: FileSpec[];
  mounts?: MountSpec[];
  /** Paths (relative) that a successful run creates: any other new entry is a left-behind file. */
  outputs?: string[];
  /** For refuse-or-identical: id of the 'ok' case whose normalized stdout a success must equal. */
  reference?: string;
  /** On a refusal, stderr must contain one of these (the true value of a number). */
  mention?: string[];
  timeoutMs?: number;
}

/** Outcomes, worst first. Every outcome but clean (and skipped) counts as a failure. */
export const OUTCOMES = [
  'overwritten-input', 'partial-output', 'hang', 'stack-trace', 'wrong-result', 'wrong-exit',
  'wrong-value', 'not-one-line', 'clean', 'skipped',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const BAD_OUTCOMES: readonly Outcome[] = OUTCOMES.filter((o) => o !== 'clean' && o !== 'skipped');

/** What the harness saw for one case. */
export interface CaseResult {
  id: string;
  cls: ClassId;
  command: string;
  expect: Expect;
  /** Exit code; -1 when killed by the case timeout. */
  code: number;
  ms: number;
  outcome: Outcome;
  /** Every problem found (the outcome is the worst one), each with a short reason. */
  problems: { outcome: Outcome; why: string }[];
  stderrFirst: string;
  stderrLines: number;
}

/** Seeded PRNG (mulberry32): the corpus is a pure function of the seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [lo, hi). */
export const randInt = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo));
