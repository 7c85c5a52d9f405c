import type { ThresholdDecider } from '../reference/kernel.js';
import type { SpikeMap } from './types.js';

/**
 * Threshold decisions for a reference run that follows the chip at near-ties: a neuron whose v is
 * within `relative` · |v_threshold| of its threshold spikes at a step exactly when the chip's
 * neuron did; any other crossing is the reference's own (v > v_threshold). Built once per run from
 * the chip's spikes (a Set per node, looked up only at near-ties).
 */
export function followChipAtTies(chip: SpikeMap, size: (node: string) => number, relative: number): (node: string) => ThresholdDecider | undefined {
  const made = new Map<string, ThresholdDecider | undefined>();
  return (node) => {
    if (made.has(node)) return made.get(node);
    const s = chip.get(node);
    let d: ThresholdDecider | undefined;
    if (s) {
      const n = size(node);
      const fired = new Set<number>();
      for (let i = 0; i < s.steps.length; i++) fired.add(s.steps[i]! * n + s.neurons[i]!);
      d = (t, k, v, th) => (Math.abs(v - th) <= relative * Math.abs(th) ? fired.has(t * n + k) : v > th);
    }
    made.set(node, d);
    return d;
  };
}
