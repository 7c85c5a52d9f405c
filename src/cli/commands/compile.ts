import { readFileSync } from 'node:fs';
import { parseJsonText } from '../../io/json-text.js';
import { Command } from 'commander';
import { backendFor, loadProfile, writeNmp } from '../../../chips/index.js';
import type { ChipProgram } from '../../chip/program.js';
import type { ChipBackend } from '../../chip/backend.js';
import { addChipOptions, chipOptionValues, exampleProfile } from '../chip-options.js';
import { groupDigits } from '../../report/index.js';
import { compile, type CompileResult, type PassTrace } from '../../../compiler/index.js';
import { unverifiedFields } from '../../chip/profile.js';
import { diag, NeuromeshError, throwIfErrors } from '../../errors.js';
import { loadModel } from '../../io/load.js';
import { resolveConfig } from '../../reference/config.js';
import { globalOptions, printWarnings, processIO, type CliIO } from '../context.js';
import { hostSection, makeDoc, writeJsonOutput } from '../json.js';
import { createProgress } from '../progress.js';
import { fileAccessError } from '../../io/file-error.js';
import { setOwn } from '../../own.js';
import { guardOutput, noteInput } from '../../io/output-guard.js';
import { parseWeightScale, WEIGHT_SCALE_HELP, weightScaleConfig } from '../weight-scale-option.js';

/** Version of the `neuromesh/compile` JSON schema (schemas/compile.schema.json). */
export const COMPILE_SCHEMA_VERSION = 1;

interface CompileCliOptions {
  chip: string;
  output?: string;
  json?: boolean;
  seed?: string;
  dt?: string;
  integrator?: string;
  reset?: string;
  refractoryInput?: string;
  ifMode?: string;
  delay?: string;
  rates?: string;
  weightScale?: string;
}

/** The generic parts of a program, the same for every chip (docs/semantics.md §5). */
function envelopeDoc(p: ChipProgram): Record<string, unknown> {
  return { mappingHash: p.profile.mappingHash, model: p.model, time: p.time, resources: p.resources, units: p.units };
}

/**
 * Spike counts per node from a reference run's JSON (`neuromesh simulate … -o run.json`: its
 * `counts` object, one count per neuron), for traffic-aware placement.
 */
export function readActivity(path: string): Record<string, number[]> {
  const hint = 'give the JSON of a run: neuromesh simulate model --steps N -o run.json';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new NeuromeshError([fileAccessError(path, e, 'rates file', { field: '--rates' })]);
  }
  noteInput(path, 'rates file');
  const parsed = parseJsonText(text);
  if ('error' in parsed) throw new NeuromeshError([diag('E_BAD_JSON', `rates file is not JSON (${parsed.error})`, { file: path, field: '--rates', hint })]);
  const doc = parsed.value;
  const counts = (doc as { counts?: unknown } | null)?.counts;
  if (typeof counts !== 'object' || counts === null || Array.isArray(counts))
    throw new NeuromeshError([diag('E_BAD_OPTION', "has no 'counts' object (spike counts per node)", { file: path, field: 'counts', hint: 'give the JSON of a run: neuromesh simulate model --steps N -o run.json' })]);
  const out: Record<string, number[]> = {};
  for (const [node, v] of Object.entries(counts as Record<string, unknown>)) {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !(x >= 0) || x > Number.MAX_SAFE_INTEGER))
      throw new NeuromeshError([diag('E_BAD_OPTION', 'counts must be an array of spike counts from 0 to 2^53 (one per neuron)', { file: path, node, field: 'counts' })]);
    setOwn(out, node, v as number[]);
  }
  return out;
}

/** Compile a model file for a chip profile: the result plus the JSON document and timings. */
export async function compileModel(model: string, opts: CompileCliOptions, io: CliIO, quiet: boolean): Promise<{ result: CompileResult; backend: ChipBackend; mapping: ReturnType<ChipBackend['compileOptions']>; timings: Record<string, number> }> {
  const t0 = performance.now();
  const profile = loadProfile(opts.chip);
  const backend = backendFor(profile);
  const { config, diagnostics } = resolveConfig(
    { dt: opts.dt, integrator: opts.integrator, reset: opts.reset, ifMode: opts.ifMode, refractoryInput: opts.refractoryInput, delay: opts.delay ?? 1, seed: opts.seed },
    { requireSteps: false },
  );
  throwIfErrors(diagnostics);
  const chipOptions = chipOptionValues(opts, backend, 'compile');
  const mapping = backend.compileOptions(chipOptions);
  const weightScale = parseWeightScale(opts.weightScale);
  const graph = await loadModel(model);
  const t1 = performance.now();
  const bar = createProgress(io, { label: 'compile', total: 9, quiet });
  const timings: Record<string, number> = { load: (t1 - t0) / 1000 };
  let result: CompileResult;
  try {
    result = compile(graph, backend, {
      seed: config!.seed,
      weightScale,
      config: { dt: config!.dt, integrator: config!.integrator, reset: config!.reset, ifMode: config!.ifMode, refractoryInput: config!.refractoryInput, delay: config!.delay },
      ...mapping,
      file: model,
      ...(opts.rates ? { activity: readActivity(opts.rates) } : {}),
      onPass: (t: PassTrace) => {
        timings[t.pass] = t.ms / 1000;
        timings[`${t.pass}.verify`] = t.verifyMs / 1000;
        bar.tick();
      },
    });
  } finally {
    bar.stop();
  }
  return { result, backend, mapping, timings };
}

export function register(program: Command): void {
  const chip = exampleProfile();
  const cmd = program
    .command('compile')
    .description('Compile a model onto a chip profile: partition, place, route; print the resources it uses.')
    .argument('<model>', 'model file: .nir (NIR, HDF5) or .nmg (neuromesh graph)')
    .requiredOption('-c, --chip <profile>', 'chip profile: a built-in id (see `neuromesh profiles`) or a path to a .json profile')
    .option('-o, --output <file>', 'write the compiled program (.nmp, protobuf) or the JSON document (.json)')
    .option('--json', 'print the neuromesh/compile@1 JSON document (with routing tables) on stdout instead of the summary')
    .option('--seed <S>', 'seed of the placement refinement (default 0); one seed gives a byte-identical program')
    .option('--rates <run.json>', 'weight placement traffic by the spike counts of a reference run (the counts of `neuromesh simulate … -o run.json`); default: every neuron fires once')
    .option('--dt <seconds>', 'time step the program is compiled for (default 1e-4)')
    .option('--integrator <euler|exact>', 'decay a = 1 − dt/τ (euler, default) or exp(−dt/τ) (exact)')
    .option('--reset <zero|subtract>', 'reset rule (default zero)')
    .option('--if-mode <step|ode>', 'I/IF integrate R·x per step (step, default) or dt·R·x (ode)')
    .option('--refractory-input <integrate|drop>', 'CurrentLIF input arriving while refractory: added to the current (integrate, default) or discarded (drop)')
    .option('--delay <0|1>', 'steps each edge into a stateful node adds on the chip (default 1)')
    .option('--weight-scale <K>', `${WEIGHT_SCALE_HELP}; K is recorded in the .nmp`);
  addChipOptions(cmd, 'compile')
    .addHelpText('after', `
Examples:
  neuromesh compile cnn_sinabs.nir --chip ${chip} -o cnn.nmp
  neuromesh compile braille.nir --chip ./my-board.json --json > braille.compile.json
  neuromesh compile net.nmg --chip ${chip} --verbose`)
    .action(async (model: string, opts: CompileCliOptions, cmd: Command) => {
      const io = processIO;
      const g = globalOptions(cmd);
      guardOutput(opts.output, { inputs: [[model, 'model file'], [opts.rates, 'rates file']] });
      // a program is a .nmp and a report a .json: a program under a model's extension (.nmg, .nir)
      // would be refused by every reader of that extension
      if (opts.output !== undefined && !/\.(nmp|json)$/.test(opts.output))
        throw new NeuromeshError([diag('E_UNKNOWN_FORMAT', `-o ${opts.output}: compile writes a program (.nmp) or its report (.json)`, { field: 'output', hint: 'name the output e.g. model.nmp or model.compile.json' })]);
      const { result, backend, mapping, timings } = await compileModel(model, opts, io, g.quiet || Boolean(opts.json));
      printWarnings(io, result.diagnostics);
      if (g.verbose)
        for (const t of result.trace)
          io.err(`pass ${t.pass.padEnd(9)} ${t.ms.toFixed(1).padStart(9)} ms  verify ${t.verifyMs.toFixed(1).padStart(8)} ms  ${Object.entries(t.sizes).map(([k, v]) => `${k}=${v}`).join(' ')}`);
      let nmpBytes: number | undefined;
      const out = opts.output;
      if (out && !out.endsWith('.json')) {
        const t0 = performance.now();
        nmpBytes = writeNmp(result.program, out);
        timings.write = (performance.now() - t0) / 1000;
      }
      const wantDoc = opts.json || (out?.endsWith('.json') ?? false);
      if (wantDoc) {
        const doc = makeDoc('compile', COMPILE_SCHEMA_VERSION, {
          model, chip: result.program.profile.id, ...result.program.config, seed: result.program.seed, ...mapping, ...weightScaleConfig(result.weightScale),
          ...(opts.rates ? { rates: opts.rates } : {}),
        }, { ...backend.describe(result.program, unverifiedFields(backend.profile)), program: envelopeDoc(result.program), diagnostics: result.diagnostics }, hostSection(timings, {
          passes: result.trace.map((t) => ({ pass: t.pass, ms: t.ms, verifyMs: t.verifyMs, sizes: t.sizes })),
          ...(nmpBytes !== undefined ? { nmpBytes } : {}),
        }));
        writeJsonOutput(doc, { ...(out?.endsWith('.json') ? { path: out } : {}), stdout: Boolean(opts.json) });
      }
      if (!g.quiet) io.err(`note: ${weightScaleConfig(result.weightScale).weightScaleNote}`);
      if (!opts.json) {
        io.out(backend.summarize(result.program, model));
        if (nmpBytes !== undefined) io.out(`wrote ${out} (${groupDigits(nmpBytes)} bytes)`);
        else if (out) io.out(`wrote ${out}`);
      }
    });
}
