import type { CoefficientRef, CounterTable, EnergyReport, LatencyReport, NeuroBenchMetrics } from '../cost/index.js';
import { counterTotals } from '../cost/index.js';
import { setOwn } from '../own.js';

/** Version of `neuromesh/run` documents (schemas/run.schema.json). */
export const RUN_SCHEMA_VERSION = 1;

/** Spikes of one node differing from the float64 reference. */
export interface NodeComparison {
  chipSpikes: number;
  referenceSpikes: number;
  /** (step, neuron) events in one run but not the other. */
  differingSpikes: number;
  /** Σ over neurons of |chip count − reference count|. */
  countDifference: number;
}

export interface RunReportInput {
  spikes: Map<string, { steps: ArrayLike<number>; neurons: ArrayLike<number> }>;
  counts: Map<string, ArrayLike<number>>;
  /** node → var → values [step · size + neuron], with the node's size. */
  traces: Map<string, { var: string; size: number; values: Float64Array }[]>;
  counters: CounterTable;
  energy: EnergyReport;
  latency: LatencyReport;
  metrics: NeuroBenchMetrics;
  coefficients: CoefficientRef[];
  resources: Record<string, unknown>;
  compare?: { reference: string; nodes: Record<string, NodeComparison> };
}

/** The body of a `neuromesh/run@1` document (docs/semantics.md §5), host excluded. */
export function runBody(r: RunReportInput): Record<string, unknown> {
  const spikes: Record<string, { steps: number[]; neurons: number[] }> = {};
  for (const [k, s] of r.spikes) setOwn(spikes, k, { steps: Array.from(s.steps), neurons: Array.from(s.neurons) });
  const counts: Record<string, number[]> = {};
  for (const [k, c] of r.counts) setOwn(counts, k, Array.from(c));
  const traces: Record<string, Record<string, number[][]>> = {};
  for (const [node, vars] of r.traces) {
    const t: Record<string, number[][]> = {};
    for (const v of vars) {
      const steps = v.values.length / v.size;
      const rows: number[][] = new Array(steps);
      for (let s = 0; s < steps; s++) rows[s] = Array.from(v.values.subarray(s * v.size, (s + 1) * v.size));
      t[v.var] = rows;
    }
    setOwn(traces, node, t);
  }
  const K = r.counters.names.length;
  const byCore = r.counters.cores.map((c, i) => {
    const values: Record<string, number> = {};
    r.counters.names.forEach((n, k) => (setOwn(values, n, r.counters.values[i * K + k]!)));
    return { core: i, label: c.label, node: c.node, values };
  });
  const { perStepS, ...lat } = r.latency;
  return {
    spikes, counts, traces,
    counters: { names: [...r.counters.names], totals: counterTotals(r.counters), byCore },
    energy: r.energy,
    latency: { perStepS, ...lat },
    metrics: r.metrics,
    coefficients: r.coefficients,
    resources: r.resources,
    ...(r.compare ? { compare: r.compare } : {}),
  };
}
