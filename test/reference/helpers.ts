import type { Edge, FlatNode, Graph } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import type { StepInput } from '../../src/io/spikes.js';
import type { RunConfig } from '../../src/reference/config.js';
import type { RecordSpec } from '../../src/reference/record.js';
import { simulate, type RunResult } from '../../src/reference/simulate.js';

/** A float64 tensor from a plain list, with an optional shape. */
export const t = (v: number[], shape?: number[]): ReturnType<typeof f64> => f64(v, shape ?? [v.length]);

/** Edges from a chain of names: chain('a', 'b', 'c') → a→b, b→c. */
export function chain(...names: string[]): Edge[] {
  return names.slice(1).map((to, k) => ({ from: names[k]!, to }));
}

/** A dense input of `rows` (one row per step, each the flat values of the Input node). */
export function dense(node: string, rows: number[][]): StepInput {
  const size = rows[0]!.length;
  const data = new Float32Array(rows.length * size);
  rows.forEach((r, s) => data.set(r, s * size));
  return { kind: 'dense', node, size, steps: rows.length, data };
}

/** A single-neuron input with value 1 at the given steps. */
export function pulses(node: string, steps: number, at: number[], value = 1): StepInput {
  const rows = Array.from({ length: steps }, (_, s) => [at.includes(s) ? value : 0]);
  return dense(node, rows);
}

export function run(
  nodes: FlatNode[], edges: Edge[], inputs: StepInput[], steps: number,
  cfg: Partial<RunConfig> = {}, record?: RecordSpec,
): RunResult {
  const g: Graph = { nodes, edges };
  return simulate(g, { steps, ...cfg, inputs: new Map(inputs.map((i) => [i.node, i])), ...(record ? { record } : {}) });
}

/** Trace of var `v` of node as an array of per-step arrays. */
export function trace(r: RunResult, node: string, v: string): number[][] {
  const tr = r.traces.get(node)?.get(v);
  if (!tr) throw new Error(`no trace ${node}:${v}`);
  const k = tr.end - tr.start;
  const out: number[][] = [];
  for (let s = 0; s < tr.values.length / k; s++) out.push(Array.from(tr.values.subarray(s * k, (s + 1) * k)));
  return out;
}

/** Single-neuron trace as a flat list. */
export function trace1(r: RunResult, node: string, v: string): number[] {
  return trace(r, node, v).map((row) => row[0]!);
}

/** Spike steps of neuron `neuron` of node. */
export function spikeSteps(r: RunResult, node: string, neuron = 0): number[] {
  const s = r.spikes.get(node);
  if (!s) throw new Error(`no spikes recorded for ${node}`);
  const out: number[] = [];
  for (let k = 0; k < s.steps.length; k++) if (s.neurons[k] === neuron) out.push(s.steps[k]!);
  return out;
}
