/**
 * Runtime bench: the CUBA workloads of bench/brian2 (Vogels–Abbott, 1 s at
 * dt = 0.1 ms, exact integration) on the spinnaker2 chip emulation with 1 and 2 workers (counters
 * always on), and Brian2 2.5.1 cpp_standalone on the same workload in the same script run.
 *
 *   npm run build && node dist/bench/runtime/cuba.js [cuba|big|all] [--no-brian] [--out bench/runtime/cuba.json]
 *     [--kernels js,wasm] [--repeat N]
 *
 * --kernels: the neuron loops to run, each in the same script run: `js` (NEUROMESH_WASM=0, the
 * JavaScript loops) and/or `wasm` (the WebAssembly kernels); default: what the environment selects.
 * The ratios are those of the last kernel listed (ratiosByKernel has each). --repeat N: N runs of
 * every configuration (interleaved) and of Brian2; each row is the run with the median run loop,
 * with every run's loop in runLoopRunsS (Brian2: its median t_run_loop run, t_run_loop_runs).
 *
 * Per run: load (build the graph with the builder), compile, run loop (the runtime's tick loop,
 * worker start-up excluded) and total wall time, synaptic events per second, peak resident memory
 * (maxRSS of the process, workers included), resident bytes per synapse (synapse words + row keys
 * + row offsets held by the program), spikes and rate, and each worker's time in the tick barrier
 * per tick (barrierMsPerTick; the per-worker stats also give its spin/sleep counts and, on worker
 * 0, the epochs run in each barrier regime, see src/runtime/spin-policy.ts). Ratios: run loop / Brian2 loop,
 * (load + compile + run) / Brian2 total, 1-worker loop / 2-worker loop.
 *
 * The chip runs in millivolts (--weight-scale 1000): in volts its s16.15 state cannot resolve the
 * leak toward v_rest (see the demo).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProfile } from '../../chips/index.js';
import { spinnaker2Backend } from '../../chips/spinnaker2/backend.js';
import { runChip } from '../../chips/spinnaker2/run.js';
import { compile } from '../../compiler/index.js';
import { buildCuba } from '../../examples/cuba.js';
import { scaleVoltages } from '../../src/graph/weight-scale.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..', ...(HERE.includes(`${join('dist', 'bench')}`) ? ['..'] : []));

interface Workload { name: 'cuba' | 'big'; n: number; fanout: number; chip: string }
const WORKLOADS: Workload[] = [
  { name: 'cuba', n: 4000, fanout: 80, chip: 'spinnaker2' },
  { name: 'big', n: 100_000, fanout: 100, chip: 'spinnaker2-48' },
];

interface ChipRow {
  workload: string; engine: string; workers: number; N: number; synapses: number; cores: number; chips: number;
  loadS: number; compileS: number; runWallS: number; runLoopS: number; totalS: number;
  spikes: number; rateHz: number; synapticEvents: number; synEventsPerS: number; neuronUpdatesPerS: number;
  peakRssMB: number; residentBytesPerSynapse: number; targetTableBytesPerSynapse: number; workerCopyBytesPerSynapse: number;
  perWorker: unknown;
  /** Time each worker spent in the tick barrier, ms per tick (the start barrier excluded; 0 for one worker). */
  barrierMsPerTick: number[];
  /** With --kernels / --repeat: which neuron loops ran, and every run's loop. */
  kernel?: string;
  runLoopRunsS?: number[];
}

/** This process's Linux scheduling policy (e.g. SCHED_FIFO under `chrt -f 10`), from /proc/self/stat. */
function schedulingPolicy(): string {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields from 3 (state) on: rt_priority is field 40, policy field 41
    const names = ['SCHED_OTHER', 'SCHED_FIFO', 'SCHED_RR', 'SCHED_BATCH', 'SCHED_ISO', 'SCHED_IDLE', 'SCHED_DEADLINE'];
    const policy = Number(f[41 - 3]);
    return `${names[policy] ?? `policy ${policy}`}${policy === 1 || policy === 2 ? ` priority ${f[40 - 3]}` : ''}`;
  } catch {
    return 'unknown';
  }
}

const rss = (): number => process.resourceUsage().maxRSS / 1024;

async function chipRun(w: Workload, workers: number): Promise<ChipRow> {
  const t0 = performance.now();
  const g = scaleVoltages(buildCuba({ n: w.n, fanout: w.fanout, seed: 12345 }), 1000);
  const t1 = performance.now();
  const backend = spinnaker2Backend(loadProfile(w.chip));
  const c = compile(g, backend, { config: { dt: 1e-4, integrator: 'exact', delay: 1 } });
  const t2 = performance.now();
  const r = await runChip(c.program, backend.profile, { steps: 10_000, workers });
  const t3 = performance.now();
  const K = r.counterNames.length;
  const ev = r.counterNames.indexOf('synaptic_events');
  let events = 0;
  for (let i = 0; i < c.program.payload.cores.length; i++) events += r.counters[i * K + ev]!;
  let spikes = 0;
  for (const s of r.spikes.values()) spikes += s.steps.length;
  const syn = c.program.payload.summary.synapses;
  const resident = c.program.payload.cores.reduce((a, x) => a + x.words.byteLength + x.rowKeys.byteLength + x.rowStart.byteLength, 0);
  const loop = r.runtime.stats.loopMs / 1000;
  // the run's per-neuron target table (built by runChip, not part of the program): one (core, row)
  // pair of Int32 per row, plus one Int32 index per neuron slot
  const rows = c.program.payload.cores.reduce((a, x) => a + x.rowKeys.length, 0);
  const slots = c.program.payload.cores.reduce((a, x) => a + (x.hi - x.lo), 0);
  const table = 8 * rows + 4 * (slots + 1);
  // each worker's source-major copy of its rows (kernels.ts): the words, (core, length) per row,
  // two offsets per neuron slot
  const words = c.program.payload.cores.reduce((a, x) => a + x.words.length, 0);
  const copies = 4 * words + 8 * rows + 12 * (slots + 1) * workers;
  return {
    workload: w.name, engine: `neuromesh-${w.chip}`, workers, N: w.n, synapses: syn, cores: c.program.payload.cores.length, chips: c.program.payload.summary.chips,
    loadS: (t1 - t0) / 1000, compileS: (t2 - t1) / 1000, runWallS: (t3 - t2) / 1000, runLoopS: loop, totalS: (t3 - t0) / 1000,
    spikes, rateHz: spikes / w.n, synapticEvents: events, synEventsPerS: events / loop, neuronUpdatesPerS: (w.n * 10_000) / loop,
    peakRssMB: rss(), residentBytesPerSynapse: resident / syn, targetTableBytesPerSynapse: table / syn, workerCopyBytesPerSynapse: copies / syn,
    perWorker: r.runtime.stats.perWorker,
    barrierMsPerTick: r.runtime.stats.perWorker.map((s) => s.barrierMs / r.steps),
  };
}

function brian(w: Workload): Record<string, unknown> | { error: string } {
  const script = join(REPO, 'bench', 'brian2', 'brian_bench.py');
  try {
    const out = execFileSync('/usr/bin/python3', [script, w.name, 'cpp_standalone', ...(w.name === 'big' ? [String(w.n), String(w.fanout)] : [])], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000, env: { ...process.env, OMP_THREADS: '0' },
    });
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    return line ? (JSON.parse(line.slice(7)) as Record<string, unknown>) : { error: 'no RESULT line' };
  } catch (e) {
    return { error: String((e as Error).message).split('\n')[0]! };
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const valued = new Set(['--out', '--kernels', '--repeat']);
  const which = args.find((a, i) => !a.startsWith('--') && !valued.has(args[i - 1] ?? '')) ?? 'all';
  const noBrian = args.includes('--no-brian');
  const outIdx = args.indexOf('--out');
  const outPath = outIdx >= 0 ? args[outIdx + 1]! : join(REPO, 'bench', 'runtime', 'cuba.json');
  const results: Record<string, unknown>[] = [];
  const startLoad = loadavg();
  const kIdx = args.indexOf('--kernels');
  const kernels = kIdx >= 0 ? args[kIdx + 1]!.split(',') : [process.env.NEUROMESH_WASM === '0' ? 'js' : 'wasm'];
  if (kernels.some((k) => k !== 'js' && k !== 'wasm')) throw new Error(`--kernels takes js and/or wasm, not '${args[kIdx + 1]}'`);
  const rIdx = args.indexOf('--repeat');
  const repeat = rIdx >= 0 ? Number(args[rIdx + 1]) : 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat takes an integer ≥ 1');
  const median = <T>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[xs.length >> 1]!;
  for (const w of WORKLOADS.filter((x) => which === 'all' || x.name === which)) {
    const runs = new Map<string, ChipRow[]>();
    for (let rep = 0; rep < repeat; rep++)
      for (const kernel of kernels)
        for (const workers of [1, 2]) {
          if (kernel === 'js') process.env.NEUROMESH_WASM = '0'; // workers copy the environment when they start
          else delete process.env.NEUROMESH_WASM;
          const r = { kernel, ...(await chipRun(w, workers)) };
          console.log(JSON.stringify(r));
          runs.set(`${kernel}/${workers}`, [...(runs.get(`${kernel}/${workers}`) ?? []), r]);
        }
    const rowsOf = (kernel: string): ChipRow[] => [1, 2].map((workers) => {
      const all = runs.get(`${kernel}/${workers}`)!;
      return { ...median(all, (r) => r.runLoopS), runLoopRunsS: all.map((r) => r.runLoopS) };
    });
    const rows = kernels.flatMap(rowsOf);
    const brians: Record<string, unknown>[] = [];
    for (let rep = 0; rep < (noBrian ? 0 : repeat); rep++) brians.push(brian(w));
    const loopOf = (x: Record<string, unknown>): number => (typeof x.t_run_loop === 'number' ? x.t_run_loop : Infinity);
    const b = noBrian ? { skipped: true } : { ...median(brians, loopOf), ...(repeat > 1 ? { t_run_loop_runs: brians.map(loopOf) } : {}) };
    console.log(JSON.stringify(b));
    const bl = typeof (b as { t_run_loop?: number }).t_run_loop === 'number' ? (b as { t_run_loop: number }).t_run_loop : undefined;
    const bt = typeof (b as { t_total?: number }).t_total === 'number' ? (b as { t_total: number }).t_total : undefined;
    const ratiosOf = (kernel: string) => {
      const [one, two] = rowsOf(kernel);
      return {
        loop2wOverBrianLoop: bl ? two!.runLoopS / bl : null,
        loop1wOverBrianLoop: bl ? one!.runLoopS / bl : null,
        total2wOverBrianTotal: bt ? two!.totalS / bt : null,
        speedup2wOver1w: one!.runLoopS / two!.runLoopS,
      };
    };
    const ratiosByKernel = Object.fromEntries(kernels.map((k) => [k, ratiosOf(k)]));
    const ratios = ratiosByKernel[kernels[kernels.length - 1]!]!;
    const two = rowsOf(kernels[kernels.length - 1]!)[1]!;
    const goals = {
      'run loop ≤ Brian2 cpp_standalone loop (2 workers)': ratios.loop2wOverBrianLoop !== null ? ratios.loop2wOverBrianLoop <= 1 : null,
      'load + compile + run ≤ 0.3 × Brian2 build + run': ratios.total2wOverBrianTotal !== null ? ratios.total2wOverBrianTotal <= 0.3 : null,
      '2 workers ≥ 1.7 × one': ratios.speedup2wOver1w >= 1.7,
      '≤ 6 bytes per synapse resident': two!.residentBytesPerSynapse <= 6,
    };
    results.push({ workload: w.name, neuromesh: rows, brian2: b, ratios, ratiosByKernel, goals });
    console.log(JSON.stringify({ workload: w.name, ratiosByKernel, goals }));
  }
  const doc = {
    bench: 'bench/runtime/cuba.ts',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', memGB: Math.round(totalmem() / 2 ** 30), node: process.version, loadavgAtStart: startLoad, loadavgAtEnd: loadavg(), scheduling: schedulingPolicy() },
    note: 'counters always on; chip in mV (--weight-scale 1000); run loop = the runtime tick loop (worker start-up excluded); Brian2 cpp_standalone with OMP_THREADS=0 in the same script run. The machine is shared: see loadavg.',
    results,
  };
  writeFileAtomic(outPath, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`wrote ${outPath}`);
}

await main();
