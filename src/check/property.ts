import { diag, NeuromeshError } from '../errors.js';
import type { SpikeMap, Stimulus } from './types.js';

/** What a model-level property sees of one run: the chip's spikes and the input that caused them. */
export interface PropertyRun {
  spikes: SpikeMap;
  stimulus: Stimulus;
}

/** A user property checked on the chip for every generated input. */
export interface ModelProperty {
  name: string;
  /** null when it holds; otherwise a one-line reason with the values involved. */
  violation(run: PropertyRun): string | null;
}

export interface PropertyResult {
  name: string;
  ok: boolean;
  message?: string;
}

/** Spike count of node (neuron k, or all neurons): chip spikes of a population, or input spikes of an Input node. */
export function spikeCount(run: PropertyRun, node: string, neuron?: number): number {
  const s = run.spikes.get(node);
  if (s) {
    if (neuron === undefined) return s.steps.length;
    let n = 0;
    for (let i = 0; i < s.neurons.length; i++) if (s.neurons[i] === neuron) n++;
    return n;
  }
  return run.stimulus.spikes.filter((e) => e.input === node && (neuron === undefined || e.neuron === neuron)).length;
}

export function totalSpikes(run: PropertyRun): number {
  let n = 0;
  for (const s of run.spikes.values()) n += s.steps.length;
  return n;
}

type Term = { kind: 'num'; value: number } | { kind: 'spikes'; node: string; neuron?: number; neuronText?: string } | { kind: 'total' };
type Op = '<=' | '<' | '>=' | '>' | '==' | '!=';
interface Cmp { left: Term; op: Op; right: Term }

const OPS: Record<Op, (a: number, b: number) => boolean> = {
  '<=': (a, b) => a <= b, '<': (a, b) => a < b, '>=': (a, b) => a >= b, '>': (a, b) => a > b, '==': (a, b) => a === b, '!=': (a, b) => a !== b,
};

function bad(spec: string, why: string): NeuromeshError {
  return new NeuromeshError([diag('E_BAD_OPTION', `--property ${spec}: ${why}`, { field: 'property', hint: "forms: 'total-spikes<=B', 'spikes(out,1)>spikes(out,0)', 'spikes(in,0)>0 => spikes(out,0)>=1'" })]);
}

function parseTerm(spec: string, t: string): Term {
  const s = t.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return { kind: 'num', value: Number(s) };
  if (s === 'total-spikes') return { kind: 'total' };
  const m = /^spikes\(\s*([^,()\s]+)\s*(?:,\s*(\d+)\s*)?\)$/.exec(s);
  // an index beyond 2^53 would round to another neuron: keep its text for the message
  if (m) return { kind: 'spikes', node: m[1]!, ...(m[2] !== undefined ? { neuron: Number.isSafeInteger(Number(m[2])) ? Number(m[2]) : Infinity, neuronText: m[2] } : {}) };
  throw bad(spec, `'${s}' is not a number, total-spikes or spikes(node[,k])`);
}

function parseCmp(spec: string, s: string): Cmp {
  const m = /^(.*?)(<=|>=|==|!=|<|>)(.*)$/.exec(s);
  if (!m) throw bad(spec, `'${s.trim()}' has no comparison (<=, <, >=, >, ==, !=)`);
  return { left: parseTerm(spec, m[1]!), op: m[2] as Op, right: parseTerm(spec, m[3]!) };
}

function value(t: Term, run: PropertyRun): number {
  return t.kind === 'num' ? t.value : t.kind === 'total' ? totalSpikes(run) : spikeCount(run, t.node, t.neuron);
}

function show(t: Term, run: PropertyRun): string {
  if (t.kind === 'num') return String(t.value);
  const name = t.kind === 'total' ? 'total-spikes' : `spikes(${t.node}${t.neuron !== undefined ? `,${t.neuron}` : ''})`;
  return `${name} = ${value(t, run)}`;
}

/**
 * Parse the CLI form of a property: `A op B` or `COND => A op B`, with terms `spikes(node)`,
 * `spikes(node,k)` (chip spikes of a population, or input spikes of an Input node), `total-spikes`
 * (every chip population) and numbers. Nodes are checked against `nodes` when given.
 */
export function parseProperty(spec: string, nodes?: readonly string[] | ReadonlyMap<string, number>): ModelProperty {
  const parts = spec.split('=>');
  if (parts.length > 2) throw bad(spec, 'at most one =>');
  const cond = parts.length === 2 ? parseCmp(spec, parts[0]!) : undefined;
  const body = parseCmp(spec, parts[parts.length - 1]!);
  if (nodes) {
    const names = nodes instanceof Map ? [...nodes.keys()] : (nodes as readonly string[]);
    for (const t of [cond?.left, cond?.right, body.left, body.right]) {
      if (t?.kind !== 'spikes') continue;
      if (!names.includes(t.node)) throw bad(spec, `unknown node '${t.node}' (nodes: ${names.join(', ')})`);
      const size = nodes instanceof Map ? (nodes as ReadonlyMap<string, number>).get(t.node) : undefined;
      if (t.neuron !== undefined && size !== undefined && !(t.neuron < size))
        throw bad(spec, `neuron ${t.neuronText ?? t.neuron} of '${t.node}' is out of range: it has ${size} neuron${size === 1 ? '' : 's'} (0 to ${size - 1})`);
    }
  }
  return {
    name: spec.replace(/\s+/g, ''),
    violation(run) {
      if (cond && !OPS[cond.op](value(cond.left, run), value(cond.right, run))) return null;
      if (OPS[body.op](value(body.left, run), value(body.right, run))) return null;
      return `${show(body.left, run)} ${body.op} ${show(body.right, run)} is false${cond ? ` although ${show(cond.left, run)} ${cond.op} ${show(cond.right, run)}` : ''}`;
    },
  };
}

export function checkProperties(props: readonly ModelProperty[], run: PropertyRun): PropertyResult[] {
  return props.map((p) => {
    const v = p.violation(run);
    return v === null ? { name: p.name, ok: true } : { name: p.name, ok: false, message: v };
  });
}
