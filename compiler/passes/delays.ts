import type { Network, Population } from '../../src/chip/program.js';
import { profileValue } from '../../src/chip/profile.js';
import { diag, NeuromeshError } from '../../src/errors.js';
import type { PassContext } from '../context.js';

/** Longest relay chain built: delays up to 16 · (D + 1) + D steps (271 on spinnaker2). */
export const MAX_RELAY_HOPS = 16;

/**
 * Delay extension: synapses whose delay exceeds the chip's ring buffer (limits.maxDelaySteps, 15
 * on spinnaker2) are re-sourced from a chain of relay populations. Relay j is a copy of the pre
 * population made of IF neurons (threshold 0.5, input weight 1, reset to 0) fed one-to-one with
 * the largest delay D, so with the chip's one step per edge it re-emits every spike (D + 1)·j steps
 * later; a synapse of delay d comes from relay k = ⌈(d − D) / (D + 1)⌉ with delay d − (D + 1)·k,
 * and arrives exactly when the direct synapse would have. Relay neurons and their one-to-one
 * synapses are counted apart from the model's (role 'relay', Projection.relay).
 */
export function extendDelays(net: Network, ctx: PassContext): { relays: number; moved: number } {
  const D = profileValue(ctx.backend.profile, 'limits.maxDelaySteps');
  const step = D + 1;
  let relays = 0;
  let moved = 0;
  const chains = new Map<number, number[]>(); // pre population → relay population per hop
  const relayOf = (pre: number, hop: number): number => {
    const chain = chains.get(pre) ?? chains.set(pre, []).get(pre)!;
    while (chain.length < hop) {
      const from = chain.length ? chain[chain.length - 1]! : pre;
      const src = net.populations[pre]!;
      const r = ctx.config.ifMode === 'ode' ? 1 / ctx.config.dt : 1;
      const pop: Population = {
        index: net.populations.length, name: `${src.name}~delay${chain.length + 1}`, kind: 'IF', role: 'relay', size: src.size, shape: src.shape,
        params: { r: Float64Array.of(r), v_threshold: Float64Array.of(0.5), v_reset: Float64Array.of(0) }, receptors: 1, spiking: true, output: false,
      };
      net.populations.push(pop);
      relays += src.size;
      const n = src.size;
      const indptr = new Uint32Array(n + 1);
      const target = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        indptr[i + 1] = i + 1;
        target[i] = i;
      }
      net.projections.push({
        index: net.projections.length, name: `${pop.name}.in`, nodes: [], pre: from, post: pop.index, receptor: 0,
        indptr, target, weight: new Float64Array(n).fill(1), delay: new Uint32Array(n).fill(D), storedWeights: 0, relay: true,
      });
      chain.push(pop.index);
    }
    return chain[hop - 1]!;
  };
  const original = net.projections.length;
  for (let k = 0; k < original; k++) {
    const pr = net.projections[k]!;
    const delay = pr.delay;
    if (!delay || pr.relay) continue;
    let far = 0;
    for (let s = 0; s < delay.length; s++) if (delay[s]! > D) far++;
    if (!far) continue;
    const pre = net.populations[pr.pre]!;
    let longest = 0;
    for (let s = 0; s < delay.length; s++) if (delay[s]! > longest) longest = delay[s]!;
    if (Math.ceil((longest - D) / step) > MAX_RELAY_HOPS)
      throw new NeuromeshError([diag('E_DELAY_RANGE', `a synaptic delay of ${longest} steps needs more than ${MAX_RELAY_HOPS} delay-extension relays (at most ${MAX_RELAY_HOPS * step + D} steps)`, {
        node: pr.name, chip: ctx.backend.id, hint: 'shorten the delay or use a larger dt',
      })]);
    // split: near synapses stay; far ones go to per-hop projections from the relays
    const hopOf = (d: number): number => (d > D ? Math.ceil((d - D) / step) : 0);
    const groups = new Map<number, { indptr: Uint32Array; target: number[]; weight: number[]; delay: number[] }>();
    const group = (h: number) => groups.get(h) ?? groups.set(h, { indptr: new Uint32Array(pre.size + 1), target: [], weight: [], delay: [] }).get(h)!;
    for (let i = 0; i < pre.size; i++) {
      for (let s = pr.indptr[i]!; s < pr.indptr[i + 1]!; s++) {
        const d = delay[s]!;
        const h = hopOf(d);
        const g = group(h);
        g.target.push(pr.target[s]!);
        g.weight.push(pr.weight[s]!);
        g.delay.push(d - step * h);
      }
      for (const g of groups.values()) g.indptr[i + 1] = g.target.length;
    }
    moved += far;
    for (const [h, g] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
      // rows of pre neurons visited before this group existed
      for (let i = 1; i <= pre.size; i++) if (g.indptr[i]! < g.indptr[i - 1]!) g.indptr[i] = g.indptr[i - 1]!;
      const fields = { indptr: g.indptr, target: Uint32Array.from(g.target), weight: Float64Array.from(g.weight), delay: Uint32Array.from(g.delay) };
      if (h === 0) net.projections[k] = { ...pr, ...fields };
      else {
        const relay = relayOf(pr.pre, h); // may push the relay's own projections first
        net.projections.push({ ...pr, ...fields, index: net.projections.length, name: `${pr.name}~delay${h}`, pre: relay, storedWeights: 0 });
      }
    }
    if (!groups.has(0)) net.projections[k] = { ...pr, indptr: new Uint32Array(pre.size + 1), target: new Uint32Array(0), weight: new Float64Array(0), delay: new Uint32Array(0) };
  }
  return { relays, moved };
}
