import type { StepInput } from '../io/spikes.js';
import { firstDivergences, isNearTie, type ThresholdMargin } from './first-divergence.js';
import type { SpikeMap, Stimulus } from './types.js';

/** What explaining a counterexample needs, wired by the CLI (src/check imports no chip). */
export interface ExplainSystem {
  /** The chip's spikes and the v traces of `nodes` ([step · size + neuron], model units). */
  chip(inputs: Map<string, StepInput>, steps: number, nodes: string[]): Promise<{ spikes: SpikeMap; traces: Map<string, Float64Array> }>;
  /** The same from the float64 reference in the chip's alignment (following `chip` where the check's reference does). */
  reference(inputs: Map<string, StepInput>, steps: number, nodes: string[], chip: SpikeMap): Promise<{ spikes: SpikeMap; traces: Map<string, Float64Array> }> | { spikes: SpikeMap; traces: Map<string, Float64Array> };
  /** v_threshold of one neuron of a spiking node; undefined when the node has none (no v). */
  threshold(node: string, neuron: number): number | undefined;
  /** Number of neurons of a node. */
  size(node: string): number;
}

export interface Explanation {
  /** The earliest spike events in which chip and reference part, with the silent side's margin. */
  first: ThresholdMargin[];
  /** Whether every one of them is a near-tie at the threshold (see NEAR_TIE_RELATIVE). */
  nearTie: boolean;
}

/**
 * Why a chip-vs-reference counterexample fails: find the first spike events in which the two
 * part (often not the neuron the tolerance flags: a difference upstream moves everything after it)
 * and how far below its threshold the silent side's v was. The check's reference already takes the
 * chip's decision where its own v is within the chip's declared resolution (ChipBackend.reference
 * .thresholdTies); what is left and reported as a near-tie is a silent side within 0.1 % whose other
 * side crossed by more (its v after the reset is not known): the check fails, with that named.
 */
export async function explainDivergence(sys: ExplainSystem, stimulus: Stimulus, inputs: Map<string, StepInput>, nodes: readonly string[]): Promise<Explanation | undefined> {
  const T = stimulus.steps;
  // one run of each, tracing every node that has a threshold (a counterexample is short)
  const traced = nodes.filter((n) => sys.threshold(n, 0) !== undefined);
  const c = await sys.chip(inputs, T, traced);
  const r = await sys.reference(inputs, T, traced, c.spikes);
  const first = firstDivergences(c.spikes, r.spikes).filter((d) => nodes.includes(d.node));
  if (!first.length) return undefined;
  const margins: ThresholdMargin[] = [];
  for (const d of first) {
    const th = sys.threshold(d.node, d.neuron);
    const trace = (d.chipSpiked ? r : c).traces.get(d.node);
    if (th === undefined || !trace) continue;
    const silentV = trace[d.step * sys.size(d.node) + d.neuron]!;
    margins.push({ ...d, silentV, threshold: th, relativeMargin: (th - silentV) / Math.abs(th || 1) });
  }
  return { first: margins, nearTie: margins.length > 0 && margins.length === first.length && margins.every((m) => isNearTie(m)) };
}

const num = (x: number, digits: number): string => String(Number(x.toPrecision(digits)));

/** One line for humans: where the two first part and whether it was a near-tie. */
export function explanationLine(e: Explanation): string {
  const m = e.first[0];
  if (!m) return 'first divergence: not at a neuron with a threshold';
  const who = m.chipSpiked ? 'chip spiked, reference silent' : 'chip silent, reference spiked';
  const side = m.chipSpiked ? 'reference' : 'chip';
  const more = e.first.length > 1 ? ` (and ${e.first.length - 1} more event${e.first.length === 2 ? '' : 's'} at that step)` : '';
  const head = `first divergence: ${m.node}[${m.neuron}] at step ${m.step} (${who})${more}; ${side} v = ${num(m.silentV, 6)}, ${num(m.threshold - m.silentV, 2)} below v_threshold ${num(m.threshold, 6)}`;
  return e.nearTie
    ? `${head}: the ${side} was within ${num(m.relativeMargin * 100, 2)} % of its threshold, so the difference may start as fixed-point rounding rather than a wrong mapping`
    : `${head}: not a near-tie, so look at that node's mapping`;
}
