import fc from 'fast-check';
import type { StepInput } from '../io/spikes.js';
import { hashName, Purpose, streamKey, uniformAt } from '../random/counter-rng.js';
import type { InputPort, Stimulus } from './types.js';

/**
 * One component of a generated input. `input` and `neuron` are taken modulo the number of Input
 * nodes and the node's size, so they shrink towards the first node and neuron.
 * `start` is taken modulo the run's input span, so every train lands inside the run.
 *  - single: one spike;  burst: `count` spikes `every` steps apart;
 *  - rate: Bernoulli spikes with p = rateHz·dt per step from `start` for `length` steps, on one
 *    neuron or (all) on every neuron of the node (counter-based draws keyed by `seed`);
 *  - silence: no spike on any input from `start` for `length` steps (applied after the others).
 */
export type Train =
  | { shape: 'single'; input: number; neuron: number; start: number }
  | { shape: 'burst'; input: number; neuron: number; start: number; count: number; every: number }
  | { shape: 'rate'; input: number; neuron: number; all: boolean; start: number; length: number; rateHz: number; seed: number }
  | { shape: 'silence'; start: number; length: number };

export interface InputCase {
  steps: number;
  trains: Train[];
}

export interface CaseOptions {
  /** Largest number of steps (the run length shrinks towards minSteps). */
  maxSteps: number;
  minSteps?: number;
  /** Largest rate of rate trains (Hz). */
  maxRateHz: number;
  /** Most trains per input (default 6). */
  maxTrains?: number;
}

/** fast-check arbitrary of input cases: spike trains of chosen rates, bursts, silence, single spikes. */
export function arbInputCase(opts: CaseOptions): fc.Arbitrary<InputCase> {
  const T = Math.max(2, opts.maxSteps);
  const at = fc.nat(T - 1);
  const input = fc.nat(1023);
  const neuron = fc.nat(65535);
  const train: fc.Arbitrary<Train> = fc.oneof(
    { arbitrary: fc.record({ shape: fc.constant('single' as const), input, neuron, start: at }), weight: 2 },
    { arbitrary: fc.record({ shape: fc.constant('burst' as const), input, neuron, start: at, count: fc.integer({ min: 2, max: 8 }), every: fc.integer({ min: 1, max: 4 }) }), weight: 2 },
    { arbitrary: fc.record({
      shape: fc.constant('rate' as const), input, neuron, all: fc.boolean(), start: at, length: fc.integer({ min: 1, max: T }),
      rateHz: fc.integer({ min: 1, max: Math.max(1, Math.floor(opts.maxRateHz)) }), seed: fc.nat(2 ** 31 - 1),
    }), weight: 3 },
    { arbitrary: fc.record({ shape: fc.constant('silence' as const), start: at, length: fc.integer({ min: 1, max: T }) }), weight: 1 },
  );
  return fc.record({ steps: fc.integer({ min: Math.max(1, opts.minSteps ?? 2), max: T }), trains: fc.array(train, { minLength: 1, maxLength: opts.maxTrains ?? 6, size: 'max' }) });
}

/** The explicit spikes of an input case (0/1 per input, step and neuron), inputs spiking from `inputStart`. */
export function materialize(c: InputCase, ports: readonly InputPort[], dt: number, inputStart: number): Stimulus {
  const set = new Set<string>();
  const events: Stimulus['spikes'] = [];
  const add = (p: InputPort, step: number, neuron: number): void => {
    if (step < inputStart || step >= c.steps) return;
    const k = `${p.name}\u0000${step}\u0000${neuron}`;
    if (set.has(k)) return;
    set.add(k);
    events.push({ input: p.name, step, neuron });
  };
  if (ports.length) {
    for (const t of c.trains) {
      if (t.shape === 'silence') continue;
      const p = ports[t.input % ports.length]!;
      if (p.size < 1) continue;
      const n = t.neuron % p.size;
      const s0 = inputStart + (t.start % Math.max(1, c.steps - inputStart));
      if (t.shape === 'single') add(p, s0, n);
      else if (t.shape === 'burst') for (let i = 0; i < t.count; i++) add(p, s0 + i * t.every, n);
      else {
        const key = streamKey(t.seed, Purpose.poisson, hashName(p.name));
        const prob = t.rateHz * dt;
        for (let s = s0; s < Math.min(c.steps, s0 + t.length); s++)
          for (let k = t.all ? 0 : n; k < (t.all ? p.size : n + 1); k++) if (uniformAt(key, k, s) < prob) add(p, s, k);
      }
    }
  }
  const span = Math.max(1, c.steps - inputStart);
  const silent = (s: number): boolean =>
    c.trains.some((t) => t.shape === 'silence' && s >= inputStart + (t.start % span) && s < inputStart + (t.start % span) + t.length);
  const order = new Map(ports.map((p, i) => [p.name, i]));
  const spikes = events.filter((e) => !silent(e.step)).sort((a, b) => order.get(a.input)! - order.get(b.input)! || a.step - b.step || a.neuron - b.neuron);
  return { steps: c.steps, spikes };
}

/** Dense 0/1 StepInputs of a stimulus, one per Input node (silent nodes get all zeros). */
export function stimulusInputs(s: Stimulus, ports: readonly InputPort[]): Map<string, StepInput> {
  const out = new Map<string, StepInput>();
  for (const p of ports) out.set(p.name, { kind: 'dense', node: p.name, size: p.size, steps: s.steps, data: new Float32Array(s.steps * p.size) });
  for (const e of s.spikes) {
    const inp = out.get(e.input);
    if (inp?.kind === 'dense' && e.step < s.steps && e.neuron < inp.size) inp.data[e.step * inp.size + e.neuron] = 1;
  }
  return out;
}

/**
 * Compact text of a stimulus: `in: [0]@3, [1]@5 (7 steps, 2 input spikes)` ([neuron]@step); past
 * `maxPerInput` events of one input the rest is counted, not listed (the JSON document and the
 * replay carry every spike).
 */
export function formatStimulus(s: Stimulus, ports: readonly InputPort[], maxPerInput = 24): string {
  const parts = ports.map((p) => {
    const all = s.spikes.filter((e) => e.input === p.name);
    const ev = all.slice(0, maxPerInput).map((e) => `[${e.neuron}]@${e.step}`);
    if (all.length > maxPerInput) ev.push(`… ${all.length - maxPerInput} more (all in --json)`);
    return `'${p.name}' ${ev.length ? ev.join(', ') : 'silent'}`;
  });
  return `${parts.join('; ')} (${s.steps} step${s.steps === 1 ? '' : 's'}, ${s.spikes.length} input spike${s.spikes.length === 1 ? '' : 's'})`;
}
