/** Quick probe of the spinnaker2 kernel speed on CUBA (not committed output; see cuba.ts for the bench). */
import { loadProfile } from '../../chips/index.js';
import { spinnaker2Backend } from '../../chips/spinnaker2/backend.js';
import { runChip } from '../../chips/spinnaker2/run.js';
import { compile } from '../../compiler/index.js';
import { buildCuba } from '../../examples/cuba.js';
import { scaleVoltages } from '../../src/graph/weight-scale.js';

const n = Number(process.argv[2] ?? 20000);
const steps = Number(process.argv[3] ?? 1000);
const workers = Number(process.argv[4] ?? 1);
const g = scaleVoltages(buildCuba({ n, fanout: Number(process.env.FANOUT ?? 100), seed: 12345 }), 1000);
const be = spinnaker2Backend(loadProfile(process.env.CHIP ?? 'spinnaker2-48'));
const t0 = performance.now();
const c = compile(g, be, { config: { delay: 1, integrator: 'exact' } });
const t1 = performance.now();
const r = await runChip(c.program, be.profile, { steps, workers, ...(process.env.SPIN ? { spin: Number(process.env.SPIN) } : {}) });
const t2 = performance.now();
let spikes = 0;
for (const s of r.spikes.values()) spikes += s.steps.length;
console.log(JSON.stringify(r.runtime.stats.perWorker));
console.log(JSON.stringify({ n, steps, workers, cores: c.program.payload.cores.length, compileS: (t1 - t0) / 1e3, runS: (t2 - t1) / 1e3, loopS: r.runtime.stats.loopMs / 1e3, spikes, nsPerNeuronStep: (r.runtime.stats.loopMs * 1e6) / (n * steps) * workers }));
