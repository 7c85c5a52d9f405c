import { diag, isError, NeuromeshError, throwIfErrors, type Diagnostic } from '../errors.js';
import { analyze, type FlatNode, type Graph } from '../graph/graph.js';
import { specOf } from '../graph/registry.js';
import { numel, type Shape } from '../graph/tensor.js';
import type { StepInput } from '../io/spikes.js';
import { resolveConfig, type RunConfig } from './config.js';
import { isKernel, type Counters, type Kernel, type ThresholdDecider } from './kernel.js';
import { makeKernel } from './kernels/index.js';
import { SpikeBuffer, type RecordSpec } from './record.js';
import { beforeStart } from './before-start.js';
import type { InEdge, Plan } from './plan.js';

/** Largest number of trace values kept in memory (8 bytes each). */
export const MAX_TRACE_VALUES = 50_000_000;

export interface SimulateOptions extends Partial<RunConfig> {
  steps: number;
  /** External input per Input-node name (src/io/spikes.ts parseInputSpecs). */
  inputs: ReadonlyMap<string, StepInput>;
  record?: RecordSpec;
  /** Called every ~0.5 % of the run and at the end with the number of steps done. */
  onProgress?: (done: number, total: number) => void;
  /** File the graph came from (for diagnostics). */
  file?: string;
  /**
   * Read every source (Input, SpikeSource) one step ahead: at step t it gives its value of step
   * t + 1, and before step 0 (at step −1) its value of step 0. With `delay 1` this is how a chip
   * whose input spikes reach their first targets in the tick they occur is compared
   * (docs/semantics.md §2); recorded source spikes keep their own steps.
   */
  sourceLead?: boolean;
  /**
   * Per spiking node, who decides its threshold crossings (default: v > threshold). `check` passes
   * one that follows the chip within the chip's declared resolution of the threshold.
   */
  thresholdTies?: (node: string) => ThresholdDecider | undefined;
}

/** A recorded trace: values[step·(end − start) + (neuron − start)]. */
export interface TraceData {
  start: number;
  end: number;
  values: Float64Array;
}

export interface RunResult {
  config: RunConfig;
  /** Output shape of every node. */
  shapes: Map<string, Shape>;
  /** Spike events per recorded node, sorted by step then neuron (C-order flat indices). */
  spikes: Map<string, { steps: Int32Array; neurons: Int32Array }>;
  /** Spikes per neuron of every node whose spikes were recorded. */
  counts: Map<string, Uint32Array>;
  /** node → var → trace. */
  traces: Map<string, Map<string, TraceData>>;
  totals: {
    /** Neuron-population elements × steps. */
    neuronUpdates: number;
    /** Synapses traversed by a nonzero value (SparseLinear, Linear, Affine). */
    synapticEvents: number;
    /** Spikes of the recorded nodes. */
    spikes: number;
  };
  /** Warnings (never errors: those throw). */
  diagnostics: Diagnostic[];
}

const PASS_THROUGH = new Set(['Output', 'Flatten', 'Delay']);

/** Forward Euler with dt > τ gives a = 1 − dt/τ < 0: the state oscillates and may diverge. */
function eulerWarnings(graph: Graph, cfg: RunConfig, file?: string): Diagnostic[] {
  if (cfg.integrator !== 'euler') return [];
  const d: Diagnostic[] = [];
  for (const n of graph.nodes) {
    for (const field of ['tau', 'tau_mem', 'tau_syn'] as const) {
      const t = (n as unknown as Record<string, { data: ArrayLike<number> } | undefined>)[field];
      if (!t || typeof t !== 'object' || !('data' in t)) continue;
      let min = Infinity;
      // tau_syn 0 is a delta synapse (no decay to be unstable)
      for (let k = 0; k < t.data.length; k++) if (t.data[k] !== 0) min = Math.min(min, t.data[k]!);
      if (cfg.dt > min) {
        d.push(diag('W_EULER_UNSTABLE', `dt ${cfg.dt} s exceeds the time constant ${min} s: a = 1 − dt/τ = ${1 - cfg.dt / min} < 0`, {
          severity: 'warning', node: n.name, field, ...(file ? { file } : {}), hint: 'use --integrator exact or a smaller --dt',
        }));
        break;
      }
    }
  }
  return d;
}

/**
 * A prepared run: per-node plans with typed arrays, built once. `advance(to)` runs steps without
 * allocating; `result()` collects the recording.
 */
export class Simulation {
  readonly config: RunConfig;
  private readonly plans: Plan[];
  private readonly shapes: Map<string, Shape>;
  private readonly counters: Counters = { synapticEvents: 0 };
  private readonly neuronsPerStep: number;
  private readonly warnings: Diagnostic[];
  private t = 0;

  private constructor(config: RunConfig, plans: Plan[], shapes: Map<string, Shape>, neuronsPerStep: number, warnings: Diagnostic[]) {
    this.config = config;
    this.plans = plans;
    this.shapes = shapes;
    this.neuronsPerStep = neuronsPerStep;
    this.warnings = warnings;
  }

  /** Validate the graph (analyze()), the options and the recording; throws NeuromeshError (exit 2). */
  static create(graph: Graph, opts: SimulateOptions): Simulation {
    const { config, diagnostics: cd } = resolveConfig(opts);
    throwIfErrors(cd);
    const cfg = config!;
    const { shapes, diagnostics } = analyze(graph, opts.file);
    throwIfErrors(diagnostics);
    const info = shapes!;
    const warnings = [...diagnostics.filter((x) => !isError(x)), ...eulerWarnings(graph, cfg, opts.file)];
    const byName = new Map(graph.nodes.map((n) => [n.name, n]));
    const plans = new Map<string, Plan>();
    const d: Diagnostic[] = [];
    for (const name of info.order.order) {
      const node = byName.get(name)!;
      const kernel = makeKernel(node, {
        cfg,
        inShape: info.input.get(name),
        outShape: info.output.get(name)!,
        inputs: opts.inputs,
        ...(opts.file ? { file: opts.file } : {}),
        ...(opts.thresholdTies?.(name) ? { decide: opts.thresholdTies(name)! } : {}),
      });
      if (!isKernel(kernel)) {
        d.push(...kernel);
        continue;
      }
      plans.set(name, { node, kernel, outs: [], depth: 1, edges: [], xbuf: new Float64Array(0), traces: [], firstCopies: false });
    }
    for (const n of graph.nodes)
      if (n.kind === 'Input' && !opts.inputs.has(n.name))
        warnings.push(diag('W_NO_INPUT', 'Input node has no input: it gives zeros', {
          severity: 'warning', node: n.name, ...(opts.file ? { file: opts.file } : {}),
          hint: `pass --input ${n.name}=<file.npy|file.csv|trace:file.csv|poisson:rate=HZ,seed=S>`,
        }));
    for (const name of opts.inputs.keys())
      if (byName.get(name)?.kind !== 'Input')
        d.push(diag('E_UNKNOWN_NODE', `an input is given for '${name}', which is not an Input node of the graph`, {
          node: name, ...(opts.file ? { file: opts.file } : {}),
          hint: `Input nodes: ${graph.nodes.filter((n) => n.kind === 'Input').map((n) => n.name).join(', ') || 'none'}`,
        }));
    throwIfErrors(d);

    graph.edges.forEach((e, k) => {
      const src = plans.get(e.from)!;
      const dst = plans.get(e.to)!;
      const lag = (info.order.backEdges.has(k) ? 1 : 0) + (cfg.delay === 1 && specOf(dst.node).stateful ? 1 : 0);
      let receptor = 0;
      if (src.node.kind === 'SparseLinear' && dst.node.kind === 'CurrentLIF') {
        receptor = src.node.receptor;
        if (receptor >= dst.kernel.receptors)
          d.push(diag('E_BAD_RECEPTOR', `projection '${e.from}' feeds receptor ${receptor}, but '${e.to}' has ${dst.kernel.receptors} receptor(s)`, {
            node: e.from, field: 'receptor', ...(opts.file ? { file: opts.file } : {}), hint: `use a receptor in 0..${dst.kernel.receptors - 1}`,
          }));
      }
      if (src.kernel.size !== dst.kernel.size && dst.node.kind !== 'Output' && specOf(dst.node).neuron && dst.node.kind !== 'Threshold')
        d.push(diag('E_SHAPE_MISMATCH', `edge ${e.from} → ${e.to} carries ${src.kernel.size} values into ${dst.kernel.size} neurons`, { node: e.to }));
      dst.edges.push({ src, lag, offset: receptor * dst.kernel.size, first: false });
      src.depth = Math.max(src.depth, lag + 1);
    });
    throwIfErrors(d);

    let neuronsPerStep = 0;
    const ordered = info.order.order.map((n) => plans.get(n)!);
    for (const p of ordered) {
      p.outs = Array.from({ length: p.depth }, () => new Float64Array(p.kernel.size));
      const inSize = p.edges.length ? numel(info.input.get(p.node.name) ?? [p.kernel.size]) : p.kernel.size;
      if (p.edges.length === 1 && p.edges[0]!.lag === 0 && p.kernel.receptors === 1) p.direct = p.edges[0]!.src;
      p.xbuf = new Float64Array(Math.max(inSize, p.kernel.size) * p.kernel.receptors);
      // copy-first needs every receptor block covered by an edge whose source fills it entirely
      const blocks = new Map<number, InEdge>();
      for (const e of p.edges) if (!blocks.has(e.offset)) blocks.set(e.offset, e);
      const blockSize = p.xbuf.length / p.kernel.receptors;
      p.firstCopies = blocks.size === p.kernel.receptors && [...blocks.values()].every((e) => e.src.kernel.size === blockSize);
      if (p.firstCopies) for (const e of blocks.values()) e.first = true;
      if (specOf(p.node).neuron) neuronsPerStep += p.kernel.size;
    }
    beforeStart(ordered, opts.sourceLead === true);
    const sim = new Simulation(cfg, ordered, info.output, neuronsPerStep, warnings);
    sim.setupRecording(opts.record, cfg.steps, opts.file);
    return sim;
  }

  private setupRecording(spec: RecordSpec | undefined, steps: number, file?: string): void {
    const byName = new Map(this.plans.map((p) => [p.node.name, p]));
    const spiking = new Set<string>();
    for (const p of this.plans) {
      const passes = PASS_THROUGH.has(p.node.kind) && p.edges.length > 0 && p.edges.every((e) => spiking.has(e.src.node.name));
      if (p.kernel.spiking || passes) spiking.add(p.node.name);
    }
    const d: Diagnostic[] = [];
    const where = file ? { file } : {};
    const known = (name: string): Plan | undefined => {
      const p = byName.get(name);
      if (!p) {
        const names = [...byName.keys()];
        d.push(diag('E_UNKNOWN_NODE', `--record names unknown node '${name}'`, {
          ...where, field: 'record', hint: `nodes: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}`,
        }));
      }
      return p;
    };
    const spikeNodes = new Set<string>();
    const traces: { p: Plan; var: string; start?: number; end?: number }[] = [];
    if (!spec || spec.all) {
      for (const p of this.plans) {
        if (spiking.has(p.node.name) && !(p.node.kind === 'Input' && !p.kernel.spiking)) spikeNodes.add(p.node.name);
        else if (p.node.kind === 'Output') traces.push({ p, var: 'y' });
      }
    }
    for (const name of spec?.spikes ?? []) if (known(name)) spikeNodes.add(name);
    for (const name of spec?.auto ?? []) {
      const p = known(name);
      if (!p) continue;
      if (spiking.has(name)) spikeNodes.add(name);
      else traces.push({ p, var: 'y' });
    }
    for (const r of spec?.traces ?? []) {
      const p = known(r.node);
      if (p) traces.push({ p, var: r.var, ...(r.start !== undefined ? { start: r.start } : {}), ...(r.end !== undefined ? { end: r.end } : {}) });
    }
    let total = 0;
    for (const tr of traces) {
      const p = tr.p;
      const vars = ['y', ...Object.keys(p.kernel.vars)];
      if (!vars.includes(tr.var)) {
        d.push(diag('E_BAD_OPTION', `node '${p.node.name}' (${p.node.kind}) has no variable '${tr.var}'`, { ...where, node: p.node.name, field: 'record', hint: `record one of: ${vars.join(', ')}` }));
        continue;
      }
      const n = p.kernel.size;
      const start = tr.start ?? 0;
      const end = Math.min(tr.end ?? n, n);
      if (start >= end || (tr.end !== undefined && tr.end > n)) {
        d.push(diag('E_BAD_OPTION', `neuron range [${start}:${tr.end ?? n}] is empty or outside the ${n} neurons`, { ...where, node: p.node.name, field: 'record', hint: `indices run from 0 to ${n - 1}` }));
        continue;
      }
      if (p.traces.some((x) => x.var === tr.var)) continue; // recorded once
      total += (end - start) * steps;
      if (total > MAX_TRACE_VALUES) {
        d.push(diag('E_TOO_LARGE', `traces would hold ${total} values (limit ${MAX_TRACE_VALUES})`, { ...where, node: p.node.name, field: 'record', hint: 'record fewer neurons, e.g. node:v[0:100], or fewer steps' }));
        break;
      }
      p.traces.push({ var: tr.var, src: tr.var === 'y' ? 'y' : p.kernel.vars[tr.var]!, start, end, values: new Float64Array((end - start) * steps) });
    }
    throwIfErrors(d);
    for (const name of spikeNodes) {
      const p = byName.get(name)!;
      p.spikes = new SpikeBuffer();
      p.counts = new Uint32Array(p.kernel.size);
    }
  }

  /** Steps done so far. */
  get step(): number {
    return this.t;
  }

  /** Run steps up to (not including) `to` (capped at config.steps). */
  advance(to: number): void {
    const end = Math.min(to, this.config.steps);
    const plans = this.plans;
    const counters = this.counters;
    for (let t = this.t; t < end; t++) {
      for (let q = 0; q < plans.length; q++) {
        const p = plans[q]!;
        let x: Float64Array;
        if (p.direct) x = p.direct.outs[t % p.direct.depth]!;
        else {
          x = p.xbuf;
          if (p.edges.length) {
            // x = Σ edges in graph order (0 + a is a: the first present edge of a block is copied)
            if (!p.firstCopies) x.fill(0);
            for (let q2 = 0; q2 < p.edges.length; q2++) {
              const e = p.edges[q2]!;
              const tt = t - e.lag;
              const src = tt >= 0 ? e.src.outs[tt % e.src.depth]! : tt === -1 ? (e.src.prev ?? e.src.rest) : e.src.rest;
              if (e.first) {
                if (src) x.set(src, e.offset);
                else x.fill(0, e.offset, e.offset + e.src.kernel.size);
              } else if (src) {
                const off = e.offset;
                for (let j = 0; j < src.length; j++) x[off + j] = x[off + j]! + src[j]!;
              }
            }
          }
        }
        const y = p.outs[t % p.depth]!;
        if (p.lead) {
          // a source read one step ahead: y holds its value of step t + 1, recorded there
          p.kernel.step(t + 1, x, y, counters);
          if (t === 0 && p.prev) this.record(p, 0, p.prev);
          if (t + 1 < this.config.steps) this.record(p, t + 1, y);
        } else {
          p.kernel.step(t, x, y, counters);
          this.record(p, t, y);
        }
      }
    }
    this.t = Math.max(this.t, end);
  }

  /** Record a node's output of step t (spikes, counts, traces). */
  private record(p: Plan, t: number, y: Float64Array): void {
    if (p.spikes) {
      const c = p.counts!;
      for (let j = 0; j < y.length; j++) {
        if (y[j] !== 0) {
          p.spikes.push(t, j);
          c[j]!++;
        }
      }
    }
    for (let q2 = 0; q2 < p.traces.length; q2++) {
      const tr = p.traces[q2]!;
      const src = tr.src === 'y' ? y : tr.src;
      const base = t * (tr.end - tr.start) - tr.start;
      for (let j = tr.start; j < tr.end; j++) tr.values[base + j] = src[j]!;
    }
  }

  result(): RunResult {
    const spikes = new Map<string, { steps: Int32Array; neurons: Int32Array }>();
    const counts = new Map<string, Uint32Array>();
    const traces = new Map<string, Map<string, TraceData>>();
    let nSpikes = 0;
    for (const p of this.plans) {
      if (p.spikes) {
        spikes.set(p.node.name, p.spikes.trimmed());
        counts.set(p.node.name, p.counts!);
        nSpikes += p.spikes.length;
      }
      if (p.traces.length) {
        const m = new Map<string, TraceData>();
        for (const tr of p.traces) m.set(tr.var, { start: tr.start, end: tr.end, values: tr.values.subarray(0, this.t * (tr.end - tr.start)) });
        traces.set(p.node.name, m);
      }
    }
    return {
      config: { ...this.config, steps: this.t },
      shapes: this.shapes,
      spikes,
      counts,
      traces,
      totals: { neuronUpdates: this.neuronsPerStep * this.t, synapticEvents: this.counters.synapticEvents, spikes: nSpikes },
      diagnostics: this.warnings,
    };
  }
}

/**
 * Run `graph` in float64 with the semantics of docs/semantics.md §1–§4.
 *  - Nodes are evaluated in topoOrder() order; a node's input is the sum, in graph edge order, of
 *    its incoming edges' source outputs.
 *  - Edge lag in steps = 1 if the edge closes a cycle (topoOrder's back edges) + 1 with delay=1
 *    when the target is stateful (neurons, Delay). The two add: with delay=1 a cycle-closing edge
 *    into a neuron reads step t−2. SparseLinear adds its per-synapse delays on top.
 *  - Spiking is strict (>), recorded v is after reset, state starts at 0 (CurrentLIF: v_init if given,
 *    else 0 too); Input nodes without input give zeros (W_NO_INPUT warning).
 * Throws NeuromeshError (exit 2) on a bad graph, option, input or recording request; warnings
 * (W_NO_INPUT, W_EULER_UNSTABLE, analyze()'s) are returned in `diagnostics`.
 */
export function simulate(graph: Graph, opts: SimulateOptions): RunResult {
  const sim = Simulation.create(graph, opts);
  const total = sim.config.steps;
  if (!opts.onProgress) sim.advance(total);
  else {
    const chunk = Math.max(1, Math.floor(total / 200));
    for (let t = 0; t < total; t += chunk) {
      sim.advance(t + chunk);
      opts.onProgress(sim.step, total);
    }
  }
  return sim.result();
}

/**
 * As simulate(), but yields to the event loop every ~50 ms so that progress bars redraw and
 * Ctrl-C is handled during long runs. `signal` aborts with exit code 130.
 */
export async function simulateAsync(graph: Graph, opts: SimulateOptions & { signal?: AbortSignal }): Promise<RunResult> {
  const sim = Simulation.create(graph, opts);
  const total = sim.config.steps;
  let chunk = 16;
  while (sim.step < total) {
    if (opts.signal?.aborted) throw new NeuromeshError([diag('E_INTERRUPTED', 'simulation interrupted')]);
    const t0 = performance.now();
    sim.advance(sim.step + chunk);
    const ms = performance.now() - t0;
    chunk = Math.max(1, Math.min(1 << 20, Math.round(ms > 0 ? (chunk * 50) / ms : chunk * 2)));
    opts.onProgress?.(sim.step, total);
    await new Promise<void>((r) => setImmediate(r));
  }
  return sim.result();
}
