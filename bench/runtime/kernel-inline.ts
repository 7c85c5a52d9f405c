/** In-thread profile harness: the spinnaker2 kernel without workers (node --cpu-prof). */
import { loadProfile } from '../../chips/index.js';
import { spinnaker2Backend } from '../../chips/spinnaker2/backend.js';
import { createWorkerKernel } from '../../chips/spinnaker2/kernels.js';
import { prepareRun } from '../../chips/spinnaker2/run.js';
import { compile } from '../../compiler/index.js';
import { buildCuba } from '../../examples/cuba.js';
import { scaleVoltages } from '../../src/graph/weight-scale.js';

const n = Number(process.argv[2] ?? 20000);
const steps = Number(process.argv[3] ?? 1000);
const g = scaleVoltages(buildCuba({ n, fanout: Number(process.env.FANOUT ?? 100), seed: 12345 }), 1000);
const be = spinnaker2Backend(loadProfile(process.env.CHIP ?? 'spinnaker2-48'));
const c = compile(g, be, { config: { delay: 1, integrator: 'exact' } });
const prep = prepareRun(c.program, be.profile, { steps });
const cores = Int32Array.from(c.program.payload.cores.keys());
const k = createWorkerKernel({ runId: 'x', workerIndex: 0, workerCount: 1, coreCount: cores.length, cores, coreToWorker: new Int32Array(cores.length), payloadWords: 1, steps, shared: prep.plan.shared, local: undefined, options: prep.plan.options! });
let buf = new Uint32Array(1 << 20);
let count = 0;
let next = new Uint32Array(1 << 20);
let ncount = 0;
let cur = 0;
const sink = {
  setCore(c: number) { cur = c; },
  send(dest: number, w0 = 0) { if (ncount * 3 + 3 > next.length) { const x = new Uint32Array(next.length * 2); x.set(next); next = x; } next[ncount * 3] = cur; next[ncount * 3 + 1] = dest; next[ncount * 3 + 2] = w0; ncount++; },
  sendToWorker(_w: number, w0 = 0) { sink.send(0xffffffff, w0); },
};
const t0 = performance.now();
const u0 = process.cpuUsage().user;
for (let s = 0; s < steps; s++) {
  // sort by source core (stable): packets are produced in core order already
  k.tick(s, { count, stride: 3, words: buf }, sink);
  [buf, next] = [next, buf];
  count = process.env.NOPKT ? 0 : ncount;
  ncount = 0;
}
const ms = performance.now() - t0;
const cpuMs = (process.cpuUsage().user - u0) / 1000;
console.log(JSON.stringify({ n, steps, ms, cpuMs, nsPerNeuronStep: (ms * 1e6) / (n * steps), cpuNsPerNeuronStep: (cpuMs * 1e6) / (n * steps) }));
console.log(JSON.stringify({ cpuUserMs: process.cpuUsage().user / 1000 }));
{
  const cnt = k.counters!();
  const names = k.counterNames!;
  const tot: Record<string, number> = {};
  names.forEach((nm, i) => { let s = 0; for (let c = 0; c < cores.length; c++) s += cnt[c * names.length + i]!; tot[nm] = s; });
  console.log(JSON.stringify({ packets_received: tot.packets_received, synaptic_events: tot.synaptic_events, spikes: tot.spikes, row_misses: tot.row_misses }));
}
