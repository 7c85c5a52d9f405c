/**
 * What a chip whose units each own whole populations records per unit, and how those recordings
 * become a ChipRun's spikes, counts and traces: the test-only chip uses it, and so can any chip
 * that maps a population onto one tile or cell group.
 */
import type { ChipRun } from './run-record.js';

export interface UnitRecording {
  /** Index into the program's populations. */
  unit: number;
  steps: Int32Array;
  neurons: Int32Array;
  counts: Int32Array;
  trace?: Float64Array;
}

/** Spikes of spiking populations (and of any that emitted events), counts of all, traces of traced ones. */
export function unitRecordings(
  populations: readonly { name: string; spiking: boolean }[],
  recordings: readonly UnitRecording[],
): Pick<ChipRun, 'spikes' | 'counts' | 'traces'> {
  const sorted = [...recordings].sort((a, b) => a.unit - b.unit);
  const name = (u: number): string => populations[u]!.name;
  return {
    spikes: new Map(sorted.filter((r) => r.steps.length > 0 || populations[r.unit]!.spiking).map((r) => [name(r.unit), { steps: r.steps, neurons: r.neurons }])),
    counts: new Map(sorted.map((r) => [name(r.unit), r.counts])),
    traces: new Map(sorted.flatMap((r) => (r.trace ? [[name(r.unit), r.trace] as const] : []))),
  };
}
