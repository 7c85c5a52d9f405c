import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { backendFor, loadProfile } from '../../../chips/index.js';
import { compile, type CompileResult, type PassTrace } from '../../../compiler/index.js';
import { unverifiedFields } from '../../chip/profile.js';
import { diag, NeuromeshError, throwIfErrors } from '../../errors.js';
import { loadModel } from '../../io/load.js';
import { writeNmp } from '../../io/proto/program-codec.js';
import { resolveConfig } from '../../reference/config.js';
import { globalOptions, printWarnings, processIO, type CliIO } from '../context.js';
import { hostSection, makeDoc, writeJsonOutput } from '../json.js';
import { createProgress } from '../progress.js';
import { groupDigits } from './inspect.js';
import { fileAccessError } from '../../io/file-error.js';

/** Version of the `neuromesh/compile` JSON schema (schemas/compile.schema.json). */
export const COMPILE_SCHEMA_VERSION = 1;

interface CompileCliOptions {
  chip: string;
  output?: string;
  json?: boolean;
  maxNeuronsPerCore: string[];
  seed?: string;
  dt?: string;
  integrator?: string;
  reset?: string;
  ifMode?: string;
  delay?: string;
  routing?: string;
  rates?: string;
}

/** SpiNNaker link ids 0–5 with their grid direction (dx, dy). */
export const LINK_NAMES = ['east (+1,0)', 'north-east (+1,+1)', 'north (0,+1)', 'west (−1,0)', 'south-west (−1,−1)', 'south (0,−1)'];

/**
 * The body of the `neuromesh/compile@1` document (docs/semantics.md §5): totals, cores (where each
 * neuron range of each node runs, with its routing key), routers (entries in match order), the
 * machine's links (so that a checker can replay the tables) and the resource summary.
 */
export function programDoc(r: CompileResult, unverified: string[]): Record<string, unknown> {
  const p = r.program;
  const xy = (c: number): [number, number] => p.machine.chips[c]!;
  const links: { from: [number, number]; link: number; to: [number, number] }[] = [];
  for (let c = 0; c < p.machine.chips.length; c++)
    for (let l = 0; l < p.machine.linksPerChip; l++) {
      const d = p.machine.neighbour[c * p.machine.linksPerChip + l]!;
      if (d >= 0) links.push({ from: xy(c), link: l, to: xy(d) });
    }
  const { weights, ...resources } = p.summary;
  return {
    chip: { id: p.profile.id, family: p.profile.family, version: p.profile.version, unverified },
    graphHash: p.graphHash,
    totals: { neurons: p.summary.neurons, synapses: p.summary.synapses, cores: p.summary.cores, sources: p.summary.sources, relays: p.summary.relays, relaySynapses: p.summary.relaySynapses, chips: p.summary.chips, modelSynapses: p.summary.modelSynapses, storedWeights: p.summary.storedWeights, biasInputs: p.summary.biasInputs },
    populations: p.populations.map((q) => ({ name: q.name, kind: q.kind, role: q.role, size: q.size, shape: q.shape, output: q.output })),
    cores: p.cores.map((c) => ({
      chip: xy(c.chip), pe: c.pe, node: p.populations[c.pop]!.name, lo: c.lo, hi: c.hi, neurons: c.hi - c.lo,
      key: c.key, mask: c.mask, synapses: c.words.length, rows: c.rowKeys.length, sramBytes: c.sramBytes, shifts: c.shifts,
    })),
    routers: p.routers.map((t) => ({
      chip: xy(t.chip), entriesBefore: t.entriesBefore,
      entries: t.entries.map((e) => ({ key: e.key, mask: e.mask, route: { links: e.links, cores: e.cores } })),
    })),
    machine: { chips: p.machine.chips.length, coresPerChip: p.machine.coresPerChip, usableCoresPerChip: p.machine.usableCoresPerChip, linkNames: LINK_NAMES, links },
    resources,
    weights,
  };
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
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new NeuromeshError([diag('E_BAD_JSON', `rates file is not JSON (${(e as Error).message.split('\n')[0]})`, { file: path, field: '--rates', hint })]);
  }
  const counts = (doc as { counts?: unknown } | null)?.counts;
  if (typeof counts !== 'object' || counts === null || Array.isArray(counts))
    throw new NeuromeshError([diag('E_BAD_OPTION', "has no 'counts' object (spike counts per node)", { file: path, field: 'counts', hint: 'give the JSON of a run: neuromesh simulate model --steps N -o run.json' })]);
  const out: Record<string, number[]> = {};
  for (const [node, v] of Object.entries(counts as Record<string, unknown>)) {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number'))
      throw new NeuromeshError([diag('E_BAD_OPTION', 'counts must be an array of numbers (one per neuron)', { file: path, node, field: 'counts' })]);
    out[node] = v as number[];
  }
  return out;
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** `name=N` (one population) or `N` (every population) → caps; one-line errors naming the option. */
export function parseCaps(specs: string[]): Record<string, number> {
  const caps: Record<string, number> = {};
  for (const s of specs) {
    const m = /^(?:(.+)=)?\s*(\d+)\s*$/.exec(s);
    if (!m) throw new NeuromeshError([diag('E_BAD_OPTION', `--max-neurons-per-core '${s}' is not name=N or N`, { field: 'max-neurons-per-core', hint: 'e.g. --max-neurons-per-core lif1=64' })]);
    caps[m[1] ?? '*'] = Number(m[2]);
  }
  return caps;
}

/** Compile a model file for a chip profile: the result plus the JSON document and timings. */
export async function compileModel(model: string, opts: CompileCliOptions, io: CliIO, quiet: boolean): Promise<{ result: CompileResult; timings: Record<string, number> }> {
  const t0 = performance.now();
  const profile = loadProfile(opts.chip);
  const backend = backendFor(profile);
  const { config, diagnostics } = resolveConfig(
    { dt: opts.dt, integrator: opts.integrator, reset: opts.reset, ifMode: opts.ifMode, delay: opts.delay ?? 1, seed: opts.seed },
    { requireSteps: false },
  );
  throwIfErrors(diagnostics);
  const caps = parseCaps(opts.maxNeuronsPerCore);
  if (opts.routing !== undefined && opts.routing !== 'slice' && opts.routing !== 'exact')
    throw new NeuromeshError([diag('E_BAD_OPTION', `--routing '${opts.routing}' is not known`, { field: 'routing', hint: 'use slice (default) or exact' })]);
  const graph = await loadModel(model);
  const t1 = performance.now();
  const bar = createProgress(io, { label: 'compile', total: 9, quiet });
  const timings: Record<string, number> = { load: (t1 - t0) / 1000 };
  let result: CompileResult;
  try {
    result = compile(graph, backend, {
      seed: config!.seed,
      config: { dt: config!.dt, integrator: config!.integrator, reset: config!.reset, ifMode: config!.ifMode, delay: config!.delay },
      maxNeuronsPerCore: caps,
      file: model,
      routing: opts.routing === 'exact' ? 'exact' : 'slice',
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
  return { result, timings };
}

/** The resource summary printed after a compile. */
export function formatSummary(model: string, r: CompileResult): string {
  const p = r.program;
  const s = p.summary;
  const g = groupDigits;
  const pct = (a: number, b: number): string => (b > 0 ? `${a <= b ? '−' : '+'}${Math.abs(Math.round((1 - a / b) * 100))}%` : 'n/a');
  const per = s.traffic.basis === 'one spike per neuron' ? 'per spike of every neuron' : 'over the reference run';
  const lines = [
    `${model} → ${p.profile.id} v${p.profile.version} (seed ${p.seed}, dt ${p.config.dt} s)`,
    `neurons ${g(s.neurons)} placed (+ ${g(s.sources)} spike-source neurons, ${g(s.biasInputs)} constant bias inputs${s.relays ? `, ${g(s.relays)} delay-extension relays with ${g(s.relaySynapses)} synapses` : ''})`,
    `synapses ${g(s.synapses)} placed as 32-bit words (the model's nodes count ${g(s.modelSynapses)} connections one by one, ${g(s.storedWeights)} stored weights; chains of stateless nodes are composed into one projection)`,
    `cores ${g(s.cores)} on ${g(s.chips)} chip${s.chips === 1 ? '' : 's'}; SRAM per core max ${g(s.sramPerCore.max)} B, mean ${g(Math.round(s.sramPerCore.mean))} B of ${g(s.sramPerCore.limit)} B`,
    `router entries ${g(s.routerEntries.before)} before compression, ${g(s.routerEntries.after)} after (largest table ${g(s.routerEntries.maxAfter)} of ${g(s.routerEntries.limit)})`,
    `chip links used ${g(s.linkLoad.links)}: load max ${g(Math.round(s.linkLoad.max))}, mean ${s.linkLoad.mean} packets (${per})`,
    `estimated traffic (${per}): ${g(Math.round(s.traffic.chipHops))} chip-link hops, ${g(Math.round(s.traffic.meshHops))} on-chip mesh hops`,
    `placement cost ${s.placement.cost} (locality start ${s.placement.startCost}, naive row-major ${s.placement.naiveCost}: ${pct(s.placement.cost, s.placement.naiveCost)}; ${g(s.placement.accepted)} of ${g(s.placement.moves)} annealing moves accepted)`,
  ];
  const lossy = s.weights.filter((w) => w.zeroed || w.saturated);
  for (const w of lossy) lines.push(`weights of ${w.node}: ${g(w.zeroed)} of ${g(w.synapses)} round to zero, ${g(w.saturated)} saturate (shift ${w.shift})`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('compile')
    .description('Compile a model onto a chip profile: partition, place, route; print the resources it uses.')
    .argument('<model>', 'model file: .nir (NIR, HDF5) or .nmg (neuromesh graph)')
    .requiredOption('-c, --chip <profile>', 'chip profile: a built-in id (see `neuromesh profiles`) or a path to a .json profile')
    .option('-o, --output <file>', 'write the compiled program (.nmp, protobuf) or the JSON document (.json)')
    .option('--json', 'print the neuromesh/compile@1 JSON document (with routing tables) on stdout instead of the summary')
    .option('--max-neurons-per-core <name=N>', 'cap neurons per core for one population (name=N) or all (N); repeatable', collect, [])
    .option('--seed <S>', 'seed of the placement refinement (default 0); one seed gives a byte-identical program')
    .option('--rates <run.json>', 'weight placement traffic by the spike counts of a reference run (the counts of `neuromesh simulate … -o run.json`); default: every neuron fires once')
    .option('--routing <slice|exact>', 'slice (default): one multicast tree per core, each key reaches its slice\'s targets; exact: per-neuron key blocks where possible, each key reaches exactly its own targets (for traffic and cost estimates: `run` refuses such a program)')
    .option('--dt <seconds>', 'time step the program is compiled for (default 1e-4)')
    .option('--integrator <euler|exact>', 'decay a = 1 − dt/τ (euler, default) or exp(−dt/τ) (exact)')
    .option('--reset <zero|subtract>', 'reset rule (default zero)')
    .option('--if-mode <step|ode>', 'I/IF integrate R·x per step (step, default) or dt·R·x (ode)')
    .option('--delay <0|1>', 'steps each edge into a stateful node adds on the chip (default 1)')
    .addHelpText('after', `
Link ids in routing tables: ${LINK_NAMES.map((n, i) => `${i} ${n}`).join(', ')}.
Examples:
  neuromesh compile cnn_sinabs.nir --chip spinnaker2-48 -o cnn.nmp
  neuromesh compile braille.nir --chip ./my-board.json --json > braille.compile.json
  neuromesh compile net.nmg --chip spinnaker2-triad --max-neurons-per-core exc=128 --verbose`)
    .action(async (model: string, opts: CompileCliOptions, cmd: Command) => {
      const io = processIO;
      const g = globalOptions(cmd);
      const { result, timings } = await compileModel(model, opts, io, g.quiet || Boolean(opts.json));
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
        const profile = loadProfile(opts.chip);
        const doc = makeDoc('compile', COMPILE_SCHEMA_VERSION, {
          model, chip: result.program.profile.id, ...result.program.config, seed: result.program.seed, maxNeuronsPerCore: parseCaps(opts.maxNeuronsPerCore),
          routing: opts.routing === 'exact' ? 'exact' : 'slice',
          ...(opts.rates ? { rates: opts.rates } : {}),
        }, { ...programDoc(result, unverifiedFields(profile)), diagnostics: result.diagnostics }, hostSection(timings, {
          passes: result.trace.map((t) => ({ pass: t.pass, ms: t.ms, verifyMs: t.verifyMs, sizes: t.sizes })),
          ...(nmpBytes !== undefined ? { nmpBytes } : {}),
        }));
        writeJsonOutput(doc, { ...(out?.endsWith('.json') ? { path: out } : {}), stdout: Boolean(opts.json) });
      }
      if (!opts.json) {
        io.out(formatSummary(model, result));
        if (nmpBytes !== undefined) io.out(`wrote ${out} (${groupDigits(nmpBytes)} bytes)`);
        else if (out) io.out(`wrote ${out}`);
      }
    });
}
