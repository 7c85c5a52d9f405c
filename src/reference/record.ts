import { checkInt } from '../number-intake.js';
import { diag, type Diagnostic } from '../errors.js';

/** One recorded state trace: variable `var` of neurons start … end−1 (C-order flat indices) of `node`. */
export interface TraceRequest {
  node: string;
  /** 'v', 'i', 'y' (the node's output), CurrentLIF also 'i_<receptor>'. */
  var: string;
  /** First neuron (default 0). */
  start?: number;
  /** One past the last neuron (default: all). */
  end?: number;
}

/**
 * What to record. Absent (or `all: true`): spikes and spike counts of every spiking node
 * (IF, LIF, CubaLIF, Threshold, CurrentLIF, SpikeSource, Poisson inputs, and Output/Flatten/Delay
 * nodes fed only by spiking nodes) and the output `y` of every non-spiking Output node.
 */
export interface RecordSpec {
  /** Include the default set above as well. */
  all?: boolean;
  /** Nodes whose spikes and spike counts are recorded (a step where the output is ≠ 0 is a spike). */
  spikes?: string[];
  traces?: TraceRequest[];
  /** Nodes named without a variable: spikes if the node spikes, else its output trace `y`. */
  auto?: string[];
}

/**
 * Parse `--record` items: comma-separated, each `node` (spikes if it spikes, else its output y),
 * `node:spikes`, `node:VAR` or `node:VAR[a:b]` / `node:VAR[k]` (neurons a … b−1, C-order flat
 * indices; either bound may be omitted), or `all` (the default set). Node names may contain
 * dots (`lif1.lif`) but not ':' (which separates the variable) or '['.
 */
export function parseRecordSpecs(items: readonly string[]): { spec?: RecordSpec; diagnostics: Diagnostic[] } {
  const spec: RecordSpec = {};
  const d: Diagnostic[] = [];
  const push = (k: 'spikes' | 'auto', v: string): void => {
    (spec[k] ??= []).push(v);
  };
  for (const raw of items.flatMap((s) => splitTop(s))) {
    const item = raw.trim();
    if (item === '') {
      // `-r ''` or `-r a,,b`: an empty item records nothing, so it is a slip, not a wish
      d.push(diag('E_BAD_OPTION', `--record has an empty item (${JSON.stringify(items.join(','))})`, { field: 'record', hint: 'use node, node:spikes, node:v, node:v[0:10] or all, comma-separated' }));
      continue;
    }
    if (item === 'all' || item === '*') {
      spec.all = true;
      continue;
    }
    const m = /^(.+?)(?::([A-Za-z_][A-Za-z0-9_]*)(?:\[\s*(-?\d*)\s*(?:(:)\s*(-?\d*)\s*)?\])?)?$/.exec(item);
    if (!m || m[1]!.includes('[') || m[1]!.includes(':')) {
      d.push(diag('E_BAD_OPTION', `--record '${item}' is not understood`, { field: 'record', hint: 'use node, node:spikes, node:v or node:v[0:10]' }));
      continue;
    }
    const node = m[1]!;
    const v = m[2];
    if (v === undefined) push('auto', node);
    else if (v === 'spikes' || v === 'counts') push('spikes', node);
    else {
      const req: TraceRequest = { node, var: v };
      const a = m[3];
      const colon = m[4];
      const b = m[5];
      // indices past 2^53 would round to another neuron: refused with the text as typed
      const index = (t: string): number | undefined => {
        const r = checkInt(t, { what: `--record '${item}': neuron index`, where: { field: 'record', node } });
        if (typeof r === 'number') return r;
        d.push(r);
        return undefined;
      };
      const start = a !== undefined && a !== '' ? index(a) : undefined;
      const end = b !== undefined && b !== '' ? index(b) : undefined;
      if ((a !== undefined && a !== '' && start === undefined) || (b !== undefined && b !== '' && end === undefined)) continue;
      if (start !== undefined) req.start = start;
      if (colon === undefined && start !== undefined) req.end = start + 1;
      else if (end !== undefined) req.end = end;
      if ((req.start !== undefined && req.start < 0) || (req.end !== undefined && req.end < 0)) {
        d.push(diag('E_BAD_OPTION', `--record '${item}': neuron indices must be ≥ 0`, { field: 'record', node }));
        continue;
      }
      (spec.traces ??= []).push(req);
    }
  }
  return d.length ? { diagnostics: d } : { spec, diagnostics: d };
}

/** Split on commas that are not inside brackets. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Growable pair of Int32Arrays for (step, neuron) spike events. */
export class SpikeBuffer {
  steps = new Int32Array(1024);
  neurons = new Int32Array(1024);
  length = 0;

  push(step: number, neuron: number): void {
    if (this.length === this.steps.length) {
      const s = new Int32Array(this.length * 2);
      s.set(this.steps);
      this.steps = s;
      const n = new Int32Array(this.length * 2);
      n.set(this.neurons);
      this.neurons = n;
    }
    this.steps[this.length] = step;
    this.neurons[this.length++] = neuron;
  }

  trimmed(): { steps: Int32Array; neurons: Int32Array } {
    return { steps: this.steps.slice(0, this.length), neurons: this.neurons.slice(0, this.length) };
  }
}
