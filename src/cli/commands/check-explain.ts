/**
 * Wiring of src/check/explain.ts for `neuromesh check`: the chip run and the reference (aligned as
 * the chip declares, following it at threshold ties), each with v traces of the nodes asked for.
 * check's own reference runs through it too, with no traces.
 */
import { followChipAtTies, type ExplainSystem } from '../../check/index.js';
import type { ChipBackend } from '../../chip/backend.js';
import type { ChipProgram, RunConfig } from '../../chip/program.js';
import type { Graph } from '../../graph/graph.js';
import { numel, perNeuron, type FloatTensor, type Shape } from '../../graph/tensor.js';
import { simulate } from '../../reference/index.js';

export interface ExplainWiring {
  backend: ChipBackend;
  program: ChipProgram;
  graph: Graph;
  shapes: ReadonlyMap<string, Shape>;
  config: RunConfig;
  seed: number;
  workers: number;
}

export function explainSystem(w: ExplainWiring): ExplainSystem {
  const byName = new Map(w.graph.nodes.map((n) => [n.name, n]));
  const thresholds = new Map<string, Float64Array | null>();
  const size = (node: string): number => numel(w.shapes.get(node) ?? [0]);
  return {
    size,
    threshold(node, neuron) {
      let t = thresholds.get(node);
      if (t === undefined) {
        const n = byName.get(node) as unknown as Record<string, unknown> | undefined;
        const field = (n?.['v_threshold'] ?? n?.['threshold']) as FloatTensor | undefined;
        t = field && typeof field === 'object' && 'data' in field ? perNeuron(field, size(node)) : null;
        thresholds.set(node, t);
      }
      return t ? t[neuron] : undefined;
    },
    async chip(inputs, steps, nodes) {
      const r = await w.backend.run(w.program, { steps, inputs, workers: w.workers, seed: w.seed, ...(nodes.length ? { trace: nodes } : {}) });
      return { spikes: r.spikes, traces: r.traces };
    },
    reference(inputs, steps, nodes, chip) {
      const ties = w.backend.reference.thresholdTies;
      const r = simulate(w.graph, {
        ...w.config, delay: 1, steps, seed: w.seed, sourceLead: w.backend.reference.sourceLead, inputs,
        ...(ties ? { thresholdTies: followChipAtTies(chip, size, ties.relative) } : {}),
        record: { all: true, traces: nodes.map((node) => ({ node, var: 'v' })) },
      });
      const traces = new Map<string, Float64Array>();
      for (const n of nodes) {
        const v = r.traces.get(n)?.get('v');
        if (v) traces.set(n, v.values);
      }
      return { spikes: r.spikes, traces };
    },
  };
}
