/**
 * Runtime overhead benchmark (run: `npm run build && node dist/bench/runtime/barrier.js`).
 * Prints, for 1 and 2 workers:
 *   - per-tick overhead of the tick loop (barrier + ring exchange) with an empty kernel,
 *     with the default spin-then-sleep barrier and with sleep-only (spin 0);
 *   - packet throughput through the SharedArrayBuffer rings (packets per second of loop time).
 * Writes bench/runtime/barrier.json (machine, load average, date, results). Each figure is the
 * median of 5 runs, with the best run beside it (the machine is shared: the best run is the
 * closest to the intrinsic cost, the median to what a loaded machine gives).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { runTicks, type RunResult } from '../../src/runtime/pool.js';

const KERNEL = new URL('../../src/runtime/testing/flood-kernel.js', import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
/** Repository folder of this bench (results go next to the source, not into dist/). */
const OUT_DIR = here.replace(/[\\/]dist([\\/]bench[\\/]runtime)$/, '$1');
/** `--out name.json` (in this folder) to keep runs under different scheduling apart. */
const outArg = process.argv.indexOf('--out');
const OUT = resolve(OUT_DIR, outArg > 0 ? process.argv[outArg + 1]! : 'barrier.json');

/** Scheduling policy of this process (Linux /proc/self/stat field 41: 0 normal, 1 FIFO, 2 RR). */
function schedPolicy(): string {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const policy = Number(fields[41 - 3]);
    return ['SCHED_OTHER', 'SCHED_FIFO', 'SCHED_RR', 'SCHED_BATCH', '?', 'SCHED_IDLE'][policy] ?? `policy ${policy}`;
  } catch {
    return 'unknown';
  }
}

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function run(workers: number, steps: number, packetsPerTick: number, spinMicros?: number, neuronsPerCore = 0, coreCount = 2 * workers): Promise<RunResult> {
  return runTicks({
    kernelUrl: KERNEL,
    coreCount,
    workers,
    steps,
    payloadWords: 1,
    options: { packetsPerTick, neuronsPerCore },
    ...(spinMicros !== undefined ? { spinMicros } : {}),
  });
}

interface Overhead {
  workers: number;
  barrier: string;
  steps: number;
  usPerTick: number;
  bestUsPerTick: number;
  runsUsPerTick: number[];
  /** Barrier waits that ended while spinning, over all runs (the rest slept in Atomics.wait). */
  spinFraction: number;
}

interface Throughput {
  workers: number;
  packetsPerTickPerWorker: number;
  steps: number;
  packetsPerSecond: number;
  bestPacketsPerSecond: number;
  nsPerPacket: number;
  runsPacketsPerSecond: number[];
}

async function overhead(workers: number, steps: number, spinMicros: number | undefined, label: string): Promise<Overhead> {
  const us: number[] = [];
  let spun = 0;
  let slept = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await run(workers, steps, 0, spinMicros);
    us.push((r.stats.loopMs * 1000) / steps);
    for (const w of r.stats.perWorker) {
      spun += w.barrierSpun;
      slept += w.barrierSlept;
    }
  }
  return { workers, barrier: label, steps, usPerTick: median(us), bestUsPerTick: Math.min(...us), runsUsPerTick: us, spinFraction: spun + slept ? spun / (spun + slept) : 1 };
}

async function throughput(workers: number, perTick: number, steps: number): Promise<Throughput> {
  const pps: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await run(workers, steps, perTick);
    const sent = r.stats.perWorker.reduce((s, w) => s + w.packetsSent, 0);
    pps.push(sent / (r.stats.loopMs / 1000));
  }
  const p = median(pps);
  return { workers, packetsPerTickPerWorker: perTick, steps, packetsPerSecond: p, bestPacketsPerSecond: Math.max(...pps), nsPerPacket: 1e9 / p, runsPacketsPerSecond: pps };
}

interface Scaling {
  neurons: number;
  cores: number;
  steps: number;
  msPerTick: Record<string, number>;
  speedup2: number;
}

/** 100 k leaky integrators on 8 cores: loop time per tick on 1 and 2 workers. */
async function scaling(): Promise<Scaling> {
  const cores = 8;
  const perCore = 12_500;
  const steps = 1000;
  const ms: Record<string, number> = {};
  for (const w of [1, 2]) {
    const xs: number[] = [];
    for (let i = 0; i < RUNS; i++) xs.push((await run(w, steps, 0, undefined, perCore, cores)).stats.loopMs / steps);
    ms[`${w}`] = median(xs);
  }
  return { neurons: cores * perCore, cores, steps, msPerTick: ms, speedup2: ms['1']! / ms['2']! };
}

async function main(): Promise<void> {
  const load0 = loadavg();
  const overheads: Overhead[] = [];
  for (const w of [1, 2]) overheads.push(await overhead(w, 20_000, undefined, 'spin ≤ 100 µs (adaptive) then Atomics.wait'));
  overheads.push(await overhead(2, 5_000, 0, 'Atomics.wait only (spin 0)'));
  for (const o of overheads) console.log(`empty kernel, ${o.workers} worker(s), ${o.barrier}: ${o.usPerTick.toFixed(2)} µs/tick median, ${o.bestUsPerTick.toFixed(2)} best, ${(100 * o.spinFraction).toFixed(0)}% of waits ended spinning (runs ${o.runsUsPerTick.map((x) => x.toFixed(2)).join(', ')})`);
  const throughputs: Throughput[] = [];
  for (const w of [1, 2]) throughputs.push(await throughput(w, 10_000, 500));
  for (const t of throughputs)
    console.log(`rings, ${t.workers} worker(s), ${t.packetsPerTickPerWorker} packets/tick/worker: ${(t.packetsPerSecond / 1e6).toFixed(1)} M packets/s median (${t.nsPerPacket.toFixed(1)} ns/packet), ${(t.bestPacketsPerSecond / 1e6).toFixed(1)} M best`);
  const scale = await scaling();
  console.log(`scaling, ${scale.neurons} neuron updates/tick on ${scale.cores} cores: ${scale.msPerTick['1']!.toFixed(3)} ms/tick on 1 worker, ${scale.msPerTick['2']!.toFixed(3)} on 2 (×${scale.speedup2.toFixed(2)})`);
  const out = {
    bench: 'runtime/barrier',
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      logicalCores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      platform: `${platform()} ${release()}`,
      node: process.version,
      loadAverageAtStart: load0,
      loadAverageAtEnd: loadavg(),
      scheduling: schedPolicy(),
    },
    notes: 'loop time only (workers started, kernels created); per-tick overhead = loop time / steps with a kernel that does nothing; throughput = packets sent / loop time with each worker sending to the other worker\'s cores (to its own when alone)',
    overheadPerTick: overheads,
    ringThroughput: throughputs,
    scaling: scale,
  };
  writeFileAtomic(OUT, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${OUT}`);
}

await main();
