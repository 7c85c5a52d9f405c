/**
 * Micro-bench of the spinnaker2 CurrentLIF neuron update alone: the JavaScript loop
 * (kernel-current-lif.ts, currentLif2) against the WebAssembly SIMD kernel
 * (kernel-current-lif-wasm.ts) on 4k and 100k neurons in cores of 256, CUBA-like parameters
 * (s16.15 state in mV, s4.17 coefficients, two current receptors, 5 ms refractory), every ring
 * slot filled with fresh input. Reports ns per neuron-step (median of 5 rounds) and checks that
 * both end in the same state and spikes.
 *
 *   npm run build && node dist/bench/runtime/kernel-wasm.js [--out bench/runtime/kernel-wasm.json]
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCoreState, type CoreState } from '../../chips/spinnaker2/kernel-core-state.js';
import { createCurrentLifWasm } from '../../chips/spinnaker2/kernel-current-lif-wasm.js';
import { createCurrentLifLoop } from '../../chips/spinnaker2/kernel-current-lif.js';
import { KIND, type CoreData, type PopData, type S2Arith } from '../../chips/spinnaker2/kernel-types.js';
import { uniformAt } from '../../src/random/counter-rng.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..', ...(HERE.includes(`${join('dist', 'bench')}`) ? ['..'] : []));

const ar: S2Arith = {
  stateMin: -(2 ** 31), stateMax: 2 ** 31 - 1, ringMin: -(2 ** 31), ringMax: 2 ** 31 - 1,
  saturateRing: true, saturateState: true, coefFrac: 17, decayRounding: 'nearest-up', inputRounding: 'nearest-up',
};
const PER_CORE = 256;
const mv = (x: number): number => Math.round(x * 2 ** 15);
const coef = (x: number): number => Math.round(x * 2 ** 17);

function population(n: number): PopData {
  const fill = (x: number, len = n): Int32Array => new Int32Array(len).fill(x);
  return {
    name: 'cuba', kind: KIND.CurrentLIF, role: 'neuron', size: n, receptors: 2, trace: false,
    vl: fill(mv(-49)), vth: fill(mv(-50)), vr: fill(mv(-60)), ref: fill(50),
    a: fill(coef(Math.exp(-0.1 / 20))), c: fill(coef(0.005), 2 * n), ar: Int32Array.of(coef(Math.exp(-0.1 / 5)), coef(Math.exp(-0.1 / 10))),
  };
}

function core(lo: number, hi: number): CoreData {
  return {
    pop: 0, lo, hi, key: lo, shifts: [8, 8], rowKeys: new Uint32Array(0), rowStart: new Uint32Array(1), words: new Uint32Array(0),
    dests: new Int32Array(0), lookups: 0, meshHops: 0, chipHops: 0, dropped: 0, latencyCycles: 0, inputPops: [], sramBytes: 0,
  };
}

/** Cores of 256 neurons with the same random start (v between reset and threshold). */
function cores(n: number, alloc?: (k: number) => Int32Array): CoreState[] {
  const pop = population(n);
  const out: CoreState[] = [];
  for (let lo = 0; lo < n; lo += PER_CORE) {
    const st = createCoreState(out.length, core(lo, Math.min(n, lo + PER_CORE)), pop, new Int32Array(1), 0, alloc);
    for (let k = 0; k < st.n; k++) st.v[k] = mv(-60 + 10 * uniformAt(7, lo + k, 0));
    out.push(st);
  }
  return out;
}

/** Fill every ring slot of every core with input (exc ≥ 0, inh ≤ 0), as a busy network would. */
function refill(states: CoreState[], round: number): void {
  for (const st of states) {
    const r = st.ring;
    for (let j = 0; j < r.length; j++) {
      const h = Math.imul(j + 0x9e3779b9 * round, 0x85ebca6b) >>> 20;
      r[j] = ((j / st.n) & 1) === 0 ? h & 255 : -(h & 511);
    }
    st.dirty.fill(1);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function bench(n: number, steps: number): Record<string, unknown> {
  const sat = { n: 0 };
  const js = cores(n);
  const loop = createCurrentLifLoop(ar, false, false, sat);
  const wasm = createCurrentLifWasm(ar, false);
  if (!wasm) throw new Error('dist/wasm/spinnaker2-current-lif.wasm missing or not loadable: run `npm run build`');
  const wa = cores(n, (k) => wasm.arena.i32(k));
  for (const st of wa) wasm.attach(st);
  const satW = { n: 0 };
  const times: { js: number[]; wasm: number[] } = { js: [], wasm: [] };
  let spikesJ = 0;
  let spikesW = 0;
  for (let round = 0; round < 6; round++) {
    let tJ = 0;
    let tW = 0;
    for (let s0 = 0; s0 < steps; s0 += 16) {
      refill(js, s0 + round * steps);
      let t = performance.now();
      for (let s = s0; s < s0 + 16; s++) for (const st of js) spikesJ += loop(st, s);
      tJ += performance.now() - t;
      refill(wa, s0 + round * steps);
      t = performance.now();
      for (let s = s0; s < s0 + 16; s++) for (const st of wa) spikesW += wasm.step(st, s, satW);
      tW += performance.now() - t;
    }
    if (round === 0) continue; // warm-up
    times.js.push((tJ * 1e6) / (n * steps));
    times.wasm.push((tW * 1e6) / (n * steps));
  }
  let same = spikesJ === spikesW && sat.n === satW.n;
  for (let c = 0; c < js.length && same; c++)
    for (let k = 0; k < js[c]!.n && same; k++) same = js[c]!.v[k] === wa[c]!.v[k] && js[c]!.cur[k] === wa[c]!.cur[k] && js[c]!.refLeft[k] === wa[c]!.refLeft[k];
  const row = {
    neurons: n, steps, cores: js.length, rounds: times.js.length,
    jsNsPerNeuronStep: median(times.js), wasmNsPerNeuronStep: median(times.wasm), speedup: median(times.js) / median(times.wasm),
    jsRounds: times.js, wasmRounds: times.wasm, spikes: spikesJ, saturations: sat.n, bitIdentical: same,
  };
  if (!same) throw new Error(`JavaScript and WebAssembly disagree at n = ${n}`);
  return row;
}

function main(): void {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const outPath = outIdx >= 0 ? args[outIdx + 1]! : join(REPO, 'bench', 'runtime', 'kernel-wasm.json');
  const startLoad = loadavg();
  const rows = [bench(4000, 2000), bench(100_000, 160)];
  for (const r of rows) console.log(`${r.neurons} neurons: JS ${(r.jsNsPerNeuronStep as number).toFixed(2)} ns, WASM ${(r.wasmNsPerNeuronStep as number).toFixed(2)} ns per neuron-step (${(r.speedup as number).toFixed(1)}×), bit-identical`);
  const doc = {
    bench: 'bench/runtime/kernel-wasm.ts',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', memGB: Math.round(totalmem() / 2 ** 30), node: process.version, loadavgAtStart: startLoad, loadavgAtEnd: loadavg() },
    note: 'the CurrentLIF neuron update alone (no delivery, counters or barrier), one thread; median of 5 timed rounds after one warm-up; the machine is shared: see loadavg',
    results: rows,
  };
  writeFileAtomic(outPath, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`wrote ${outPath}`);
}

main();
