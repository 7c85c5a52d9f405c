import { own } from '../../own.js';
import { Command } from 'commander';
import { backendFor, loadProfile, readNmp } from '../../../chips/index.js';
import { acceptProgram } from '../../chip/accept.js';
import { runPipeline, runProgram } from '../pipeline.js';
import type { ChipProfile } from '../../chip/profile.js';
import { unverifiedFields } from '../../chip/profile.js';
import type { ChipProgram } from '../../chip/program.js';
import { counterTotals } from '../../cost/index.js';
import { diag, NeuromeshError, throwIfErrors } from '../../errors.js';
import type { Graph, ShapeInfo } from '../../graph/graph.js';
import { loadAnalyzed, modelFormat } from '../../io/load.js';
import { guardOutput } from '../../io/output-guard.js';
import { parseInputSpecs, type StepInput } from '../../io/spikes.js';
import { INTEGRATION, MAX_STEPS, parseRecordSpecs, resolveConfig } from '../../reference/index.js';
import { decimalNumber, intOption } from '../../number-intake.js';
import { costMarkdown, runBody, RUN_SCHEMA_VERSION, si, type RunReportInput } from '../../report/index.js';
import { globalOptions, printWarnings, processIO, type CliIO } from '../context.js';
import { hostSection, makeDoc, writeJsonOutput } from '../json.js';
import { createProgress } from '../progress.js';
import { parseMemoryBudget } from '../memory-budget.js';
import { parseWeightScale, WEIGHT_SCALE_HELP, weightScaleConfig } from '../weight-scale-option.js';
import type { WeightScaleDecision } from '../../chip/weight-scale.js';
import { parseStallTimeout, STALL_TIMEOUT_HELP } from '../stall-timeout.js';
import { addChipOptions, chipOptionValues, compileTimeOptions, exampleProfile } from '../chip-options.js';

interface RunCliOptions {
  chip: string;
  input: string[];
  steps?: string;
  workers?: string;
  record: string[];
  weightScale?: string;
  dt?: string;
  integrator?: string;
  reset?: string;
  ifMode?: string;
  refractoryInput?: string;
  seed?: string;
  compare?: boolean;
  output?: string;
  json?: boolean;
  memoryBudget?: string;
  stallTimeout?: string;
}

/** More worker threads than this is a typo, not a machine. */
const MAX_WORKERS = 4096;

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function positiveInt(v: string | undefined, field: string, dflt: number, max: number, why: string): number {
  return intOption(v, { what: `--${field}`, min: 1, max, why, where: { field } }) ?? dflt;
}

/** `--record node:v` items → populations whose v is traced (spikes of spiking nodes are always recorded). */
function traceNodes(items: string[]): string[] {
  if (!items.length) return [];
  const { spec, diagnostics } = parseRecordSpecs(items);
  throwIfErrors(diagnostics);
  const out = new Set<string>();
  for (const t of spec?.traces ?? []) {
    if (t.var !== 'v' || t.start !== undefined || t.end !== undefined)
      throw new NeuromeshError([diag('E_BAD_OPTION', `--record ${t.node}:${t.var}: a chip run records v of whole populations`, { field: 'record', node: t.node, hint: `use --record ${t.node}:v` })]);
    out.add(t.node);
  }
  return [...out];
}

/** Input shapes of a program's source populations, for parsing --input without the graph. */
function programInputs(p: ChipProgram): { graph: Graph; shapes: ShapeInfo } {
  const nodes = p.populations.filter((q) => q.role === 'source').map((q) => ({ kind: 'Input' as const, name: q.name, shape: q.shape }));
  const output = new Map(nodes.map((n) => [n.name, n.shape]));
  return { graph: { nodes, edges: [] }, shapes: { output, input: new Map(), order: nodes.map((n) => n.name) } as unknown as ShapeInfo };
}

function summary(model: string, profile: ChipProfile, r: RunReportInput, steps: number, dt: number, K: number, workers: number, wall: number): string {
  const lines: string[] = [];
  lines.push(`${model} on ${profile.id} v${profile.version}: ${steps} ticks of ${dt * 1e3} ms, ${workers} worker${workers === 1 ? '' : 's'}${K !== 1 ? `, weight scale ${K}` : ''}; ${wall.toFixed(2)} s wall`);
  for (const [node, c] of r.counts) {
    let total = 0;
    for (let i = 0; i < c.length; i++) total += c[i]!;
    const cmp = r.compare ? own(r.compare.nodes, node) : undefined;
    lines.push(`  ${node}: ${total} spikes${cmp ? ` (reference ${cmp.referenceSpikes}; ${cmp.differingSpikes} (step, neuron) events differ, Σ|Δcount| ${cmp.countDifference})` : ''}`);
  }
  lines.push(`  ${Object.entries(counterTotals(r.counters)).map(([n, v]) => `${v} ${n.replace(/_/g, ' ')}`).join(', ')}`);
  lines.push(`  energy ${si(r.energy.totalJ, 'J')} (${r.energy.energyModel}), latency ${si(r.latency.meanStepS, 's')} per tick (max ${si(r.latency.maxStepS, 's')})`);
  lines.push('', costMarkdown(r.energy, r.latency, r.coefficients));
  return lines.join('\n');
}

export async function runRun(model: string, opts: RunCliOptions, io: CliIO, quiet: boolean): Promise<void> {
  const t0 = performance.now();
  guardOutput(opts.output, { inputs: [[model, 'model file']] });
  const pre = resolveConfig({ dt: opts.dt, integrator: opts.integrator, reset: opts.reset, ifMode: opts.ifMode, refractoryInput: opts.refractoryInput, seed: opts.seed, delay: 1 }, { requireSteps: false });
  throwIfErrors(pre.diagnostics);
  const cfg = pre.config!;
  const workers = positiveInt(opts.workers, 'workers', 1, MAX_WORKERS, 'more worker threads than that is a typo, not a machine');
  const K = parseWeightScale(opts.weightScale);
  const trace = traceNodes(opts.record);
  const memoryBudget = parseMemoryBudget(opts.memoryBudget);
  const stall = parseStallTimeout(opts.stallTimeout);
  const document = Boolean(opts.output || opts.json);
  const profile = loadProfile(opts.chip);
  const backend = backendFor(profile);
  const chipOptions = chipOptionValues(opts, backend, 'run');
  const isProgram = model.toLowerCase().endsWith('.nmp');
  if (!isProgram) modelFormat(model);
  let steps = opts.steps === undefined ? undefined : positiveInt(opts.steps, 'steps', 1, MAX_STEPS, 'steps are counted in 31 bits');
  let bar: ReturnType<typeof createProgress> | undefined;
  try {
    let report: RunReportInput;
    let program: ChipProgram;
    let warnings;
    let scale: WeightScaleDecision | undefined;
    const timings: Record<string, number> = {};
    if (isProgram) {
      if (opts.compare) throw new NeuromeshError([diag('E_BAD_OPTION', '--compare needs the model, not a compiled .nmp', { field: 'compare', hint: 'run the .nir/.nmg model' })]);
      // what a compiled program fixes cannot be changed at run time: refuse it rather than ignore it
      // the seed placed the program and drives its SpikeSources: the program's own seed is used
      program = await readNmp(model);
      // a value equal to the one compiled in is accepted (scripts pass the same flags to compile and run)
      // [option, given on the command line, its parsed value, the program's value]
      const c = program.config;
      const given: [string, unknown, unknown, string | number][] = [
        ['dt', opts.dt, cfg.dt, c.dt], ['integrator', opts.integrator, cfg.integrator, c.integrator], ['reset', opts.reset, cfg.reset, c.reset],
        ['if-mode', opts.ifMode, cfg.ifMode, c.ifMode], ['refractory-input', opts.refractoryInput, cfg.refractoryInput, c.refractoryInput],
        ['seed', opts.seed, cfg.seed, program.seed], ['weight-scale', opts.weightScale, K, program.weightScale],
      ];
      const differ = given.filter(([, raw, v, compiled]) => raw !== undefined && v !== compiled).map(([k, , , compiled]): [string, string | number] => [k, compiled]);
      const fixedHere = [...differ.map(([k]) => k), ...compileTimeOptions(chipOptions)];
      if (fixedHere.length) {
        const names = fixedHere.map((k) => `--${k}`).join(', ');
        const was = differ.map(([k, compiled]) => `--${k} ${compiled}`).join(', ');
        // compile takes each of them (the weight scale is recorded in the program)
        const recompile = fixedHere.map((k) => `--${k}`).join(' ');
        throw new NeuromeshError([diag('E_BAD_OPTION', `${names} ${fixedHere.length === 1 ? 'is' : 'are'} fixed when a program is compiled and cannot change for a compiled .nmp${was ? ` (compiled with ${was})` : ''}`, {
          field: fixedHere[0]!, hint: `recompile: neuromesh compile <model> ${recompile} …, or run the .nir/.nmg model`,
        })]);
      }
      acceptProgram(program, backend, model);
      const { graph, shapes } = programInputs(program);
      const inputs = await parseInputSpecs(opts.input, graph, shapes, { dt: program.config.dt });
      guardOutput(opts.output);
      steps ??= defaultSteps(inputs);
      timings.load = (performance.now() - t0) / 1000;
      bar = createProgress(io, { label: 'run', total: steps, quiet });
      const t1 = performance.now();
      const r = await runProgram(program, backend, { steps, workers, inputs, seed: program.seed, chipOptions, trace, memoryBudget, document, ...(stall ? { stall } : {}), progress: { every: Math.max(1, Math.floor(steps / 200)), onProgress: (s) => bar!.update(s) } });
      timings.run = (performance.now() - t1) / 1000;
      report = r.report;
      warnings = r.run.warnings;
    } else {
      const { graph, shapes, warnings: lw } = await loadAnalyzed(model);
      printWarnings(io, lw);
      const inputs = await parseInputSpecs(opts.input, graph, shapes, { dt: cfg.dt });
      guardOutput(opts.output);
      steps ??= defaultSteps(inputs);
      timings.load = (performance.now() - t0) / 1000;
      const compileBar = createProgress(io, { label: 'compile', total: 9, quiet });
      let r;
      try {
        r = await runPipeline(graph, backend, {
          steps, workers, inputs, seed: cfg.seed, weightScale: K, trace, compare: Boolean(opts.compare), file: model, memoryBudget, document, ...(stall ? { stall } : {}),
          config: { dt: cfg.dt, integrator: cfg.integrator, reset: cfg.reset, ifMode: cfg.ifMode, refractoryInput: cfg.refractoryInput },
          chipOptions,
          onPass: () => compileBar.tick(),
          progress: {
            every: Math.max(1, Math.floor(steps / 200)),
            onProgress: (s) => {
              compileBar.stop();
              bar ??= createProgress(io, { label: 'run', total: steps!, quiet });
              bar.update(s);
            },
          },
        });
      } finally {
        compileBar.stop();
      }
      printWarnings(io, r.compiled.diagnostics);
      scale = r.weightScale;
      program = r.compiled.program;
      report = r.report;
      warnings = r.run.warnings;
      Object.assign(timings, r.timings);
    }
    bar?.stop();
    printWarnings(io, warnings);
    const config = {
      engine: `chip:${profile.id}`,
      chip: { id: profile.id, family: profile.family, version: profile.version, unverified: unverifiedFields(profile), energyModel: profile.energyModel ?? 'per-event', arithmetic: profile.arithmetic ?? null },
      model, format: isProgram ? 'nmp' : modelFormat(model), inputs: opts.input,
      dt: program.config.dt, integrator: program.config.integrator, reset: program.config.reset, ifMode: program.config.ifMode,
      refractoryInput: program.config.refractoryInput,
      delay: 1, delayNote: 'spikes between neurons arrive one tick after they are sent; input spikes reach their first targets in the same tick',
      steps, seed: program.seed, ...backend.runConfig(chipOptions), ...weightScaleConfig(scale ?? program.weightScale),
      tickPeriodS: report.energy.tickPeriodS, timeScaleFactor: report.energy.tickPeriodS / program.config.dt,
      integration: INTEGRATION[program.config.integrator],
    };
    // after the run, so that an error is still one line
    if (!quiet) io.err(`note: ${config.weightScaleNote}`);
    const total = (performance.now() - t0) / 1000;
    const doc = makeDoc('run', RUN_SCHEMA_VERSION, config, runBody(report), hostSection({ ...timings, total }, { workers }));
    if (opts.output) {
      writeJsonOutput(doc, { path: opts.output, out: io.out });
      if (!quiet && !opts.json) io.err(`wrote ${opts.output}`);
    }
    if (opts.json) writeJsonOutput(doc, { stdout: true, out: io.out });
    // -q hides progress and notes on stderr, never the result
    else io.out(summary(model, profile, report, steps, program.config.dt, program.weightScale, workers, total));
  } finally {
    bar?.stop();
  }
}

function defaultSteps(inputs: Map<string, StepInput>): number {
  let T = 0;
  for (const inp of inputs.values()) {
    if (inp.kind !== 'dense') T = -1;
    else if (T >= 0) T = Math.max(T, inp.steps);
  }
  if (T > 0) return T;
  throw new NeuromeshError([diag('E_BAD_OPTION', 'the number of steps is missing', { field: 'steps', hint: 'pass --steps N (it defaults to the input length only for file inputs)' })]);
}

export function register(program: Command): void {
  const chip = exampleProfile();
  const cmd = program
    .command('run')
    .description('Compile a model for a chip and run it on the emulated chip (worker threads); report spikes, event counters, energy and latency.')
    .argument('<model>', 'model file: .nir, .nmg, or a compiled program .nmp')
    .requiredOption('-c, --chip <profile>', 'chip profile: a built-in id (see `neuromesh profiles`) or a path to a .json profile')
    .option('-i, --input <form>', 'input of an Input node: file.npy | file.csv | trace:file.csv | poisson:rate=HZ,seed=S, or name=<form> (repeatable)', collect, [])
    .option('-n, --steps <N>', 'number of ticks (default: the length of the file inputs)')
    .option('-w, --workers <K>', 'worker threads (default 1); results are identical for any K')
    .option('-r, --record <items>', 'v traces to record: node:v (repeatable); spikes of every spiking population are always recorded', collect, [])
    .option('--weight-scale <K>', WEIGHT_SCALE_HELP)
    .option('--dt <seconds>', 'time step (default 1e-4)')
    .option('--integrator <euler|exact>', 'decay a = 1 − dt/τ (euler, default) or exp(−dt/τ) (exact)')
    .option('--reset <zero|subtract>', 'reset rule (default zero)')
    .option('--if-mode <step|ode>', 'I/IF integrate R·x per step (step, default) or dt·R·x (ode)')
    .option('--refractory-input <integrate|drop>', 'CurrentLIF input arriving while refractory: added to the current (integrate, default) or discarded (drop)')
    .option('--seed <S>', 'seed of placement and of SpikeSource nodes without their own (default 0)')
    .option('--compare', 'also run the float64 reference and report how many spikes differ')
    .option('-o, --output <file>', 'write the neuromesh/run@1 JSON document (written atomically: no partial file on Ctrl-C)')
    .option('--json', 'print the JSON document on stdout instead of the summary')
    .option('--stall-timeout <seconds>', STALL_TIMEOUT_HELP)
    .option('--memory-budget <size>', 'refuse, before allocating, a run whose estimated memory (per-tick latency, v traces, inputs, the JSON document) exceeds this: bytes or K/M/G/T, e.g. 512M, 4G (default: half of physical memory)');
  addChipOptions(cmd, 'run')
    .addHelpText('after', `
Each chip states its number formats, delays and routing in its profile (\`neuromesh profiles <id>\`).
On a digital chip, spikes between neurons arrive one tick after they are sent and input spikes act
in the tick they occur. Exit 3 if a worker dies (the message names the worker, tick and core), 130 on
Ctrl-C and 143 on SIGTERM (no output file is left behind). Semantics: docs/semantics.md.

Examples:
  $ neuromesh run lif_norse.nir --chip ${chip} --input trace:lif_exact.csv --record 1:v -o lif.json
  $ neuromesh run cnn_sinabs.nir --chip ${chip} --input poisson:rate=200,seed=1 --steps 300 --workers 2 --compare`)
    .action(async (model: string, opts: RunCliOptions, cmd: Command) => {
      await runRun(model, opts, processIO, globalOptions(cmd).quiet);
    });
}
