/**
 * `npm run demo`: two networks built with the builder API, compiled for the SpiNNaker-2-like chip
 * and run on the emulated chip (worker threads), with the resources they use and what the run
 * would cost in energy and time.
 *
 *  1. CUBA (Vogels–Abbott, 4,000 CurrentLIF neurons, 2 % connectivity, exact integration), 1 s of
 *     biological time at dt = 0.1 ms, in millivolts (`weightScale` 1000: in volts the s16.15
 *     state cannot resolve the leak toward v_rest and the network stays silent).
 *  2. A small spiking CNN (Conv2d → IF → SumPool → Affine → IF) driven by Poisson input.
 *
 *   npm run demo            (builds, then node dist/examples/demo.js [workers])
 */
import { pathToFileURL } from 'node:url';
import { loadBackend } from '../chips/index.js';
import { runPipeline, type PipelineResult } from '../src/cli/pipeline.js';
import { processIO } from '../src/cli/context.js';
import { createProgress } from '../src/cli/progress.js';
import type { Graph } from '../src/graph/graph.js';
import type { StepInput } from '../src/io/spikes.js';
import { costMarkdown, si } from '../src/report/index.js';
import { buildCuba } from './cuba.js';
import { buildSmallCnn } from './small-cnn.js';

interface DemoRun {
  title: string;
  graph: Graph;
  steps: number;
  inputs?: Map<string, StepInput>;
  weightScale?: number;
  integrator?: 'euler' | 'exact';
}

async function runOne(d: DemoRun, workers: number): Promise<PipelineResult> {
  const io = processIO;
  console.log(`\n━━ ${d.title}`);
  const backend = loadBackend('spinnaker2');
  const compileBar = createProgress(io, { label: 'compile', total: 9 });
  let bar: ReturnType<typeof createProgress> | undefined;
  try {
    const r = await runPipeline(d.graph, backend, {
      steps: d.steps, workers, seed: 1,
      ...(d.inputs ? { inputs: d.inputs } : {}),
      ...(d.weightScale ? { weightScale: d.weightScale } : {}),
      config: { dt: 1e-4, integrator: d.integrator ?? 'euler' },
      onPass: () => compileBar.tick(),
      progress: {
        every: Math.max(1, Math.floor(d.steps / 100)),
        onProgress: (s) => {
          compileBar.stop();
          bar ??= createProgress(io, { label: 'run on spinnaker2', total: d.steps });
          bar.update(s);
        },
      },
    });
    bar?.stop();
    compileBar.stop();
    console.log(backend.summarize(r.compiled.program, d.title));
    const n = r.compiled.program.model.neurons;
    let spikes = 0;
    for (const s of r.run.spikes.values()) spikes += s.steps.length;
    const seconds = d.steps * r.compiled.program.config.dt;
    const tot = Object.fromEntries(r.report.counters.names.map((k) => [k, 0])) as Record<string, number>;
    const K = r.report.counters.names.length;
    for (let c = 0; c < r.report.counters.cores.length; c++) r.report.counters.names.forEach((k, i) => (tot[k]! += r.report.counters.values[c * K + i]!));
    console.log(`ran ${d.steps} ticks (${seconds} s of model time) on ${workers} worker${workers === 1 ? '' : 's'}: compile ${r.timings.compile.toFixed(2)} s, run ${r.timings.run.toFixed(2)} s`);
    console.log(`spikes ${spikes} (mean rate ${(spikes / n / seconds).toFixed(2)} Hz per neuron); synaptic events ${tot.synaptic_events}, neuron updates ${tot.neuron_updates}, packets ${tot.packets_sent}, router lookups ${tot.router_lookups}, mesh hops ${tot.mesh_hops}, saturations ${tot.saturations}, core-tick overruns ${tot.overruns}`);
    console.log(`NeuroBench: footprint ${r.report.metrics.footprint} B, connection sparsity ${r.report.metrics.connection_sparsity.toFixed(4)}, activation sparsity ${r.report.metrics.activation_sparsity.toFixed(4)}, effective ACs ${r.report.metrics.synaptic_operations.Effective_ACs} vs dense ${r.report.metrics.synaptic_operations.Dense}`);
    console.log('');
    console.log(costMarkdown(r.cost.energy, r.cost.latency, r.cost.coefficients));
    console.log(`energy per synaptic event, all in: ${si(r.cost.energy.totalJ / Math.max(1, tot.synaptic_events), 'J')} (active only: ${si(r.cost.energy.activeJ / Math.max(1, tot.synaptic_events), 'J')})`);
    return r;
  } finally {
    bar?.stop();
    compileBar.stop();
  }
}

export async function demo(workers = 2): Promise<void> {
  const t0 = performance.now();
  console.log('neuromesh demo: builder API → compile → run on the SpiNNaker-2-like chip → resources, energy, latency');
  await runOne({ title: 'CUBA network (4,000 CurrentLIF neurons, Brian2 benchmark parameters), 1 s', graph: buildCuba({ n: 4000, fanout: 80, seed: 12345 }), steps: 10_000, weightScale: 1000, integrator: 'exact' }, workers);
  const cnn = buildSmallCnn(1);
  await runOne({
    title: 'small spiking CNN (Conv2d 4×3×3 → IF → SumPool → Affine 64→10 → IF), Poisson input 400 Hz, 50 ms',
    graph: cnn, steps: 500,
    inputs: new Map([['input', { kind: 'poisson', node: 'input', size: 64, rateHz: 400, seed: 7 }]]),
  }, workers);
  console.log(`\ndemo finished in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const w = Number(process.argv[2] ?? 2);
  demo(Number.isInteger(w) && w > 0 ? w : 2).catch((e: unknown) => {
    const err = e as { diagnostics?: { message: string }[] };
    console.error(err.diagnostics ? err.diagnostics.map((d) => d.message).join('\n') : e);
    process.exitCode = 3;
  });
}
