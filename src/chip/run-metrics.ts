import { counterTotals, neuroBenchMetrics, type NeuroBenchMetrics } from '../cost/index.js';
import type { ChipProgram } from './program.js';
import type { ChipRun } from './run-record.js';

/** The NeuroBench metrics of a run, from the program's model statistics (the same for every chip) and the chip's footprint. */
export function runMetrics(program: ChipProgram, run: ChipRun, footprintBytes: number): NeuroBenchMetrics {
  let spikes = 0;
  for (const t of run.spikes.values()) spikes += t.steps.length;
  const m = program.model;
  return neuroBenchMetrics({
    footprintBytes, denseConnections: m.denseConnections, nonzeroSynapses: m.synapses, neurons: m.neurons,
    spikes, steps: run.steps, synapticEvents: counterTotals(run.counters).synaptic_events ?? 0,
  });
}
