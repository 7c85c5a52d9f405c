import type { Shape } from '../graph/tensor.js';
import { configDoc, type ConfigDoc } from './config.js';
import type { RunResult } from './simulate.js';
import { setOwn } from '../own.js';

/** Version of `neuromesh/simulate` documents (schemas/simulate.schema.json). */
export const SIMULATE_SCHEMA_VERSION = 1;

/** The body of a `neuromesh/simulate@1` document (docs/semantics.md §5), host excluded. */
export interface SimulateBody {
  /** node → parallel arrays sorted by step then neuron (C-order flat indices). */
  spikes: Record<string, { steps: number[]; neurons: number[] }>;
  /** node → var → [[… per recorded neuron …] per step]. */
  traces: Record<string, Record<string, number[][]>>;
  /** node → var → [first, one past last] recorded neuron. */
  traceNeurons: Record<string, Record<string, [number, number]>>;
  /** node → spikes per neuron. */
  counts: Record<string, number[]>;
  /** Output shape of every recorded node. */
  shapes: Record<string, Shape>;
  totals: RunResult['totals'];
}

/** Plain-data body of the simulate document. */
export function simulateBody(r: RunResult): SimulateBody {
  const spikes: SimulateBody['spikes'] = {};
  const counts: SimulateBody['counts'] = {};
  const traces: SimulateBody['traces'] = {};
  const traceNeurons: SimulateBody['traceNeurons'] = {};
  const shapes: SimulateBody['shapes'] = {};
  for (const [node, s] of r.spikes) {
    setOwn(spikes, node, { steps: Array.from(s.steps), neurons: Array.from(s.neurons) });
    setOwn(counts, node, Array.from(r.counts.get(node)!));
    setOwn(shapes, node, r.shapes.get(node)!);
  }
  for (const [node, vars] of r.traces) {
    const t: Record<string, number[][]> = {};
    const ranges: Record<string, [number, number]> = {};
    for (const [v, tr] of vars) {
      const k = tr.end - tr.start;
      const steps = tr.values.length / k;
      const rows: number[][] = new Array(steps);
      for (let s = 0; s < steps; s++) rows[s] = Array.from(tr.values.subarray(s * k, (s + 1) * k));
      t[v] = rows;
      ranges[v] = [tr.start, tr.end];
    }
    setOwn(traces, node, t);
    setOwn(traceNeurons, node, ranges);
    setOwn(shapes, node, r.shapes.get(node)!);
  }
  return { spikes, traces, traceNeurons, counts, shapes, totals: r.totals };
}

/** `config` of the simulate document: the full run configuration plus what it was run on. */
export function simulateConfig(r: RunResult, extra: Record<string, unknown> = {}): ConfigDoc & Record<string, unknown> {
  return { ...configDoc(r.config), ...extra };
}
