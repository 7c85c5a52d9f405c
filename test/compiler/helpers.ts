import { resolveProfile, type ChipProfile } from '../../src/chip/profile.js';
import type { FlatNode, Graph } from '../../src/graph/graph.js';
import { f64 } from '../../src/graph/tensor.js';
import { CHIPS, loadProfile } from '../../chips/index.js';
import { spinnaker2Backend } from '../../chips/spinnaker2/backend.js';

/** A built-in profile with overrides (e.g. a tiny router to force compression). */
export function profileWith(base: string, over: Record<string, unknown>): ChipProfile {
  const builtin = (id: string): unknown => CHIPS.flatMap((c) => Object.entries(c.profiles)).find(([k]) => k === id)?.[1];
  const r = resolveProfile({ extends: base, id: `${base}-test`, ...over }, builtin, 'test');
  if (!r.profile) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.profile;
}

/** A spinnaker2 backend by built-in profile id (typed: its programs carry the spinnaker2 payload). */
export function backend(id = 'spinnaker2-48'): ReturnType<typeof spinnaker2Backend> {
  return spinnaker2Backend(loadProfile(id));
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

const POPULATION_KINDS = new Set(['Input', 'SpikeSource', 'IF', 'LIF', 'CubaLIF', 'CurrentLIF', 'Threshold']);

/**
 * Make a random graph mappable on a spiking chip: graded neurons become their spiking versions
 * (LI → LIF, I → IF, CubaLI → CubaLIF, threshold 1) and Outputs not fed only by populations are
 * dropped (a graded readout is not computed on chip; that refusal has its own test).
 */
export function spikingOnly(g: Graph): Graph {
  const nodes: FlatNode[] = g.nodes.map((n) => {
    const v_threshold = f64([1]);
    if (n.kind === 'LI') return { kind: 'LIF', name: n.name, tau: n.tau, r: n.r, v_leak: n.v_leak, v_threshold };
    if (n.kind === 'I') return { kind: 'IF', name: n.name, r: n.r, v_threshold };
    if (n.kind === 'CubaLI') return { kind: 'CubaLIF', name: n.name, tau_syn: n.tau_syn, tau_mem: n.tau_mem, r: n.r, v_leak: n.v_leak, v_threshold, ...(n.w_in ? { w_in: n.w_in } : {}) };
    return n;
  });
  const kind = new Map(nodes.map((n) => [n.name, n.kind]));
  const drop = new Set(nodes.filter((n) => n.kind === 'Output' && g.edges.some((e) => e.to === n.name && !POPULATION_KINDS.has(kind.get(e.from)!))).map((n) => n.name));
  return { nodes: nodes.filter((n) => !drop.has(n.name)), edges: g.edges.filter((e) => !drop.has(e.to)) };
}
