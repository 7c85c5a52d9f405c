/**
 * What the nodes of a reference run give before step 0 (docs/semantics.md §2).
 *
 * Rest output: sources and spiking neurons give zeros, graded neurons their initial v, a Delay its
 * input's rest value, a stateless node its output for its inputs at rest (an Affine its bias). A
 * Delay whose rest input depends on itself (a cycle with no neuron) reads zeros there.
 *
 * With sources read one step ahead (SimulateOptions.sourceLead) a source's output at step −1 is its
 * value of step 0, and so is everything a lag-0 chain of stateless nodes computes from it: `prev`.
 * Kernels that hold past inputs (Delay, SparseLinear with delays) are primed with both.
 */
import { specOf } from '../graph/registry.js';
import type { Counters } from './kernel.js';
import type { Plan } from './plan.js';

const isSource = (p: Plan): boolean => p.node.kind === 'Input' || p.node.kind === 'SpikeSource';

/** Σ of the plan's inputs as read at step −1: an edge of lag 0 reads its source at −1, longer lags at rest. */
function inputAt(p: Plan, read: (src: Plan, lag: number) => Float64Array | undefined): Float64Array | undefined {
  let x: Float64Array | undefined;
  for (const e of p.edges) {
    const r = read(e.src, e.lag);
    if (!r) continue;
    x ??= new Float64Array(p.xbuf.length);
    for (let j = 0; j < r.length; j++) x[e.offset + j] = x[e.offset + j]! + r[j]!;
  }
  return x;
}

/** The plan's input at step −1 when it differs from its rest input (a lag-0 edge from a source read ahead), else undefined. */
function inputBeforeStart(p: Plan): Float64Array | undefined {
  if (!p.edges.some((e) => e.lag === 0 && e.src.prev)) return undefined;
  return inputAt(p, (src, lag) => (lag === 0 ? (src.prev ?? src.rest) : src.rest));
}

const nonzero = (y: Float64Array | undefined): Float64Array | undefined => (y && y.some((v) => v !== 0) ? y : undefined);

/** A stateless node's output for the constant input x, without changing its state. */
function statelessOutput(p: Plan, x: Float64Array | undefined): Float64Array {
  const y = new Float64Array(p.kernel.size);
  const input = x ?? new Float64Array(p.xbuf.length); // inputs at rest may be zero and the output not (a bias)
  const scratch: Counters = { synapticEvents: 0 };
  if (p.kernel.rest) p.kernel.rest(input, y);
  else p.kernel.step(0, input, y, scratch);
  return y;
}

export function beforeStart(plans: readonly Plan[], sourceLead: boolean): void {
  const done = new Map<Plan, Float64Array | undefined>();
  const busy = new Set<Plan>();
  const restOf = (p: Plan): Float64Array | undefined => {
    if (done.has(p)) return done.get(p);
    if (busy.has(p)) return undefined;
    busy.add(p);
    const stateful = specOf(p.node).stateful && p.node.kind !== 'Delay';
    let y: Float64Array | undefined;
    if (isSource(p) || (stateful && p.kernel.spiking)) y = undefined;
    else if (stateful) y = p.kernel.vars.v ? Float64Array.from(p.kernel.vars.v) : undefined;
    else y = statelessOutput(p, inputAt(p, (src) => restOf(src)));
    busy.delete(p);
    const r = nonzero(y);
    done.set(p, r);
    return r;
  };
  for (const p of plans) {
    const r = restOf(p);
    if (r) p.rest = r;
  }

  if (sourceLead)
    for (const p of plans) {
      // topological order: the lag-0 sources of a plan come before it
      if (isSource(p)) {
        p.lead = true;
        p.prev = statelessOutput(p, undefined);
      } else if (!specOf(p.node).stateful) {
        const x = inputBeforeStart(p);
        if (x) p.prev = statelessOutput(p, x);
      }
    }

  for (const p of plans) {
    if (!p.kernel.prime) continue;
    const rest = inputAt(p, (src) => src.rest);
    const prev = sourceLead ? inputBeforeStart(p) : undefined;
    if (rest || prev) p.kernel.prime(rest ?? new Float64Array(p.xbuf.length), prev);
  }
}
