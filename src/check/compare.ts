import type { Difference, SpikeMap, SpikeSet, Tolerance, Verdict } from './types.js';

/** Per neuron: its spike steps, ascending. */
function trains(s: SpikeSet | undefined): Map<number, number[]> {
  const out = new Map<number, number[]>();
  if (!s) return out;
  for (let i = 0; i < s.steps.length; i++) {
    const n = s.neurons[i]!;
    let a = out.get(n);
    if (!a) out.set(n, (a = []));
    a.push(s.steps[i]!);
  }
  for (const a of out.values()) a.sort((x, y) => x - y);
  return out;
}

/** First step where two ascending step lists differ, with who spiked there; null when equal. */
function firstDiff(a: number[], b: number[]): { step: number; inA: boolean; inB: boolean } | null {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    if (x === y) {
      i++;
      j++;
      continue;
    }
    const step = Math.min(x, y);
    return { step, inA: x === step, inB: y === step };
  }
  return null;
}

/** Nodes recorded by both sides, sorted. */
function common(chip: SpikeMap, other: SpikeMap): string[] {
  return [...chip.keys()].filter((k) => other.has(k)).sort();
}

/**
 * Exact comparison (chip vs golden model): every spike at the same step and neuron. The reported
 * difference is the earliest step over all nodes (ties: node name, then neuron).
 */
export function compareExact(chip: SpikeMap, golden: SpikeMap): Verdict {
  const nodes = common(chip, golden);
  let best: Difference | undefined;
  let differing = 0;
  for (const node of nodes) {
    const a = trains(chip.get(node));
    const b = trains(golden.get(node));
    const ids = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
    for (const n of ids) {
      const ta = a.get(n) ?? [];
      const tb = b.get(n) ?? [];
      const d = firstDiff(ta, tb);
      if (!d) continue;
      differing++;
      if (!best || d.step < best.step)
        best = { node, neuron: n, step: d.step, chipSpiked: d.inA, otherSpiked: d.inB, chipCount: ta.length, otherCount: tb.length };
    }
  }
  return { against: 'golden', ok: differing === 0, nodes, differingNeurons: differing, ...(best ? { difference: best } : {}) };
}

/**
 * Tolerance comparison (chip vs float64 reference): per neuron, |Δcount| ≤ tol.count + tol.rel ·
 * max(counts). The reported difference is the out-of-tolerance neuron whose trains part first.
 */
export function compareTolerance(chip: SpikeMap, reference: SpikeMap, tol: Tolerance, against: Verdict['against'] = 'reference'): Verdict {
  const nodes = common(chip, reference);
  let best: Difference | undefined;
  let differing = 0;
  for (const node of nodes) {
    const a = trains(chip.get(node));
    const b = trains(reference.get(node));
    const ids = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
    for (const n of ids) {
      const ta = a.get(n) ?? [];
      const tb = b.get(n) ?? [];
      if (Math.abs(ta.length - tb.length) <= tol.count + tol.rel * Math.max(ta.length, tb.length)) continue;
      differing++;
      const d = firstDiff(ta, tb)!;
      if (!best || d.step < best.step)
        best = { node, neuron: n, step: d.step, chipSpiked: d.inA, otherSpiked: d.inB, chipCount: ta.length, otherCount: tb.length };
    }
  }
  return { against, ok: differing === 0, nodes, differingNeurons: differing, ...(best ? { difference: best } : {}) };
}
