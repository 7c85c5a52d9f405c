/**
 * The graph node a lowered population stands for, rebuilt from its float64 parameters, so a chip
 * (or a chip's golden model) can run the reference's own kernel on one population.
 */
import type { FlatNode } from '../graph/graph.js';
import { f64 } from '../graph/tensor.js';
import type { Population } from '../chip/program.js';

export function populationNode(p: Pick<Population, 'kind' | 'name' | 'shape' | 'size' | 'params'>): FlatNode {
  const { rate, spikes, seed, ...rest } = p.params;
  const node: Record<string, unknown> = { kind: p.kind, name: p.name, shape: p.shape };
  for (const [k, v] of Object.entries(rest)) node[k] = f64(v);
  if (rate) node.rate = f64(rate);
  if (spikes) node.spikes = f64(spikes, [spikes.length / p.size, p.size]);
  if (seed) node.seed = seed[0];
  return node as unknown as FlatNode;
}
