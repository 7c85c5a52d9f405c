/**
 * `neuromesh check`: property-based search for inputs on which a chip mapping stops computing what
 * the model means (src/check), wired here to the compiler, the chip's run, golden model and
 * invariants (all through its ChipBackend) and the float64 reference.
 */
import { Command } from 'commander';
import { compile } from '../../../compiler/index.js';
import { backendFor, loadProfile } from '../../../chips/index.js';
import { addChipOptions, chipOptionValues, exampleProfile } from '../chip-options.js';
import { explainDivergence, explanationLine, formatStimulus, formatTolerance, parseProperty, parseTolerance, runCheck, stimulusInputs, type CheckOutcome, type Explanation, type CheckSystem, type Verdict, type Violation } from '../../check/index.js';
import { diag, ExitCode, NeuromeshError, throwIfErrors } from '../../errors.js';
import { numel } from '../../graph/tensor.js';
import { loadAnalyzed, modelFormat } from '../../io/load.js';
import { guardOutput } from '../../io/output-guard.js';
import type { StepInput } from '../../io/spikes.js';
import { MAX_STEPS, resolveConfig } from '../../reference/index.js';
import { checkFinite, decimalNumber, intOption } from '../../number-intake.js';
import { globalOptions, printWarnings, processIO, type CliIO } from '../context.js';
import { hostSection, makeDoc, writeJsonOutput, type OutputDoc } from '../json.js';
import { createProgress } from '../progress.js';
import { explainSystem } from './check-explain.js';
import { parseStallTimeout, STALL_TIMEOUT_HELP } from '../stall-timeout.js';
import { parseWeightScale, WEIGHT_SCALE_HELP, weightScaleConfig } from '../weight-scale-option.js';

export const CHECK_SCHEMA_VERSION = 1;

export interface CheckCliOptions {
  chip: string;
  runs?: string;
  seed?: string;
  steps?: string;
  tolerance?: string;
  replay?: string;
  workers?: string;
  maxRate?: string;
  dt?: string;
  integrator?: string;
  reset?: string;
  refractoryInput?: string;
  ifMode?: string;
  output?: string;
  json?: boolean;
  invariants?: boolean;
  maxWeightLoss?: string;
  property?: string[];
  stallTimeout?: string;
  weightScale?: string;
}

export interface CheckHooks {
  /** Test-only seeded faults applied to the compiled program (the chip's `faults`, like `--fault`). */
  faults?: string[];
  /** Test-only: run without the chip's golden model, so that only the reference can catch a fault. */
  withoutGolden?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function intOpt(v: string | undefined, field: string, dflt: number, min: number, max?: number): number {
  return intOption(v, { what: `--${field}`, min, ...(max === undefined ? {} : { max }), where: { field } }) ?? dflt;
}

export interface CheckResult {
  outcome: CheckOutcome;
  doc: OutputDoc;
  text: string;
}

function verdictLine(v: Verdict | undefined, label: string, rule: string): string {
  if (!v) return `  ${label}: not checked (the chip has no golden model)`;
  if (v.ok) return `  ${label}: pass (${rule})`;
  const d = v.difference!;
  const what = d.step < 0 ? '' : ` at step ${d.step} (chip ${d.chipSpiked ? 'spiked' : 'silent'}, ${v.against} ${d.otherSpiked ? 'spiked' : 'silent'})`;
  return `  ${label}: FAIL (${rule}): ${d.node}[${d.neuron}] first differs${what}; counts chip ${d.chipCount}, ${v.against} ${d.otherCount}; ${v.differingNeurons} neuron${v.differingNeurons === 1 ? ' differs' : 's differ'}`;
}

/** Load, compile, and check a model; returns the outcome, the JSON document and the summary text. */
export async function checkModel(model: string, opts: CheckCliOptions, io: CliIO, quiet: boolean, hooks: CheckHooks = {}): Promise<CheckResult> {
  const t0 = performance.now();
  const pre = resolveConfig({ dt: opts.dt, integrator: opts.integrator, reset: opts.reset, ifMode: opts.ifMode, refractoryInput: opts.refractoryInput, seed: '0', delay: 1 }, { requireSteps: false });
  throwIfErrors(pre.diagnostics);
  const cfg = pre.config!;
  const runs = intOpt(opts.runs, 'runs', 50, 1, 1_000_000);
  const seed = intOpt(opts.seed, 'seed', 0, 0);
  const steps = intOpt(opts.steps, 'steps', 100, 2, MAX_STEPS);
  const workers = intOpt(opts.workers, 'workers', 1, 1, 4096);
  const tolerance = parseTolerance(opts.tolerance);
  const rate = opts.maxRate === undefined ? undefined : checkFinite(opts.maxRate, { what: '--max-rate', min: 1, max: 1e9, where: { field: 'max-rate', hint: 'a rate in Hz from 1 to 10^9' } });
  if (typeof rate === 'object') throw new NeuromeshError([rate]);
  const maxRateHz = rate;
  const maxWeightLoss = opts.maxWeightLoss === undefined ? 0.1 : decimalNumber(opts.maxWeightLoss);
  if (!(maxWeightLoss >= 0 && maxWeightLoss <= 1)) throw new NeuromeshError([diag('E_BAD_OPTION', `--max-weight-loss ${opts.maxWeightLoss} must be a fraction between 0 and 1`, { field: 'max-weight-loss' })]);
  const stall = parseStallTimeout(opts.stallTimeout);
  const weightScale = parseWeightScale(opts.weightScale);
  const profile = loadProfile(opts.chip);
  const backend = backendFor(profile);
  const chipOptions = chipOptionValues(opts, backend, 'check');
  const faults = [...(hooks.faults ?? []), ...(chipOptions.get('fault') ?? [])];
  if (faults.length && !backend.faults)
    throw new NeuromeshError([diag('E_BAD_OPTION', `chip family '${profile.family}' has no seeded faults`, { field: 'fault', chip: profile.id })]);
  modelFormat(model);
  const { graph, shapes, warnings } = await loadAnalyzed(model);
  printWarnings(io, warnings);
  const compiled = compile(graph, backend, { seed, weightScale, config: { dt: cfg.dt, integrator: cfg.integrator, reset: cfg.reset, ifMode: cfg.ifMode, refractoryInput: cfg.refractoryInput, delay: 1 }, file: model });
  if (!quiet) printWarnings(io, compiled.diagnostics);
  const scale = weightScaleConfig(compiled.weightScale);
  const program = faults.length ? backend.faults!.apply(compiled.program, faults) : compiled.program;
  const config = program.config;
  const ports = graph.nodes.filter((n) => n.kind === 'Input').map((n) => ({ name: n.name, size: numel(shapes.output.get(n.name)!) }));
  if (!ports.length) throw new NeuromeshError([diag('E_BAD_OPTION', 'the model has no Input node: check has nothing to drive', { file: model, hint: 'check needs a model with at least one Input node' })]);
  const referenceNote = `${backend.reference.note}${backend.inputStart > 0 ? `; generated inputs start at step ${backend.inputStart}` : ''}`;
  const spikingPops = program.populations.filter((p) => p.role === 'neuron' && p.spiking);
  const spiking = spikingPops.map((p) => p.name);
  if (!spiking.length && !quiet)
    printWarnings(io, [diag('W_NOTHING_COMPARED', 'the model has no spiking population: check compares spikes only, so every verdict passes vacuously', { severity: 'warning', file: model, hint: 'graded outputs (LI, I, CubaLI v) are not compared yet' })]);
  const properties = (opts.property ?? []).map((p) => parseProperty(p, new Map([...ports.map((q): [string, number] => [q.name, q.size]), ...spikingPops.map((q): [string, number] => [q.name, q.size])])));
  const invariants = Boolean(opts.invariants);
  const staticFound: Violation[] = invariants ? backend.invariants?.static(program, graph, { maxWeightLoss }) ?? [] : [];
  type GoldenResult = ReturnType<NonNullable<typeof backend.golden>['run']>;
  const goldenRuns = new WeakMap<Map<string, StepInput>, GoldenResult>();
  const chipGolden = hooks.withoutGolden ? undefined : backend.golden;
  const golden = chipGolden
    ? (inputs: Map<string, StepInput>, T: number): GoldenResult => {
        let g = goldenRuns.get(inputs);
        if (!g) goldenRuns.set(inputs, (g = chipGolden.run({ program: compiled.program, network: compiled.network }, { steps: T, inputs, seed })));
        return g;
      }
    : undefined;
  const chipWarnings = new Map<string, string>();
  // within the chip's resolution of a threshold, the reference takes the chip's decision (backend.reference.thresholdTies)
  const ties = backend.reference.thresholdTies;
  // one wiring of the reference (and of the chip with traces) for the check and for explaining a counterexample
  const explain = explainSystem({ backend, program, graph, shapes: shapes.output, config, seed, workers });
  const sys: CheckSystem = {
    inputs: ports,
    dt: config.dt,
    inputStart: backend.inputStart,
    referenceNote,
    chip: async (inputs, T) => {
      const r = await backend.run(program, { steps: T, inputs, workers, seed, ...(stall ? { stall } : {}) });
      for (const w of r.warnings) chipWarnings.set(w.code, w.message);
      return { spikes: r.spikes, ...(invariants && backend.invariants ? { violations: backend.invariants.afterRun(program, r, golden?.(inputs, T).synapticEvents) } : {}) };
    },
    ...(golden ? { golden: (inputs: Map<string, StepInput>, T: number) => golden(inputs, T).spikes } : {}),
    // the backend says what "equal" means against its golden model (exact, or a spike tolerance)
    ...(!backend.compare.exact ? { goldenTolerance: { count: backend.compare.tolerance ?? 0, rel: 0 } } : {}),
    // the reference runs the model in its own units (spikes do not depend on the weight scale)
    reference: async (inputs, T, chip) => (await explain.reference(inputs, T, [], chip)).spikes,
  };
  const bar = createProgress(io, { label: 'check', total: runs, quiet: quiet || Boolean(opts.json) });
  let outcome: CheckOutcome;
  try {
    outcome = await runCheck(sys, { runs, seed, steps, tolerance, invariants, properties, ...(maxRateHz !== undefined ? { maxRateHz } : {}), ...(opts.replay !== undefined ? { replay: opts.replay } : {}), onEvaluate: (n) => bar.update(n) });
  } finally {
    bar.stop();
  }
  const rule = formatTolerance(tolerance);
  const refRule = ties ? `${rule}; reference crossings within ${ties.relative * 100} % of v_threshold follow the chip` : rule;
  const goldenRule = backend.compare.exact ? 'exact' : `|Δspikes| ≤ ${backend.compare.tolerance ?? 0} per neuron`;
  const cx = outcome.counterexample;
  const docConfig = {
    engine: `check:${profile.id}`,
    chip: { id: profile.id, family: profile.family, version: profile.version },
    model, format: modelFormat(model),
    dt: config.dt, integrator: config.integrator, reset: config.reset, ifMode: config.ifMode, refractoryInput: config.refractoryInput, delay: 1,
    runs, seed, maxSteps: steps, workers, ...scale,
    tolerance: { ...tolerance, rule },
    golden: !chipGolden ? 'none: the chip has no golden model' : `${goldenRule}: ${backend.compare.exact ? 'every spike at the same step and neuron as the chip’s golden model' : 'per neuron against the chip’s golden model'}${backend.compare.derivation ? ` (${backend.compare.derivation})` : ''}`,
    reference: referenceNote,
    thresholdTies: ties ? { relative: ties.relative, rule: `a reference neuron within ${ties.relative} × |v_threshold| of its threshold takes the chip's decision at that step`, derivation: ties.derivation } : 'none: the reference decides every threshold crossing',
    faults,
    invariants: invariants ? { maxWeightLoss } : false,
    properties: properties.map((p) => p.name),
    ...(opts.replay ? { replay: opts.replay } : {}),
  };
  const ok = outcome.ok && staticFound.length === 0;
  const q = (x: string): string => (/^[\w@%+=:,./-]+$/.test(x) ? x : `'${x.replace(/'/g, "'\\''")}'`);
  const replayCommand = cx
    ? [
        'neuromesh', 'check', model, '--chip', opts.chip, '--steps', String(steps), '--seed', String(seed), '--runs', String(runs),
        ...(opts.tolerance ? ['--tolerance', opts.tolerance] : []), ...(opts.maxRate ? ['--max-rate', opts.maxRate] : []),
        ...(opts.dt ? ['--dt', opts.dt] : []), ...(opts.integrator ? ['--integrator', opts.integrator] : []),
        ...(opts.reset ? ['--reset', opts.reset] : []), ...(opts.ifMode ? ['--if-mode', opts.ifMode] : []),
        ...(opts.refractoryInput ? ['--refractory-input', opts.refractoryInput] : []),
        ...(opts.weightScale ? ['--weight-scale', opts.weightScale] : []), ...(invariants ? ['--invariants'] : []), ...(opts.maxWeightLoss ? ['--max-weight-loss', opts.maxWeightLoss] : []),
        ...(opts.property ?? []).flatMap((p) => ['--property', p]), ...(chipOptions.get('fault') ?? []).flatMap((f) => ['--fault', f]),
        '--replay', cx.replay,
      ].map(q).join(' ')
    : undefined;
  // a reference counterexample: where do chip and reference first part, and was it a near-tie?
  const explanation: Explanation | undefined = cx && !cx.evaluation.reference.ok
    ? await explainDivergence(explain, cx.stimulus, stimulusInputs(cx.stimulus, ports), spiking)
    : undefined;
  const failing = cx ? [cx.evaluation.golden, cx.evaluation.reference].filter((v): v is Verdict => Boolean(v && !v.ok)) : [];
  const input = cx ? { steps: cx.stimulus.steps, spikes: cx.stimulus.spikes } : undefined;
  const body = {
    ok,
    runs: outcome.runs,
    evaluations: outcome.evaluations,
    coverage: outcome.coverage,
    verdicts: {
      golden: !chipGolden ? 'unchecked' : cx?.evaluation.golden ? (cx.evaluation.golden.ok ? 'pass' : 'fail') : 'pass',
      reference: cx ? (cx.evaluation.reference.ok ? 'pass' : 'fail') : 'pass',
      ...(invariants ? { invariants: staticFound.length || cx?.evaluation.violations?.length ? 'fail' : 'pass' } : {}),
      ...(properties.length ? { properties: cx?.evaluation.properties?.some((p) => !p.ok) ? 'fail' : 'pass' } : {}),
    },
    ...(invariants ? { staticViolations: staticFound } : {}),
    counterexamples: cx
      ? [
          ...failing.map((v) => ({ verdict: v.against, input, difference: v.difference!, differingNeurons: v.differingNeurons, replay: cx.replay })),
          ...(cx.evaluation.violations?.length ? [{ verdict: 'invariant', input, violations: cx.evaluation.violations, replay: cx.replay }] : []),
          ...(cx.evaluation.properties?.some((p) => !p.ok) ? [{ verdict: 'property', input, properties: cx.evaluation.properties.filter((p) => !p.ok), replay: cx.replay }] : []),
        ]
      : [],
    ...(replayCommand ? { replayCommand } : {}),
    ...(explanation ? { firstDivergence: explanation } : {}),
    ...(cx ? { search: { original: cx.original, shrinks: cx.shrinks, minimizeEvaluations: cx.minimizeEvaluations } } : {}),
  };
  const doc = makeDoc('check', CHECK_SCHEMA_VERSION, docConfig, body, hostSection({ total: (performance.now() - t0) / 1000 }, { workers }));
  const lines: string[] = [];
  const cov = outcome.coverage;
  const covLine = `coverage: ${cov.runs} inputs, ${cov.steps.min}–${cov.steps.max} steps, input rates ${cov.rateHz.min.toFixed(0)}–${cov.rateHz.max.toFixed(0)} Hz (mean ${cov.rateHz.mean.toFixed(0)}), trains: ${cov.shapes.single} single, ${cov.shapes.burst} burst, ${cov.shapes.rate} rate, ${cov.shapes.silence} silence; ${cov.silentRuns} silent runs`;
  const extra = (): void => {
    if (invariants) {
      const dyn = cx?.evaluation.violations ?? [];
      if (!staticFound.length && !dyn.length) lines.push('  mapping invariants: pass (routing, core limits, quantization losses, tick overruns)');
      for (const v of [...staticFound, ...dyn]) lines.push(`  invariant ${v.invariant}: ${v.node ? `${v.node}: ` : ''}${v.message}`);
    }
    for (const p of cx?.evaluation.properties ?? properties.map((q) => ({ name: q.name, ok: true, message: undefined as string | undefined })))
      lines.push(`  property ${p.name}: ${p.ok ? 'pass' : `FAIL: ${p.message}`}`);
  };
  if (outcome.ok) {
    lines.push(`${model} on ${profile.id}: ${outcome.runs} runs passed (seed ${outcome.seed})${ok ? '' : ', but the mapping breaks invariants'}`);
    lines.push(verdictLine(chipGolden ? { against: 'golden', ok: true, nodes: [], differingNeurons: 0 } : undefined, 'chip vs golden model', goldenRule));
    lines.push(verdictLine({ against: 'reference', ok: true, nodes: [], differingNeurons: 0 }, 'chip vs reference', refRule));
    extra();
    lines.push(`  ${covLine}`);
  } else {
    lines.push(`${model} on ${profile.id}: counterexample after ${outcome.runs} run${outcome.runs === 1 ? '' : 's'} (${cx!.shrinks} shrinks, ${cx!.minimizeEvaluations} minimization runs)`);
    lines.push(`  input: ${formatStimulus(cx!.stimulus, ports)}; first failing input had ${cx!.original.inputSpikes} spikes over ${cx!.original.steps} steps`);
    lines.push(verdictLine(cx!.evaluation.golden, 'chip vs golden model', goldenRule));
    lines.push(verdictLine(cx!.evaluation.reference, 'chip vs reference', refRule));
    if (explanation) lines.push(`  ${explanationLine(explanation)}`);
    extra();
    lines.push(`  replay: ${replayCommand}`);
    lines.push(`  ${covLine}`);
  }
  if (!quiet) for (const [code, m] of chipWarnings) io.err(`warning ${code}: ${m}`);
  // after the search, so that a bad --property or --replay stays a one-line error
  if (!quiet) io.err(`note: ${scale.weightScaleNote}`);
  return { outcome: { ...outcome, ok }, doc, text: lines.join('\n') };
}

export function register(program: Command): void {
  const chip = exampleProfile();
  const cmd = program
    .command('check')
    .description('Search for inputs on which the chip mapping stops computing what the model means (property-based, shrinks failures to a minimal input).')
    .argument('<model>', 'model file: .nir or .nmg')
    .requiredOption('-c, --chip <profile>', 'chip profile: a built-in id (see `neuromesh profiles`) or a path to a .json profile')
    .option('--runs <N>', 'generated inputs to try (default 50)')
    .option('--seed <S>', 'fast-check seed, also the placement seed (default 0)')
    .option('-n, --steps <T>', 'longest input in steps (default 100)')
    .option('--tolerance <spec>', 'chip vs reference, per neuron: count=K,rel=R means |Δspikes| ≤ K + R·max(chip, reference) (default count=1,rel=0.1); exact = 0')
    .option('--max-rate <Hz>', 'highest rate of generated rate trains (default min(0.3/dt, 2000) Hz)')
    .option('--replay <seed:path>', 'replay a counterexample exactly (printed by a failing check)')
    .option('-w, --workers <K>', 'worker threads of the chip emulation (default 1)')
    .option('--dt <seconds>', 'time step (default 1e-4)')
    .option('--integrator <euler|exact>', 'decay a = 1 − dt/τ (euler, default) or exp(−dt/τ)')
    .option('--reset <zero|subtract>', 'reset rule (default zero)')
    .option('--if-mode <step|ode>', 'IF/I integrate R·x per step (default) or dt·R·x')
    .option('--refractory-input <integrate|drop>', 'CurrentLIF input arriving while refractory: added to the current (integrate, default) or discarded (drop)')
    .option('--invariants', 'also fail on broken mapping invariants, each named with node and core: routing (every spike reaches exactly its synapses, no drops, no unreachable rows), core limits, quantization losses, tick overruns')
    .option('--max-weight-loss <fraction>', 'with --invariants: largest fraction of a node\'s weights zeroed or saturated by quantization (default 0.1)')
    .option('-p, --property <expr>', "a property of the chip's spikes for every input (repeatable): 'total-spikes<=B', 'spikes(out,1)>spikes(out,0)', 'spikes(in,0)>0 => spikes(out,0)>=1' (spikes(node[,k]) counts chip spikes of a population or input spikes of an Input)", collect, [])
    .option('-o, --output <file>', 'write the neuromesh/check@1 JSON document (atomically)')
    .option('--json', 'print the JSON document on stdout instead of the summary')
    .option('--weight-scale <K>', WEIGHT_SCALE_HELP)
    .option('--stall-timeout <seconds>', STALL_TIMEOUT_HELP);
  addChipOptions(cmd, 'check')
    .addHelpText('after', `
Each generated input (spike trains: single spikes, bursts, rate trains, silence; inputs start at
the chip's first input step, 0 on spinnaker2) runs on the chip emulation, on the chip's golden model
and on the float64 reference aligned as the chip declares (config.reference). Two verdicts, reported apart:
  chip vs golden model   exact: every spike at the same step and neuron (a kernel or mapping bug)
  chip vs reference      per neuron |Δspike count| ≤ count + rel·max(chip, reference)
                         (default count=1, rel=0.1: quantization may move or lose a spike)
The reference verdict measures quantization and hardware effects (weights rounded to zero,
fixed-point drift): widen --tolerance where the model is known to be sensitive to them.
--invariants also fails on broken mapping invariants (routing, core limits, quantization losses,
tick overruns), each named with node and core; --property checks your own statements on the chip.
A failure is shrunk by fast-check and then spike by spike to a minimal input; the output names
the first differing node[neuron] and step and a --replay seed:path that reproduces it exactly.
Exit 0 when every run passes, 1 on a counterexample, 2 on bad input, 3 on a runtime failure.

Examples:
  $ neuromesh check lif_norse.nir --chip ${chip} --runs 100 --steps 200
  $ neuromesh check cnn_sinabs.nir --chip ${chip} --tolerance count=2,rel=0.2 --json > check.json
  $ neuromesh check model.nir --chip ${chip} --steps 200 --replay 1234:0:3:1`)
    .action(async (model: string, opts: CheckCliOptions, cmd: Command) => {
      const quiet = globalOptions(cmd).quiet;
      guardOutput(opts.output, { inputs: [[model, 'model file']] });
      const r = await checkModel(model, opts, processIO, quiet);
      if (opts.output) writeJsonOutput(r.doc, { path: opts.output, out: processIO.out });
      if (opts.json) writeJsonOutput(r.doc, { stdout: true, out: processIO.out });
      // -q hides progress and notes on stderr, never the verdict
      else processIO.out(r.text);
      if (!r.outcome.ok) process.exitCode = ExitCode.counterexample;
    });
}
