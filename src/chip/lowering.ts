/**
 * What each primitive becomes on a chip that supports them all: a chip's `lower` table is this one
 * with its own checks attached (a chip that lacks a kind leaves it out of its own table instead).
 */
import type { NodeKind } from '../graph/graph.js';
import type { Lowering } from './backend.js';

const ROLES: readonly (readonly [Lowering['as'], readonly NodeKind[]])[] = [
  ['source', ['Input', 'SpikeSource']],
  ['port', ['Output']],
  ['population', ['IF', 'LIF', 'CubaLIF', 'CubaLI', 'LI', 'I', 'Threshold', 'CurrentLIF']],
  ['projection', ['Affine', 'Linear', 'Conv1d', 'Conv2d', 'SumPool2d', 'AvgPool2d', 'Scale', 'Flatten', 'SparseLinear']],
  ['delay', ['Delay']],
];

/** Every primitive with its role; `checks` attaches a chip's parameter check to some kinds. */
export function fullLowering(checks: Partial<Record<NodeKind, Lowering['check']>> = {}): Partial<Record<NodeKind, Lowering>> {
  const table: Partial<Record<NodeKind, Lowering>> = {};
  for (const [as, kinds] of ROLES)
    for (const kind of kinds) {
      const check = checks[kind];
      table[kind] = check ? { as, check } : { as };
    }
  return table;
}
