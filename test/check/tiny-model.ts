import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Graph } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import { writeNmg } from '../../src/io/proto/graph-codec.js';

/**
 * in[2] → Linear → LIF out[2] with τ = dt (a = 0: v = R·x each step, so out[k] spikes the step after
 * Σ w·in > 0.5). Weights 0.6 on the diagonal, 0.3 across: one input spike makes exactly one output
 * neuron spike; both inputs together make both spike. Every seeded fault changes a single spike.
 */
export function tinyGraph(): Graph {
  return {
    nodes: [
      { kind: 'Input', name: 'in', shape: [2] },
      { kind: 'Linear', name: 'w', weight: f64([0.6, 0.3, 0.3, 0.6], [2, 2]) },
      { kind: 'LIF', name: 'out', tau: f64([1e-4, 1e-4]), r: f64([1, 1]), v_leak: f64([0, 0]), v_threshold: f64([0.5, 0.5]) },
    ],
    edges: [{ from: 'in', to: 'w' }, { from: 'w', to: 'out' }],
  };
}

/**
 * As tinyGraph, but weights 100 and 0.001 into one population: the ring-buffer shift the large
 * weight needs rounds the small one to zero, so out[1] (threshold 0.0005) spikes in the float64
 * reference and never on the chip (nor in its golden model, which quantizes the same way).
 */
export function zeroedWeightGraph(): Graph {
  return {
    nodes: [
      { kind: 'Input', name: 'in', shape: [2] },
      { kind: 'Linear', name: 'w', weight: f64([100, 0, 0, 0.001], [2, 2]) },
      { kind: 'LIF', name: 'out', tau: f64([1e-4, 1e-4]), r: f64([1, 1]), v_leak: f64([0, 0]), v_threshold: f64([50, 0.0005]) },
    ],
    edges: [{ from: 'in', to: 'w' }, { from: 'w', to: 'out' }],
  };
}

export async function tinyModelFile(graph: Graph = tinyGraph(), name = 'tiny'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'neuromesh-check-'));
  const path = join(dir, `${name}.nmg`);
  await writeNmg(graph, path);
  return path;
}
