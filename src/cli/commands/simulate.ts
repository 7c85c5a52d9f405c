import { Command } from 'commander';
import { diag, NeuromeshError, throwIfErrors } from '../../errors.js';
import { loadAnalyzed, modelFormat } from '../../io/load.js';
import { guardOutput } from '../../io/output-guard.js';
import { parseInputSpecs, type StepInput } from '../../io/spikes.js';
import { outputKind, writeSimulateOutputs } from '../../io/trace-writers.js';
import { parseRecordSpecs, resolveConfig, simulateAsync, simulateBody, simulateConfig, SIMULATE_SCHEMA_VERSION, type RunResult } from '../../reference/index.js';
import { globalOptions, printWarnings, processIO, type CliIO } from '../context.js';
import { hostSection, makeDoc, serializeDoc, toJsonValue, writeJsonOutput } from '../json.js';
import { createProgress } from '../progress.js';

interface SimulateCliOptions {
  input: string[];
  steps?: string;
  dt?: string;
  integrator?: string;
  reset?: string;
  ifMode?: string;
  refractoryInput?: string;
  delay?: string;
  seed?: string;
  record: string[];
  output?: string;
  json?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Steps when --steps is omitted: the length of the dense inputs, if every input is dense. */
function defaultSteps(inputs: Map<string, StepInput>): number | undefined {
  let T = 0;
  for (const inp of inputs.values()) {
    if (inp.kind !== 'dense') return undefined;
    T = Math.max(T, inp.steps);
  }
  return T > 0 ? T : undefined;
}

/** One line per recorded node: spikes, active neurons, mean rate. */
export function formatSummary(model: string, r: RunResult, seconds: number): string {
  const c = r.config;
  const lines = [
    `${model}: ${c.steps} steps of ${c.dt * 1e3} ms (${(c.steps * c.dt).toPrecision(4)} s), integrator ${c.integrator}, reset ${c.reset}, if-mode ${c.ifMode}, refractory input ${c.refractoryInput}, delay ${c.delay}, seed ${c.seed}; ${seconds.toFixed(2)} s wall`,
  ];
  for (const [node, counts] of r.counts) {
    let total = 0;
    let active = 0;
    for (const x of counts) {
      total += x;
      if (x > 0) active++;
    }
    const rate = total / counts.length / (c.steps * c.dt);
    lines.push(`  ${node}: ${total} spikes, ${active}/${counts.length} neurons active, mean rate ${rate.toPrecision(4)} Hz`);
  }
  for (const [node, vars] of r.traces) for (const [v, tr] of vars) lines.push(`  ${node}:${v}[${tr.start}:${tr.end}] traced`);
  lines.push(`  ${r.totals.synapticEvents} synaptic events, ${r.totals.neuronUpdates} neuron updates`);
  return lines.join('\n');
}

/** JSON has no Infinity/NaN: a diverging trace is reported (one line) rather than crashing the writer. */
function refuseNonFinite(r: RunResult, model: string): void {
  for (const [node, vars] of r.traces)
    for (const [v, tr] of vars)
      for (let k = 0; k < tr.values.length; k++)
        if (!Number.isFinite(tr.values[k]!)) {
          const step = Math.floor(k / (tr.end - tr.start));
          throw new NeuromeshError([diag('E_NOT_FINITE', `trace ${node}:${v} reached ${tr.values[k]} at step ${step}, which JSON cannot hold`, {
            file: model, node, field: v, hint: 'the model diverges with these options (check --dt against the time constants, or --integrator exact); .csv and .npy outputs can hold it',
          })]);
        }
}

export async function runSimulate(model: string, opts: SimulateCliOptions, io: CliIO, quiet: boolean): Promise<void> {
  const t0 = performance.now();
  guardOutput(opts.output, { inputs: [[model, 'model file']] });
  // options first: a bad option fails before a large model is read
  const pre = resolveConfig({ ...opts }, { requireSteps: false });
  throwIfErrors(pre.diagnostics);
  const record = opts.record.length ? parseRecordSpecs(opts.record) : { spec: undefined, diagnostics: [] };
  throwIfErrors(record.diagnostics);
  if (opts.output) outputKind(opts.output);
  if (!opts.input.length && !opts.steps)
    throw new NeuromeshError([diag('E_BAD_OPTION', 'nothing to run: give --input and/or --steps', { field: 'input', hint: 'e.g. --input poisson:rate=100,seed=1 --steps 1000' })]);

  const { graph, shapes, warnings } = await loadAnalyzed(model);
  printWarnings(io, warnings);
  const inputs = await parseInputSpecs(opts.input, graph, shapes, { dt: pre.config!.dt });
  guardOutput(opts.output);
  const t1 = performance.now();
  const steps = opts.steps ?? defaultSteps(inputs);
  if (steps === undefined)
    throw new NeuromeshError([diag('E_BAD_OPTION', 'the number of steps is missing', { field: 'steps', hint: 'pass --steps N (it defaults to the input length only for file inputs)' })]);
  const { config, diagnostics } = resolveConfig({ ...opts, steps });
  throwIfErrors(diagnostics);

  const progress = createProgress(io, { label: 'simulate', total: config!.steps, quiet });
  let result: RunResult;
  try {
    result = await simulateAsync(graph, {
      ...config!,
      inputs,
      file: model,
      ...(record.spec ? { record: record.spec } : {}),
      onProgress: (done) => progress.update(done),
    });
  } finally {
    progress.stop();
  }
  printWarnings(io, result.diagnostics);
  const t2 = performance.now();
  if (opts.json || (opts.output && ['json', 'dir'].includes(outputKind(opts.output)))) refuseNonFinite(result, model);
  const inputDesc = opts.input.length ? opts.input : [];
  const cfg = simulateConfig(result, { model, format: modelFormat(model), inputs: inputDesc });
  const doc = makeDoc('simulate', SIMULATE_SCHEMA_VERSION, cfg, { ...simulateBody(result) }, hostSection({
    load: (t1 - t0) / 1000, simulate: (t2 - t1) / 1000,
  }, { stepsPerSecond: result.config.steps / Math.max(1e-9, (t2 - t1) / 1000) }));
  if (opts.output) {
    const text = serializeDoc(doc);
    const files = writeSimulateOutputs(opts.output, result, text, JSON.stringify(toJsonValue(cfg)), doc.schema);
    if (!quiet && !opts.json) io.err(`wrote ${files.join(', ')}`);
  }
  if (opts.json) writeJsonOutput(doc, { stdout: true, out: io.out });
  else io.out(formatSummary(model, result, (t2 - t1) / 1000));
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description('Run a model in the float64 reference simulator (docs/semantics.md) and record spikes, traces and counts.')
    .argument('<model>', 'model file: .nir (NIR, HDF5) or .nmg (neuromesh graph)')
    .option('-i, --input <form>', 'input of an Input node: file.npy | file.csv | trace:file.csv | poisson:rate=HZ,seed=S, or name=<form> (repeat for several Input nodes)', collect, [])
    .option('-n, --steps <N>', 'number of steps (default: the length of the file inputs)')
    .option('--dt <seconds>', 'time step in seconds (default 1e-4)')
    .option('--integrator <euler|exact>', 'decay a = 1 − dt/τ (euler, default) or exp(−dt/τ) (exact)')
    .option('--reset <zero|subtract>', 'after a spike v ← v_reset (zero, default) or v ← v − v_threshold (subtract)')
    .option('--if-mode <step|ode>', 'I/IF integrate R·x per step (step, default) or dt·R·x (ode)')
    .option('--refractory-input <integrate|drop>', 'CurrentLIF input arriving while refractory: added to the current (integrate, default) or discarded (drop)')
    .option('--delay <0|1>', '1: every edge into a stateful node adds one step (default 0)')
    .option('--seed <S>', 'seed of every random draw (default 0)')
    .option('-r, --record <items>', "what to record, comma-separated: node, node:spikes, node:v, node:v[0:10], node:i, node:y, all (repeatable; default: spikes and counts of every spiking node, output traces of analog Output nodes)", collect, [])
    .option('-o, --output <path>', 'write results: run.json (document), run.csv (node,var,step,neuron,value rows), run.npy (one recorded array), or dir/ (simulate.json + one .npy per recorded item)')
    .option('--json', 'print the neuromesh/simulate@1 JSON document on stdout instead of the summary')
    .addHelpText('after', `
Semantics (docs/semantics.md §1–§4): nodes in topological order; an edge that closes a cycle reads its
source's output of the previous step; spiking is strict (v > v_threshold); recorded v is after reset.
Every output repeats the full run configuration under "config".

Examples:
  $ neuromesh simulate lif_norse.nir --input trace:lif_exact.csv --record 1:v -o lif.json
  $ neuromesh simulate cnn_sinabs.nir --input poisson:rate=200,seed=1 --steps 300 --json
  $ neuromesh simulate braille.nir -i input=spikes.npy --reset subtract -o out/`)
    .action(async (model: string, opts: SimulateCliOptions, cmd: Command) => {
      await runSimulate(model, opts, processIO, globalOptions(cmd).quiet);
    });
}
