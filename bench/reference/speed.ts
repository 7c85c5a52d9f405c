/**
 * Speed of the float64 reference simulator on Vogels–Abbott CUBA (4,000 CurrentLIF neurons,
 * p = 0.02, 1 s of biological time at dt = 0.1 ms = 10,000 steps, integrator 'exact').
 *
 *   npx tsc -p tsconfig.json && node dist/bench/reference/speed.js [-o bench/reference/speed.json] [repeats]
 *
 * Reports the median wall time of `repeats` runs (graph already built; recording spikes of P),
 * synaptic events per second (synapses traversed by a spike) and neuron updates per second
 * (neurons × steps), next to the Brian2 numbers of bench/brian2/README.md.
 */
import { cpus, hostname, loadavg } from 'node:os';
import { buildCuba } from '../../examples/cuba.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { simulate } from '../../src/reference/simulate.js';

const args = process.argv.slice(2);
const oi = args.indexOf('-o');
const out = oi >= 0 ? args[oi + 1] : undefined;
const rest = args.filter((_, k) => oi < 0 || (k !== oi && k !== oi + 1));
const repeats = Number(rest[0] ?? 3);

const tb = performance.now();
const g = buildCuba({ n: 4000, fanout: 80, seed: 12345 });
const buildS = (performance.now() - tb) / 1000;
const synapses = g.nodes.reduce((a, n) => a + (n.kind === 'SparseLinear' ? n.indices.length : 0), 0);

const runs: { wallS: number; spikes: number; synapticEvents: number; neuronUpdates: number }[] = [];
for (let k = 0; k < repeats; k++) {
  const t0 = performance.now();
  const r = simulate(g, { steps: 10_000, dt: 1e-4, integrator: 'exact', inputs: new Map(), record: { spikes: ['P'] } });
  const wallS = (performance.now() - t0) / 1000;
  runs.push({ wallS, spikes: r.totals.spikes, synapticEvents: r.totals.synapticEvents, neuronUpdates: r.totals.neuronUpdates });
  console.log(`run ${k + 1}: ${wallS.toFixed(3)} s, ${r.totals.spikes} spikes (${(r.totals.spikes / 4000).toFixed(2)} Hz), ${r.totals.synapticEvents} synaptic events`);
}
const sorted = [...runs].sort((a, b) => a.wallS - b.wallS);
const med = sorted[Math.floor(sorted.length / 2)]!;
const result = {
  schema: 'neuromesh/bench-reference-speed@1',
  config: { workload: 'Vogels-Abbott CUBA via examples/cuba.ts buildCuba (seed 12345)', neurons: 4000, synapses, dt: 1e-4, steps: 10_000, integrator: 'exact', engine: 'reference-float64', repeats },
  result: {
    medianWallS: med.wallS,
    spikes: med.spikes,
    rateHz: med.spikes / 4000,
    synapticEvents: med.synapticEvents,
    synapticEventsPerS: med.synapticEvents / med.wallS,
    neuronUpdates: med.neuronUpdates,
    neuronUpdatesPerS: med.neuronUpdates / med.wallS,
    buildS,
  },
  brian2ForComparison: {
    source: 'bench/brian2/README.md (same machine class)',
    cppStandaloneLoopS: 0.096, cythonLoopS: 0.142, synapticEventsPerS: { cppStandalone: 18.9e6, cython: 12.8e6 },
  },
  runs,
  host: { date: new Date().toISOString(), node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpu: cpus()[0]?.model, hostname: hostname(), loadavg: loadavg() },
};
console.log(`median ${med.wallS.toFixed(3)} s: ${(result.result.synapticEventsPerS / 1e6).toFixed(1)} M synaptic events/s, ${(result.result.neuronUpdatesPerS / 1e6).toFixed(0)} M neuron updates/s`);
const text = `${JSON.stringify(result, null, 2)}\n`;
if (out) writeFileAtomic(out, text);
