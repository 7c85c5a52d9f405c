import { expect } from 'vitest';
import { compile, type CompileResult } from '../../../compiler/index.js';
import { loadProfile } from '../../../chips/index.js';
import { spinnaker2Backend } from '../../../chips/spinnaker2/backend.js';
import type { Spinnaker2Payload } from '../../../chips/spinnaker2/program-types.js';
import { runGolden } from '../../../chips/spinnaker2/golden.js';
import { runChip } from '../../../chips/spinnaker2/run.js';
import { resolveArithmetic } from '../../../src/chip/arithmetic.js';
import type { ChipProfile } from '../../../src/chip/profile.js';
import type { RunConfig } from '../../../src/chip/program.js';
import { NeuromeshError } from '../../../src/errors.js';
import { analyze, type Graph } from '../../../src/graph/graph.js';
import { numel } from '../../../src/graph/tensor.js';
import type { StepInput } from '../../../src/io/spikes.js';
import { ensureBuilt } from '../../runtime/build.js';
import { quantizationOf } from '../../../chips/spinnaker2/mapping/index.js';

/** Workers run dist/: rebuild when the spinnaker2 kernels or what they import are stale. */
export function buildKernels(): void {
  ensureBuilt(['src/runtime', 'src/errors.ts', 'src/random', 'chips/spinnaker2/kernels.ts']);
}

export function compileFor(graph: Graph, config: Partial<RunConfig> = {}, chip = 'spinnaker2', maxNeuronsPerCore?: Record<string, number>) {
  const backend = spinnaker2Backend(loadProfile(chip));
  const r = compile(graph, backend, { config: { delay: 1, ...config }, ...(maxNeuronsPerCore ? { maxNeuronsPerCore } : {}) });
  return { ...r, profile: backend.profile };
}

/** Compile with seed 1 and delay 1; undefined (and the reason on stderr) when the compiler refuses the input (exit code 2). */
export function tryCompile(g: Graph, profile: ChipProfile, config: Partial<RunConfig> = {}): CompileResult<Spinnaker2Payload> | undefined {
  try {
    return compile(g, spinnaker2Backend(profile), { seed: 1, config: { ...config, delay: 1 } });
  } catch (e) {
    if (e instanceof NeuromeshError && e.exitCode === 2) {
      console.error(e.diagnostics.map((d) => d.message).join('; '));
      return undefined;
    }
    throw e;
  }
}

/** Poisson input at 2500 Hz on every Input node. */
export function inputsFor(g: Graph, seed: number): Map<string, StepInput> {
  const { shapes } = analyze(g);
  const m = new Map<string, StepInput>();
  for (const n of g.nodes) if (n.kind === 'Input') m.set(n.name, { kind: 'poisson', node: n.name, size: numel(shapes!.output.get(n.name)!), rateHz: 2500, seed });
  return m;
}

/**
 * Compile `g` for `profile`, run it on the chip kernels and on the golden model, and expect the
 * same ring-buffer shifts, spikes, v codes every step and synaptic events.
 */
export async function expectKernelsEqualGolden(g: Graph, profile: ChipProfile, opts: { seed: number; subtract: boolean; steps: number; refractoryInput?: 'integrate' | 'drop' }): Promise<{ spikes: number; chips: number }> {
  const c = tryCompile(g, profile);
  if (!c) throw new Error('arbNetwork made a network the compiler refuses');
  const cfg = { ...c.program.config, reset: opts.subtract ? ('subtract' as const) : ('zero' as const), refractoryInput: opts.refractoryInput ?? c.program.config.refractoryInput };
  const program = { ...c.program, config: cfg };
  const { steps, seed } = opts;
  const inputs = inputsFor(g, seed);
  const neurons = program.populations.filter((p) => p.role === 'neuron').map((p) => p.name);
  const chip = await runChip(program, profile, { steps, inputs, trace: neurons, workers: 2, seed });
  const gold = runGolden(c.network, profile, cfg, { steps, inputs, seed });
  expect(gold.shifts).toEqual(quantizationOf(c).shifts);
  const spikes = expectRunEqualsGolden(chip, gold, profile, steps);
  return { spikes, chips: program.payload.summary.chips };
}

/**
 * A kernel run against its golden model: every spike (step, neuron), every traced v in the state's
 * integer code, and the synaptic events. Returns the number of spikes compared.
 */
export function expectRunEqualsGolden(chip: Awaited<ReturnType<typeof runChip>>, gold: ReturnType<typeof runGolden>, profile: ChipProfile, steps: number): number {
  let spikes = 0;
  for (const [name, s] of gold.spikes) {
    const k = chip.spikes.get(name)!;
    expect(Array.from(k.steps), name).toEqual(s.steps);
    expect(Array.from(k.neurons), name).toEqual(s.neurons);
    spikes += s.steps.length;
  }
  const scale = 2 ** resolveArithmetic(profile).state.fracBits;
  for (const [name, rows] of gold.v) {
    const tr = chip.traces.get(name)!;
    const n = rows[0]!.length;
    for (let t = 0; t < steps; t++) for (let k = 0; k < n; k++) if (Math.round(tr[t * n + k]! * scale) !== rows[t]![k]) expect.fail(`${name} v[${t}][${k}]: kernels ${tr[t * n + k]! * scale}, golden ${rows[t]![k]}`);
  }
  const ev = chip.counterNames.indexOf('synaptic_events');
  let events = 0;
  for (let c0 = 0; c0 < chip.counters.length / chip.counterNames.length; c0++) events += chip.counters[c0 * chip.counterNames.length + ev]!;
  expect(events).toBe(gold.synapticEvents);
  return spikes;
}
