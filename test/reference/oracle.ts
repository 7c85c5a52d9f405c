import { analyze, topoOrder, type FlatNode, type Graph } from '../../src/graph/graph.js';
import { numel, type FloatTensor } from '../../src/graph/tensor.js';
import type { RunConfig } from '../../src/reference/config.js';

/**
 * A deliberately plain, slow re-implementation of docs/semantics.md §2 for NIR kinds, written from the
 * text and sharing no code with src/reference: per-element loops, a full output history per node,
 * parameters read with broadcasting at every use. Used to check the optimized simulator.
 * Returns every node's output y_t for every step, and v (after reset) and i of neuron nodes.
 */
export function oracleRun(g: Graph, inputs: Map<string, number[][]>, cfg: RunConfig): { y: Map<string, number[][]>; v: Map<string, number[][]>; i: Map<string, number[][]> } {
  const { shapes } = analyze(g);
  if (!shapes) throw new Error('oracle: graph does not analyze');
  const { order, backEdges } = topoOrder(g);
  const byName = new Map(g.nodes.map((n) => [n.name, n]));
  const out = new Map<string, number[][]>(g.nodes.map((n) => [n.name, []]));
  const xHist = new Map<string, number[][]>(g.nodes.map((n) => [n.name, []]));
  const state = new Map<string, { v: number[]; i: number[] }>();
  const vHist = new Map<string, number[][]>(g.nodes.map((n) => [n.name, []]));
  const iHist = new Map<string, number[][]>(g.nodes.map((n) => [n.name, []]));
  const P = (t: FloatTensor | undefined, k: number, dflt: number): number => (t ? (t.data.length === 1 ? t.data[0]! : t.data[k]!) : dflt);
  // tau 0 (tau_syn of a delta synapse): a = 0, nothing kept (docs/semantics.md §2)
  const a = (tau: number): number => (tau === 0 ? 0 : cfg.integrator === 'euler' ? 1 - cfg.dt / tau : Math.exp(-cfg.dt / tau));
  const stateful = (n: FlatNode): boolean => ['I', 'IF', 'LI', 'LIF', 'CubaLI', 'CubaLIF', 'Delay'].includes(n.kind);

  const sizeOf = (name: string): [number, number] => {
    const inShape = shapes.input.get(name);
    return [numel(shapes.output.get(name)!), inShape ? numel(inShape) : 0];
  };
  const sumInputs = (name: string, read: (from: string, lag: number) => number[]): number[] => {
    const x = new Array<number>(sizeOf(name)[1]).fill(0);
    g.edges.forEach((e, k) => {
      if (e.to !== name) return;
      const lag = (backEdges.has(k) ? 1 : 0) + (cfg.delay === 1 && stateful(byName.get(name)!) ? 1 : 0);
      const src = read(e.from, lag);
      for (let j = 0; j < x.length; j++) x[j]! += src[j]!;
    });
    return x;
  };
  // §2, before step 0: every node's rest output. Neurons rest at v = 0 (no spikes), Input gives
  // zeros, a Delay passes its input's rest value, a stateless node computes from its inputs' rest
  // values. Iterated in order until nothing changes (back edges may point forward).
  const rest = new Map<string, number[]>(g.nodes.map((n) => [n.name, new Array<number>(sizeOf(n.name)[0]).fill(0)]));
  for (let pass = 0; pass <= order.length; pass++)
    for (const name of order) {
      const node = byName.get(name)!;
      if (node.kind === 'Input' || (stateful(node) && node.kind !== 'Delay')) continue;
      const x = sumInputs(name, (from) => rest.get(from)!);
      rest.set(name, node.kind === 'Delay' ? x : evalNode(name, x, 0, { v: [], i: [] }));
    }

  for (let t = 0; t < cfg.steps; t++) {
    for (const name of order) {
      const x = sumInputs(name, (from, lag) => (t - lag < 0 ? rest.get(from)! : out.get(from)![t - lag]!));
      xHist.get(name)!.push(x);
      const n = sizeOf(name)[0];
      if (!state.has(name)) state.set(name, { v: new Array<number>(n).fill(0), i: new Array<number>(n).fill(0) });
      const s = state.get(name)!;
      const y = evalNode(name, x, t, s);
      out.get(name)!.push(y);
      vHist.get(name)!.push([...s.v]);
      iHist.get(name)!.push([...s.i]);
    }
  }
  return { y: out, v: vHist, i: iHist };

  /** One node's output at step t for its summed input x (the stateless kinds also at rest). */
  function evalNode(name: string, x: number[], t: number, s: { v: number[]; i: number[] }): number[] {
      const node = byName.get(name)!;
      const outShape = shapes!.output.get(name)!;
      const n = numel(outShape);
      const inShape = shapes!.input.get(name);
      let y = new Array<number>(n).fill(0);
      const fire = (k: number, th: number, vr: number): number => {
        if (s.v[k]! > th) {
          s.v[k] = cfg.reset === 'zero' ? vr : s.v[k]! - th;
          return 1;
        }
        return 0;
      };
      switch (node.kind) {
        case 'Input': {
          const rows = inputs.get(name);
          y = rows && t < rows.length ? [...rows[t]!] : y;
          break;
        }
        case 'Output':
        case 'Flatten':
          y = x.slice(0, n);
          break;
        case 'Affine':
        case 'Linear': {
          const [O, I] = node.weight.shape as [number, number];
          for (let b = 0; b < n / O; b++)
            for (let o = 0; o < O; o++) {
              let acc = 0;
              for (let i = 0; i < I; i++) acc += node.weight.data[o * I + i]! * x[b * I + i]!;
              y[b * O + o] = acc + (node.kind === 'Affine' ? P(node.bias, o, 0) : 0);
            }
          break;
        }
        case 'Scale':
          for (let k = 0; k < n; k++) y[k] = P(node.scale, k, 1) * x[k]!;
          break;
        case 'Threshold':
          for (let k = 0; k < n; k++) y[k] = x[k]! > P(node.threshold, k, 0) ? 1 : 0;
          break;
        case 'Delay':
          for (let k = 0; k < n; k++) {
            const d = Math.round(P(node.delay, k, 0) / cfg.dt);
            y[k] = t - d >= 0 ? xHist.get(name)![t - d]![k]! : (sumInputs(name, (from) => rest.get(from)!)[k] ?? 0);
          }
          break;
        case 'Conv1d':
        case 'Conv2d': {
          const two = node.kind === 'Conv2d';
          const [C, H, W] = two ? (inShape as number[]) : [inShape![0]!, 1, inShape![1]!];
          const ws = node.weight.shape;
          const [Co, Cg, KH, KW] = two ? ws : [ws[0]!, ws[1]!, 1, ws[2]!];
          const [Ho, Wo] = two ? [outShape[1]!, outShape[2]!] : [1, outShape[1]!];
          const st = two ? node.stride : [1, node.stride[0]!];
          const pd = two ? node.padding : [0, node.padding[0]!];
          const dl = two ? node.dilation : [1, node.dilation[0]!];
          void C;
          for (let co = 0; co < Co!; co++) {
            const g0 = Math.floor(co / (Co! / node.groups)) * Cg!;
            for (let oy = 0; oy < Ho!; oy++)
              for (let ox = 0; ox < Wo!; ox++) {
                let acc = 0;
                for (let ci = 0; ci < Cg!; ci++)
                  for (let ky = 0; ky < KH!; ky++)
                    for (let kx = 0; kx < KW!; kx++) {
                      const iy = oy * st[0]! - pd[0]! + ky * dl[0]!;
                      const ix = ox * st[1]! - pd[1]! + kx * dl[1]!;
                      if (iy >= 0 && iy < H! && ix >= 0 && ix < W!)
                        acc += node.weight.data[((co * Cg! + ci) * KH! + ky) * KW! + kx]! * x[((g0 + ci) * H! + iy) * W! + ix]!;
                    }
                y[(co * Ho! + oy) * Wo! + ox] = acc + P(node.bias, co, 0);
              }
          }
          break;
        }
        case 'SumPool2d':
        case 'AvgPool2d': {
          const [C, H, W] = inShape as number[];
          const [, Ho, Wo] = outShape;
          const [k0, k1] = node.kernel_size as [number, number];
          for (let c = 0; c < C!; c++)
            for (let oy = 0; oy < Ho!; oy++)
              for (let ox = 0; ox < Wo!; ox++) {
                let acc = 0;
                for (let ky = 0; ky < k0; ky++)
                  for (let kx = 0; kx < k1; kx++) {
                    const iy = oy * node.stride[0]! - node.padding[0]! + ky;
                    const ix = ox * node.stride[1]! - node.padding[1]! + kx;
                    if (iy >= 0 && iy < H! && ix >= 0 && ix < W!) acc += x[(c * H! + iy) * W! + ix]!;
                  }
                y[(c * Ho! + oy) * Wo! + ox] = node.kind === 'AvgPool2d' ? acc / (k0 * k1) : acc;
              }
          break;
        }
        case 'I':
        case 'IF':
          for (let k = 0; k < n; k++) {
            s.v[k] = cfg.ifMode === 'step' ? s.v[k]! + P(node.r, k, 1) * x[k]! : s.v[k]! + cfg.dt * P(node.r, k, 1) * x[k]!;
            y[k] = node.kind === 'IF' ? fire(k, P(node.v_threshold, k, 0), P(node.v_reset, k, 0)) : s.v[k]!;
          }
          break;
        case 'LI':
        case 'LIF':
          for (let k = 0; k < n; k++) {
            const ak = a(P(node.tau, k, 1));
            const vl = P(node.v_leak, k, 0);
            s.v[k] = vl + (s.v[k]! - vl) * ak + P(node.r, k, 1) * x[k]! * (1 - ak);
            y[k] = node.kind === 'LIF' ? fire(k, P(node.v_threshold, k, 0), P(node.v_reset, k, 0)) : s.v[k]!;
          }
          break;
        case 'CubaLI':
        case 'CubaLIF':
          for (let k = 0; k < n; k++) {
            const as = a(P(node.tau_syn, k, 1));
            const am = a(P(node.tau_mem, k, 1));
            const vl = P(node.v_leak, k, 0);
            s.i[k] = s.i[k]! * as + P(node.w_in, k, 1) * x[k]! * (1 - as);
            s.v[k] = vl + (s.v[k]! - vl) * am + P(node.r, k, 1) * s.i[k]! * (1 - am);
            y[k] = node.kind === 'CubaLIF' ? fire(k, P(node.v_threshold, k, 0), P(node.v_reset, k, 0)) : s.v[k]!;
          }
          break;
        default:
          throw new Error(`oracle: ${node.kind} is not a NIR kind`);
      }
      return y;
  }
}
