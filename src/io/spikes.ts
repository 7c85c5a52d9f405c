/**
 * Spike inputs for Input nodes, every form of docs/semantics.md §4:
 *
 *   file.npy                dense [T, …shape of the Input node], 0/1 or spike counts; axis 0 is the step
 *   file.csv                rows `step,index` (optional header), index = C-order flat index
 *   trace:file.csv          NIR-paper 3-column traces: column 0 is the stimulus of a 1-neuron input
 *   poisson:rate=HZ,seed=S  independent Bernoulli per neuron and step with p = rate·dt (seed default 0)
 *   name=<form>             selects the Input node when the graph has several (repeat --input)
 *
 * Every problem is a NeuromeshError with one-line Diagnostics naming the file (or spec) and field.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { diag, NeuromeshError, type Diagnostic, type ErrorCode } from '../errors.js';
import type { Graph, ShapeInfo } from '../graph/graph.js';
import { MAX_ELEMENTS } from '../graph/nodes/checks.js';
import { formatShape, numel, type Shape } from '../graph/tensor.js';
import { hashName, Purpose, streamKey, uniformAt } from '../random/counter-rng.js';
import { readNpy } from './npy.js';
import { decimalNumber, exactIntegerOfText, intakeInt, trueText } from '../number-intake.js';
import { fileAccessError } from './file-error.js';
import { noteInput } from './output-guard.js';

/** Input for one Input node, per step. */
export type StepInput =
  /** data[t·size + i] for t < steps; zero for t ≥ steps. */
  | { kind: 'dense'; node: string; size: number; steps: number; data: Float32Array }
  /** Bernoulli p = rate·dt per neuron and step (poissonDraw). */
  | { kind: 'poisson'; node: string; size: number; rateHz: number; seed: number };

/**
 * The Poisson draw every engine shares: neuron `neuron` of Input/SpikeSource node `node` spikes
 * at `step` iff uniform(seed, Purpose.poisson, hashName(node), neuron, step) < p.
 */
export function poissonDraw(seed: number, node: string, neuron: number, step: number, p: number): boolean {
  return uniformAt(streamKey(seed, Purpose.poisson, hashName(node)), neuron, step) < p;
}

/** Fill out[0 … size) with the input of `step` (dt in seconds, used by Poisson inputs). */
export function inputAt(inp: StepInput, step: number, dt: number, out: Float64Array): void {
  const n = inp.size;
  if (inp.kind === 'dense') {
    if (step < 0 || step >= inp.steps) {
      out.fill(0, 0, n);
      return;
    }
    const base = step * n;
    for (let i = 0; i < n; i++) out[i] = inp.data[base + i]!;
    return;
  }
  const p = inp.rateHz * dt;
  const key = streamKey(inp.seed, Purpose.poisson, hashName(inp.node));
  for (let i = 0; i < n; i++) out[i] = uniformAt(key, i, step) < p ? 1 : 0;
}

export interface ParseInputOptions {
  /** Directory relative file names are resolved against (default process.cwd()). */
  cwd?: string;
  /** When given, a Poisson rate with rate·dt > 1 is refused. */
  dt?: number;
}

/** Largest dense input we build from a CSV event file (elements of [T, size]). */
const MAX_DENSE = 2 ** 28;
/** Steps of an event file: a dense input holds at most MAX_DENSE values. */
const MAX_STEPS_EVENTS = MAX_DENSE - 1;
/** Largest spike count float32 holds exactly (2^24). */
const MAX_COUNT = 2 ** 24;

function err(code: ErrorCode, message: string, extra: Omit<Diagnostic, 'code' | 'message'>): NeuromeshError {
  return new NeuromeshError([diag(code, message, extra)]);
}

/**
 * Parse `--input` specs against the graph's Input nodes. Returns one StepInput per Input node
 * that was given one (Input nodes without a spec are absent: the caller decides, e.g. zeros).
 */
export async function parseInputSpecs(specs: readonly string[], graph: Graph, shapes: ShapeInfo, opts: ParseInputOptions = {}): Promise<Map<string, StepInput>> {
  const inputs = graph.nodes.filter((n) => n.kind === 'Input').map((n) => n.name);
  const result = new Map<string, StepInput>();
  const cwd = opts.cwd ?? process.cwd();
  for (const raw of specs) {
    const { node, form } = target(raw, inputs, cwd);
    if (result.has(node))
      throw err('E_INPUT', `Input node '${node}' is given two inputs`, { node, field: 'input', hint: 'give each Input node one --input' });
    const shape = shapes.output.get(node);
    if (!shape) throw err('E_INPUT', `Input node '${node}' has no known shape`, { node });
    result.set(node, await parseForm(form, node, shape, cwd, opts));
  }
  return result;
}

/** Split `name=<form>` and pick the Input node. */
function target(spec: string, inputs: readonly string[], cwd: string): { node: string; form: string } {
  const m = /^([^=:/\\]+)=(.*)$/.exec(spec);
  if (m && (inputs.includes(m[1]!) || !existsSync(resolvePath(spec, cwd)))) {
    const name = m[1]!;
    if (!inputs.includes(name))
      throw err('E_INPUT', `unknown Input node '${name}' in --input ${spec}`, {
        field: 'input', hint: inputs.length ? `Input nodes: ${inputs.join(', ')}` : 'the graph has no Input node',
      });
    return { node: name, form: m[2]! };
  }
  if (inputs.length === 0)
    throw err('E_INPUT', `--input ${spec} given but the graph has no Input node`, { field: 'input' });
  if (inputs.length > 1)
    throw err('E_INPUT', `the graph has ${inputs.length} Input nodes; say which one --input ${spec} feeds`, {
      field: 'input', hint: `write name=<form>, names: ${inputs.join(', ')}`,
    });
  return { node: inputs[0]!, form: spec };
}

function resolvePath(p: string, cwd: string): string {
  return isAbsolute(p) ? p : resolve(cwd, p);
}

async function parseForm(form: string, node: string, shape: Shape, cwd: string, opts: ParseInputOptions): Promise<StepInput> {
  const size = numel(shape);
  if (form.startsWith('poisson:')) return parsePoisson(form, node, size, opts.dt);
  if (form.startsWith('trace:')) {
    const file = form.slice('trace:'.length);
    return parseTrace(await read(file, cwd, node), file, node, shape);
  }
  const lower = form.toLowerCase();
  if (lower.endsWith('.npy')) return denseFromNpy(await read(form, cwd, node), form, node, shape);
  if (lower.endsWith('.csv')) return parseEvents(await read(form, cwd, node), form, node, shape);
  throw err('E_INPUT', `cannot tell the input form of '${form}'`, {
    node, field: 'input', hint: 'use file.npy, file.csv, trace:file.csv or poisson:rate=HZ,seed=S',
  });
}

async function read(file: string, cwd: string, node: string): Promise<Uint8Array> {
  try {
    const bytes = new Uint8Array(await readFile(resolvePath(file, cwd)));
    noteInput(resolvePath(file, cwd), 'input file', file);
    return bytes;
  } catch (e) {
    throw new NeuromeshError([fileAccessError(file, e, 'input file', { node })]);
  }
}

function parsePoisson(form: string, node: string, size: number, dt: number | undefined): StepInput {
  const body = form.slice('poisson:'.length);
  let rate: number | undefined;
  let seed = 0;
  for (const part of body.split(',')) {
    const kv = /^\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(part);
    if (!kv) throw err('E_INPUT', `poisson input '${form}': cannot read '${part}'`, { node, field: 'input', hint: 'write poisson:rate=HZ,seed=S' });
    const [, k, v] = kv;
    const x = decimalNumber(v!);
    if (k === 'rate') {
      if (!Number.isFinite(x) || x < 0) throw err('E_INPUT', `poisson rate '${v}' must be a finite number of Hz ≥ 0`, { node, field: 'rate' });
      rate = x;
    } else if (k === 'seed') {
      seed = intakeInt(v, { what: 'poisson seed', min: 0, code: 'E_INPUT', where: { node, field: 'seed' } });
    } else throw err('E_INPUT', `poisson input: unknown key '${k}'`, { node, field: k, hint: 'keys: rate, seed' });
  }
  if (rate === undefined) throw err('E_INPUT', `poisson input '${form}' has no rate`, { node, field: 'rate', hint: 'write poisson:rate=HZ,seed=S' });
  if (dt !== undefined && rate * dt > 1)
    throw err('E_INPUT', `poisson rate ${rate} Hz at dt ${dt} s gives p = ${rate * dt} > 1 per step`, { node, field: 'rate', hint: `at most ${1 / dt} Hz at this dt` });
  return { kind: 'poisson', node, size, rateHz: rate, seed };
}

function squeeze(s: readonly number[]): number[] {
  return s.filter((d) => d !== 1);
}

function denseFromNpy(bytes: Uint8Array, file: string, node: string, shape: Shape): StepInput {
  const a = readNpy(bytes, file);
  const size = numel(shape);
  const per = a.shape.slice(1);
  const fits = a.shape.length >= 1 && numel(per) === size &&
    (formatShape(squeeze(per)) === formatShape(squeeze(shape)) || per.length === 1 || a.shape.length === 1);
  if (!fits)
    throw err('E_SHAPE_MISMATCH', `array shape ${formatShape(a.shape)} does not fit Input node shape ${formatShape(shape)}`, {
      file, node, field: 'shape', hint: `expected [T, ${shape.join(', ')}] (axis 0 is the step)`,
    });
  const steps = a.shape[0]!;
  const data = new Float32Array(a.data.length);
  for (let k = 0; k < a.data.length; k++) {
    const v = Number(a.data[k]);
    // stored as float32: a count beyond 2^24 would be rounded, 1e200 would become Infinity
    if (!Number.isFinite(v) || v < 0 || v > MAX_COUNT)
      throw err('E_BAD_VALUE', `value ${trueText(v)} at step ${Math.floor(k / size)}, index ${k % size} is not a spike count (finite, from 0 to ${MAX_COUNT})`, { file, node, field: 'data', hint: `counts are held in float32, exact up to 2^24 = ${MAX_COUNT}` });
    data[k] = v;
  }
  return { kind: 'dense', node, size, steps, data };
}

/** Lines of a text file with 1-based numbers, skipping blank lines and `#` comments. */
function lines(bytes: Uint8Array): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const all = new TextDecoder('utf-8').decode(bytes).split(/\r?\n/);
  all.forEach((t, k) => {
    const text = t.trim();
    if (text !== '' && !text.startsWith('#')) out.push({ line: k + 1, text });
  });
  return out;
}

/** A header row: every cell is a non-empty, non-numeric word (e.g. `step,index`). */
function isHeader(text: string): boolean {
  return text.split(',').every((c) => /^\s*["']?[A-Za-z_][\w .()-]*["']?\s*$/.test(c));
}

function parseEvents(bytes: Uint8Array, file: string, node: string, shape: Shape): StepInput {
  const size = numel(shape);
  const rows = lines(bytes);
  if (rows.length && isHeader(rows[0]!.text)) rows.shift();
  const steps: number[] = [];
  const idx: number[] = [];
  let T = 0;
  for (const { line, text } of rows) {
    const cells = text.split(',').map((c) => c.trim());
    if (cells.length !== 2 || cells[0] === '' || cells[1] === '' || exactIntegerOfText(cells[0]!) === undefined || exactIntegerOfText(cells[1]!) === undefined)
      throw err('E_BAD_CSV', `line ${line}: expected 'step,index' (two integers), got '${text.slice(0, 60)}'`, { file, node, field: 'row' });
    const t = intakeInt(cells[0], { what: `line ${line}: step`, min: 0, max: MAX_STEPS_EVENTS, code: 'E_BAD_CSV', where: { file, node, field: 'step', hint: 'steps are integers from 0' } });
    const i = intakeInt(cells[1], {
      what: `line ${line}: index`, min: 0, max: size - 1, code: 'E_INDEX_RANGE', why: `Input node shape ${formatShape(shape)} has ${size} neurons`,
      where: { file, node, field: 'index', hint: 'indices are C-order flat indices from 0' },
    });
    steps.push(t);
    idx.push(i);
    if (t + 1 > T) T = t + 1;
  }
  if (T * size > MAX_DENSE)
    throw err('E_INPUT', `${T} steps × ${size} neurons is too large for a dense input`, { file, node, hint: `at most ${MAX_DENSE} step·neuron values` });
  const data = new Float32Array(T * size);
  for (let k = 0; k < steps.length; k++) data[steps[k]! * size + idx[k]!]! += 1;
  return { kind: 'dense', node, size, steps: T, data };
}

function parseTrace(bytes: Uint8Array, file: string, node: string, shape: Shape): StepInput {
  if (numel(shape) !== 1)
    throw err('E_SHAPE_MISMATCH', `a trace gives the stimulus of 1 neuron (shape [1]) but Input node shape is ${formatShape(shape)}`, {
      file, node, field: 'shape', hint: 'trace: inputs are for 1-neuron Input nodes; use .npy or .csv events',
    });
  const rows = lines(bytes);
  if (rows.length && isHeader(rows[0]!.text)) rows.shift();
  if (rows.length > MAX_ELEMENTS) throw err('E_INPUT', 'trace has too many rows', { file, node });
  const data = new Float32Array(rows.length);
  rows.forEach(({ line, text }, t) => {
    const c0 = text.split(',')[0]!.trim();
    const v = Number(c0);
    if (c0 === '' || !Number.isFinite(v) || Math.abs(v) > 3.4e38)
      throw err('E_BAD_CSV', `line ${line}: column 0 '${c0.slice(0, 30)}' is not a number float32 can hold`, { file, node, field: 'column 0' });
    if (v < 0) throw err('E_BAD_CSV', `line ${line}: stimulus ${v} is negative`, { file, node, field: 'column 0' });
    data[t] = v;
  });
  return { kind: 'dense', node, size: 1, steps: rows.length, data };
}
