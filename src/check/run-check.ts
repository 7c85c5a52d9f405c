import fc from 'fast-check';
import { intakeInt } from '../number-intake.js';
import { diag, NeuromeshError } from '../errors.js';
import { compareExact, compareTolerance } from './compare.js';
import { checkProperties, type ModelProperty } from './property.js';
import { arbInputCase, materialize, stimulusInputs, type InputCase, type Train } from './stimulus.js';
import { DEFAULT_TOLERANCE, type CheckSystem, type Evaluation, type Stimulus, type Tolerance } from './types.js';

export interface CheckOptions {
  runs: number;
  seed: number;
  /** Largest run length in steps. */
  steps: number;
  tolerance?: Tolerance;
  /** Largest rate of generated rate trains (Hz); default min(0.3/dt, 2000). */
  maxRateHz?: number;
  /** `seed:path` from an earlier counterexample: replay it exactly. */
  replay?: string;
  /** Called after every evaluated input (generation and shrinking). */
  onEvaluate?: (n: number) => void;
  /** Fail on mapping invariants the chip run reports (ChipRun.violations). */
  invariants?: boolean;
  /** User properties checked on the chip's spikes for every input. */
  properties?: readonly ModelProperty[];
  /** Largest number of extra evaluations of the final spike-by-spike minimization (default 300). */
  maxMinimize?: number;
}

export interface Coverage {
  runs: number;
  steps: { min: number; max: number; mean: number };
  /** Input rate over each run: input spikes / (input neurons · steps · dt), Hz. */
  rateHz: { min: number; max: number; mean: number };
  inputSpikes: { min: number; max: number; total: number };
  /** Trains generated per shape. */
  shapes: Record<Train['shape'], number>;
  silentRuns: number;
}

export interface Counterexample {
  /** The minimal stimulus: fewest input spikes and steps found. */
  stimulus: Stimulus;
  /** The size of the first failing input, before shrinking. */
  original: { steps: number; inputSpikes: number };
  evaluation: Evaluation;
  /** `seed:path` for --replay: fast-check's seed and the shrink path of its counterexample. */
  replay: string;
  /** fast-check shrink steps and the extra spike-by-spike minimization evaluations. */
  shrinks: number;
  minimizeEvaluations: number;
}

export interface CheckOutcome {
  ok: boolean;
  seed: number;
  runs: number;
  evaluations: number;
  coverage: Coverage;
  tolerance: Tolerance;
  counterexample?: Counterexample;
}

/** `seed:path` → fast-check seed and path; a one-line Diagnostic otherwise. */
export function parseReplay(s: string): { seed: number; path: string } {
  const m = /^(-?\d+):(\d+(?::\d+)*)$/.exec(s.trim());
  if (!m) throw new NeuromeshError([diag('E_BAD_OPTION', `--replay ${s}: expected seed:path as printed by a failing check (e.g. 42:3:1:0)`, { field: 'replay' })]);
  const seed = intakeInt(m[1], { what: '--replay seed', target: 'int32', where: { field: 'replay', hint: 'pass seed:path exactly as a failing check printed it' } });
  for (const step of m[2]!.split(':').filter((x) => x !== ''))
    intakeInt(step, { what: '--replay path step', min: 0, max: 1_000_000, where: { field: 'replay', hint: 'pass seed:path exactly as a failing check printed it' } });
  return { seed, path: m[2]! };
}

function key(s: Stimulus): string {
  return `${s.steps}|${s.spikes.map((e) => `${e.input}\u0000${e.step}\u0000${e.neuron}`).join(',')}`;
}

/**
 * Property-based check of a chip mapping: fast-check generates input cases, each runs on the chip,
 * its golden model (must be exact) and the float64 reference (within `tolerance`); the first
 * failure is shrunk by fast-check (fewer trains, lower rates, shorter runs) and then minimized
 * spike by spike and cut after the first differing step. Deterministic for a given seed: the same
 * seed (or `seed:path`) gives the same counterexample.
 */
export async function runCheck(sys: CheckSystem, opts: CheckOptions): Promise<CheckOutcome> {
  const tol = opts.tolerance ?? DEFAULT_TOLERANCE;
  const maxRateHz = opts.maxRateHz ?? Math.min(0.3 / sys.dt, 2000);
  const minSteps = sys.inputStart + 1;
  if (opts.steps < minSteps) throw new NeuromeshError([diag('E_BAD_OPTION', `--steps ${opts.steps} must be at least ${minSteps}`, { field: 'steps' })]);
  const arb = arbInputCase({ maxSteps: opts.steps, minSteps, maxRateHz });
  const cache = new Map<string, Evaluation>();
  let evaluations = 0;
  const evaluate = async (s: Stimulus): Promise<Evaluation> => {
    const k = key(s);
    const hit = cache.get(k);
    if (hit) return hit;
    const inputs = stimulusInputs(s, sys.inputs);
    const run = await sys.chip(inputs, s.steps);
    const chip = run.spikes;
    const gold = sys.golden ? await sys.golden(inputs, s.steps) : undefined;
    const golden = gold ? (sys.goldenTolerance ? compareTolerance(chip, gold, sys.goldenTolerance, 'golden') : compareExact(chip, gold)) : undefined;
    const reference = compareTolerance(chip, await sys.reference(inputs, s.steps, chip), tol);
    const violations = opts.invariants ? (run.violations ?? []) : undefined;
    const properties = opts.properties?.length ? checkProperties(opts.properties, { spikes: chip, stimulus: s }) : undefined;
    const ev: Evaluation = {
      ...(golden ? { golden } : {}), reference,
      ...(violations ? { violations } : {}),
      ...(properties ? { properties } : {}),
      ok: (golden?.ok ?? true) && reference.ok && !violations?.length && !properties?.some((p) => !p.ok),
    };
    cache.set(k, ev);
    evaluations++;
    opts.onEvaluate?.(evaluations);
    return ev;
  };
  const generated: { c: InputCase; s: Stimulus }[] = [];
  let failedYet = false;
  // a run that throws (a worker died, a bad model) is not a counterexample: stop and rethrow it
  let fatal: { e: unknown } | undefined;
  const prop = fc.asyncProperty(arb, async (c) => {
    if (fatal) return true;
    const s = materialize(c, sys.inputs, sys.dt, sys.inputStart);
    if (!failedYet) generated.push({ c, s });
    try {
      const ev = await evaluate(s);
      if (!ev.ok) failedYet = true;
      return ev.ok;
    } catch (e) {
      fatal = { e };
      return true;
    }
  });
  const replay = opts.replay !== undefined ? parseReplay(opts.replay) : undefined;
  const badReplay = (why: string): NeuromeshError =>
    new NeuromeshError([diag('E_BAD_OPTION', `--replay ${opts.replay} ${why}`, { field: 'replay', hint: 'pass seed:path exactly as a failing check of the same model, --steps and --runs printed it' })]);
  let details: Awaited<ReturnType<typeof fc.check<[InputCase]>>>;
  try {
    details = await fc.check(prop, {
      numRuns: opts.runs,
      seed: replay?.seed ?? opts.seed,
      ...(replay ? { path: replay.path } : {}),
    });
  } catch (e) {
    // fast-check refuses a path that leads nowhere ("Unable to replay"): the user's argument
    if (replay && !fatal && e instanceof Error && /replay|path/i.test(e.message)) throw badReplay('cannot be replayed: its path does not lead to a case of this model and options');
    throw e;
  }
  if (fatal) throw fatal.e;
  // a replay reproduces a counterexample; one that passes was not printed for this model and these options
  if (replay && !details.failed) throw badReplay(`does not reproduce a counterexample: the case it leads to passes (${details.numRuns} run${details.numRuns === 1 ? '' : 's'}), so it was not printed by a failing check of this model, options and neuromesh version`);
  if (replay && details.failed && !details.counterexample) throw badReplay('cannot be replayed: its path does not lead to a case of this model and options');
  const coverage = coverageOf(generated, sys, failedYet);
  if (!details.failed) return { ok: true, seed: replay?.seed ?? opts.seed, runs: details.numRuns, evaluations, coverage, tolerance: tol };
  if (!details.counterexample) {
    const e: unknown = details.errorInstance;
    throw e instanceof Error ? e : new Error(String(e));
  }
  const firstFail = generated[generated.length - 1]!.s;
  const shrunk = materialize(details.counterexample[0], sys.inputs, sys.dt, sys.inputStart);
  const before = evaluations;
  const minimal = await minimize(shrunk, evaluate, opts.maxMinimize ?? 300, sys.inputStart);
  const evaluation = await evaluate(minimal);
  return {
    ok: false, seed: details.seed, runs: details.numRuns, evaluations, coverage, tolerance: tol,
    counterexample: {
      stimulus: minimal,
      original: { steps: firstFail.steps, inputSpikes: firstFail.spikes.length },
      evaluation,
      replay: `${details.seed}:${details.counterexamplePath ?? ''}`,
      shrinks: details.numShrinks,
      minimizeEvaluations: evaluations - before,
    },
  };
}

/** Earliest differing step over the failing verdicts (−1 if none). */
function firstStep(ev: Evaluation): number {
  const steps = [ev.golden, ev.reference].filter((v) => v && !v.ok && v.difference).map((v) => v!.difference!.step);
  return steps.length ? Math.min(...steps) : -1;
}

/**
 * Greedy minimization after fast-check's shrinking: cut the run after the first differing step
 * (later inputs cannot change earlier outputs), drop spikes one by one while the input still
 * fails, move the whole input earlier while it fails, cut again. Deterministic; bounded by `budget` evaluations.
 */
async function minimize(s: Stimulus, evaluate: (s: Stimulus) => Promise<Evaluation>, budget: number, inputStart: number): Promise<Stimulus> {
  let cur = s;
  let spent = 0;
  const tryCut = async (): Promise<void> => {
    const ev = await evaluate(cur);
    const t = firstStep(ev);
    if (t < 0 || t + 1 >= cur.steps) return;
    const cand: Stimulus = { steps: Math.max(t + 1, inputStart + 1), spikes: cur.spikes.filter((e) => e.step <= t) };
    spent++;
    if (!(await evaluate(cand)).ok) cur = cand;
  };
  await tryCut();
  for (let i = cur.spikes.length - 1; i >= 0 && spent < budget; i--) {
    if (i >= cur.spikes.length) continue;
    const cand: Stimulus = { steps: cur.steps, spikes: cur.spikes.filter((_, j) => j !== i) };
    spent++;
    if (!(await evaluate(cand)).ok) cur = cand;
  }
  // move the whole input earlier while it still fails (halving the distance tried)
  let gap = cur.spikes.length ? Math.min(...cur.spikes.map((e) => e.step)) - inputStart : 0;
  for (let d = gap; d >= 1 && spent < budget; ) {
    const cand: Stimulus = { steps: Math.max(inputStart + 1, cur.steps - d), spikes: cur.spikes.map((e) => ({ ...e, step: e.step - d })) };
    spent++;
    if (!(await evaluate(cand)).ok) {
      cur = cand;
      gap -= d;
      d = gap;
    } else d = Math.floor(d / 2);
  }
  await tryCut();
  return cur;
}

function coverageOf(gen: { c: InputCase; s: Stimulus }[], sys: CheckSystem, failed: boolean): Coverage {
  const rows = gen;
  void failed;
  const shapes: Coverage['shapes'] = { single: 0, burst: 0, rate: 0, silence: 0 };
  const neurons = sys.inputs.reduce((a, p) => a + p.size, 0);
  let smin = Infinity, smax = 0, ssum = 0, rmin = Infinity, rmax = 0, rsum = 0, imin = Infinity, imax = 0, itot = 0, silent = 0;
  for (const { c, s } of rows) {
    for (const t of c.trains) shapes[t.shape]++;
    smin = Math.min(smin, s.steps);
    smax = Math.max(smax, s.steps);
    ssum += s.steps;
    const r = neurons ? s.spikes.length / (neurons * s.steps * sys.dt) : 0;
    rmin = Math.min(rmin, r);
    rmax = Math.max(rmax, r);
    rsum += r;
    imin = Math.min(imin, s.spikes.length);
    imax = Math.max(imax, s.spikes.length);
    itot += s.spikes.length;
    if (!s.spikes.length) silent++;
  }
  const n = rows.length;
  const fin = (x: number): number => (Number.isFinite(x) ? x : 0);
  return {
    runs: n,
    steps: { min: fin(smin), max: smax, mean: n ? ssum / n : 0 },
    rateHz: { min: fin(rmin), max: rmax, mean: n ? rsum / n : 0 },
    inputSpikes: { min: fin(imin), max: imax, total: itot },
    shapes,
    silentRuns: silent,
  };
}
