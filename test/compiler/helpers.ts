import { resolveProfile, type ChipProfile } from '../../src/chip/profile.js';
import type { ChipBackend } from '../../src/chip/backend.js';
import type { Graph } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import { CHIPS, backendFor, loadProfile } from '../../chips/index.js';

/** A built-in profile with overrides (e.g. a tiny router to force compression). */
export function profileWith(base: string, over: Record<string, unknown>): ChipProfile {
  const builtin = (id: string): unknown => CHIPS.flatMap((c) => Object.entries(c.profiles)).find(([k]) => k === id)?.[1];
  const r = resolveProfile({ extends: base, id: `${base}-test`, ...over }, builtin, 'test');
  if (!r.profile) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.profile;
}

export function backend(id = 'spinnaker2-48'): ChipBackend {
  return backendFor(loadProfile(id));
}

/** Input[n] → Linear(m×n) → LIF[m] → Output. */
export function smallGraph(n = 4, m = 3, weight = 0.5): Graph {
  return {
    nodes: [
      { kind: 'Input', name: 'in', shape: [n] },
      { kind: 'Linear', name: 'fc', weight: f64(Array.from({ length: m * n }, (_, i) => (i % 3 === 0 ? 0 : weight * ((i % 5) - 2))), [m, n]) },
      { kind: 'LIF', name: 'lif', tau: f64([0.01]), r: f64([1]), v_leak: f64([0]), v_threshold: f64([1]) },
      { kind: 'Output', name: 'out', shape: [m] },
    ],
    edges: [{ from: 'in', to: 'fc' }, { from: 'fc', to: 'lif' }, { from: 'lif', to: 'out' }],
  };
}
