import type { SpikeMap, SpikeSet } from './types.js';

/** A spike that one side has and the other has not, at the earliest step where any do. */
export interface Divergence {
  node: string;
  neuron: number;
  step: number;
  /** Whether the chip spiked there (else the reference did). */
  chipSpiked: boolean;
}

function events(s: SpikeSet | undefined, step: number): Set<number> {
  const out = new Set<number>();
  if (s) for (let i = 0; i < s.steps.length; i++) if (s.steps[i] === step) out.add(s.neurons[i]!);
  return out;
}

function earliestDifference(a: SpikeSet | undefined, b: SpikeSet | undefined): number {
  const count = (s: SpikeSet | undefined): Map<number, Map<number, number>> => {
    const m = new Map<number, Map<number, number>>();
    if (s)
      for (let i = 0; i < s.steps.length; i++) {
        const st = s.steps[i]!;
        const row = m.get(st) ?? m.set(st, new Map()).get(st)!;
        row.set(s.neurons[i]!, (row.get(s.neurons[i]!) ?? 0) + 1);
      }
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  let best = Infinity;
  for (const [st, row] of ca) {
    if (st >= best) continue;
    const other = cb.get(st);
    if (!other || other.size !== row.size || [...row].some(([n, c]) => other.get(n) !== c)) best = st;
  }
  for (const st of cb.keys()) if (st < best && !ca.has(st)) best = st;
  return best;
}

/**
 * Every spike event in which the chip and the reference part at the earliest step where they part
 * at all, over all nodes both record (sorted by node, then neuron). Later differences may all follow
 * from these: in a network, one spike more or less changes what every downstream neuron receives.
 */
export function firstDivergences(chip: SpikeMap, reference: SpikeMap): Divergence[] {
  const nodes = [...chip.keys()].filter((k) => reference.has(k)).sort();
  let step = Infinity;
  for (const n of nodes) step = Math.min(step, earliestDifference(chip.get(n), reference.get(n)));
  if (step === Infinity) return [];
  const out: Divergence[] = [];
  for (const node of nodes) {
    const a = events(chip.get(node), step);
    const b = events(reference.get(node), step);
    for (const n of [...new Set([...a, ...b])].sort((x, y) => x - y)) if (a.has(n) !== b.has(n)) out.push({ node, neuron: n, step, chipSpiked: a.has(n) });
  }
  return out;
}

/** How close to its threshold the side that stayed silent was, at a divergence. */
export interface ThresholdMargin extends Divergence {
  /** v of the silent side at that step (it did not reset), in the model's units. */
  silentV: number;
  threshold: number;
  /** (threshold − silentV) / |threshold|: ≥ 0, small when the crossing was a near-tie. */
  relativeMargin: number;
}

/**
 * A divergence is a near-tie at the threshold when the silent side's v was within `rel` (relative)
 * of the threshold: rounding of weights and state to the chip's formats can do that. It is reported,
 * not forgiven (what check forgives is only the reference's own v within the chip's declared
 * resolution, ChipBackend.reference.thresholdTies).
 */
export const NEAR_TIE_RELATIVE = 1e-3;

export function isNearTie(m: ThresholdMargin, rel = NEAR_TIE_RELATIVE): boolean {
  return m.relativeMargin >= 0 && m.relativeMargin <= rel;
}
