/**
 * The spinnaker2 side of the chip contract (src/chip/backend.ts): run a program on the worker
 * runtime, cost it, run the golden model, check invariants, describe the program, declare the
 * chip's own options and its test-only faults. Everything chip-specific the commands used to
 * import from this folder goes through here.
 */
import { intakeInt } from '../../src/number-intake.js';
import { DEFAULT_TOLERANCE } from '../../src/check/types.js';
import type { ChipBackend, ChipFaults, ChipGolden, ChipInvariants } from '../../src/chip/backend.js';
import type { ChipProfile } from '../../src/chip/profile.js';
import type { Spinnaker2Payload, Spinnaker2Program } from './program-types.js';
import { spinnaker2Codec } from './codec.js';
import type { ChipOption, ChipOptionValues, ChipRun, CostRecord } from '../../src/chip/run-record.js';
import { runMetrics } from '../../src/chip/run-metrics.js';
import { diag, NeuromeshError } from '../../src/errors.js';
import { counterTable, spinnaker2Cost } from './cost.js';
import { programDoc, formatSummary } from './describe.js';
import { applyFaults, FAULT_KINDS, parseFault } from './faults.js';
import { runGolden } from './golden.js';
import { runViolations, staticViolations } from './invariants.js';
import { runChip, type ChipRunResult } from './run.js';
import { assertSliceRouted } from './target-table.js';

/** The chip's own options: the CLI registers them for every family and refuses them for the others. */
export const SPINNAKER2_OPTIONS: readonly ChipOption[] = [
  { name: 'dvfs', commands: ['run'], value: '<point>', help: 'spinnaker2: DVFS operating point of every PE: low (150 MHz, 0.5 V, default) or high (300 MHz, 0.8 V)' },
  { name: 'max-neurons-per-core', commands: ['compile', 'run'], value: '<name=N>', repeatable: true, help: 'spinnaker2: cap neurons per core for one population (name=N) or all (N); repeatable' },
  { name: 'routing', commands: ['compile'], value: '<slice|exact>', help: "spinnaker2: slice (default): one multicast tree per core, each key reaches its slice's targets; exact: per-neuron key blocks where possible, each key reaches exactly its own targets (for traffic and cost estimates: `run` refuses such a program)" },
  { name: 'fault', commands: ['check'], value: '<kind>', repeatable: true, hidden: true, help: `spinnaker2 (test-only): seed a mapping fault (${FAULT_KINDS.join(', ')}) that check must find` },
];

/** `name=N` (one population) or `N` (every population) → caps; one-line errors naming the option. */
export function parseCaps(specs: readonly string[]): Map<string, number> {
  const caps = new Map<string, number>();
  for (const s of specs) {
    const m = /^(?:(.+)=)?\s*(\d+)\s*$/.exec(s);
    if (!m) throw new NeuromeshError([diag('E_BAD_OPTION', `--max-neurons-per-core '${s}' is not name=N or N`, { field: 'max-neurons-per-core', hint: 'e.g. --max-neurons-per-core lif1=64' })]);
    const name = m[1] ?? '*';
    caps.set(name, intakeInt(m[2], { what: `--max-neurons-per-core ${m[1] === undefined ? '' : `${name}=`}`.trimEnd(), min: 1, max: 65536, where: { field: 'max-neurons-per-core', ...(m[1] === undefined ? {} : { node: name }), hint: 'e.g. --max-neurons-per-core lif1=64' } }));
  }
  return caps;
}

const last = (v: ChipOptionValues | undefined, name: string): string | undefined => v?.get(name)?.at(-1);

/** The compile options the chip's own CLI options stand for. */
export function spinnaker2CompileOptions(values: ChipOptionValues | undefined): { maxNeuronsPerCore: ReadonlyMap<string, number>; routing: 'slice' | 'exact' } {
  const routing = last(values, 'routing');
  if (routing !== undefined && routing !== 'slice' && routing !== 'exact')
    throw new NeuromeshError([diag('E_BAD_OPTION', `--routing '${routing}' is not known`, { field: 'routing', hint: 'use slice (default) or exact' })]);
  return { maxNeuronsPerCore: parseCaps(values?.get('max-neurons-per-core') ?? []), routing: routing === 'exact' ? 'exact' : 'slice' };
}

function toChipRun(program: Spinnaker2Program, r: ChipRunResult): ChipRun<ChipRunResult> {
  return { steps: r.steps, spikes: r.spikes, counts: r.counts, traces: r.traces, counters: counterTable(program, r), warnings: r.warnings, runtime: r.runtime, detail: r };
}

function cost(profile: ChipProfile, program: Spinnaker2Program, run: ChipRun<ChipRunResult>): CostRecord {
  const r = run.detail;
  const c = spinnaker2Cost(profile, program, r);
  const s = program.payload.summary;
  const metrics = runMetrics(program, run, program.payload.cores.reduce((a, x) => a + x.sramBytes, 0));
  return {
    energy: c.energy, latency: c.latency, coefficients: c.coefficients, metrics,
    resources: {
      neurons: s.neurons, sources: s.sources, synapses: s.synapses, cores: s.cores, chips: s.chips,
      sramPerCore: s.sramPerCore, routerEntries: s.routerEntries, weights: s.weights, routerDrops: r.routerDrops,
    },
  };
}

const golden = (profile: ChipProfile): ChipGolden<Spinnaker2Payload> => ({
  run: (compiled, o) => runGolden(compiled.network, profile, compiled.program.config, { steps: o.steps, inputs: o.inputs ?? new Map(), seed: o.seed ?? compiled.program.seed }),
});

const invariants = (profile: ChipProfile): ChipInvariants<ChipRunResult, Spinnaker2Payload> => ({
  static: (program, graph, o) => staticViolations(program, profile, graph, o),
  afterRun: (program, run, goldenEvents) => runViolations(program, run.detail, goldenEvents),
});

const faults: ChipFaults<Spinnaker2Payload> = {
  apply: (program, specs) => applyFaults(program, specs.map(parseFault)),
};

/** The contract members of the spinnaker2 backend (the mapping members are in backend.ts). */
export function spinnaker2Contract(profile: ChipProfile): Omit<ChipBackend<ChipRunResult, unknown, Spinnaker2Payload>, 'id' | 'profile' | 'lower' | 'mapping'> {
  return {
    codec: spinnaker2Codec,
    inputStart: 0,
    reference: {
      sourceLead: true,
      // check's default: quantization may move or lose a spike (|Δcount| ≤ 1 + 10 % per neuron)
      tolerance: DEFAULT_TOLERANCE,
      thresholdTies: {
        relative: 1e-3,
        derivation:
          'assumed: 1e-3 · |v_threshold| is 33 LSB of the s16.15 state at v_threshold = 1, about what round-to-nearest of each state term (≤ 0.5 LSB per term per step) ' +
          'gathers over the ~30 steps a leaky neuron remembers, or the 16-bit weight codes (≤ 2^-16 of a row’s largest weight per event) over ~60 events; ' +
          'a 5 % weight error moves v ~50× further, and test/check/check.test.ts shows the seeded 5 % weight fault is still caught against the reference alone',
      },
      note: 'float64 reference (src/reference) with delay 1 and every source read one step ahead (its step-0 value before step 0), so that both see the same input at every step (the chip applies input spikes in the tick they occur); a recurrent edge takes 2 steps in both (the compiler adds its step as synaptic delay)',
    },
    // family and mapping sections are checked generically (src/chip/accept.ts)
    accepts: (program, file) => assertSliceRouted(program, file),
    run: async (program, o) => {
      const dvfs = last(o.chipOptions, 'dvfs');
      const r = await runChip(program, profile, {
        steps: o.steps,
        ...(o.workers ? { workers: o.workers } : {}),
        ...(o.inputs ? { inputs: o.inputs } : {}),
        seed: o.seed ?? program.seed,
        ...(dvfs ? { dvfs } : {}),
        ...(o.trace ? { trace: o.trace } : {}),
        ...(o.progress ? { progress: o.progress } : {}),
        ...(o.onStart ? { onStart: o.onStart } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.stall ? { stall: o.stall } : {}),
      });
      return toChipRun(program, r);
    },
    cost: (program, run) => cost(profile, program, run),
    golden: golden(profile),
    compare: { exact: true, derivation: 'the golden model computes the same fixed-point arithmetic with BigInt, written apart from the kernels: every spike must match' },
    invariants: invariants(profile),
    describe: (program, unverified) => programDoc(program, unverified),
    summarize: (program, model) => formatSummary(model, program),
    compileOptions: spinnaker2CompileOptions,
    runConfig: (values) => ({ dvfs: last(values, 'dvfs') ?? 'low' }),
    faults,
  };
}
