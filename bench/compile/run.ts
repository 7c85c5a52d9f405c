/**
 * Compile bench: synthetic networks of 10 k, 100 k and 1 M LIF neurons with 100 synapses each onto
 * a 48-chip spinnaker2 board; wall time per pass, peak memory, .nmp size. Each size runs in its own
 * process (clean peak RSS). Results go to bench/compile/results.json (committed).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/compile/run.js            # all sizes
 *   node dist/bench/compile/run.js 100000                                 # one size, prints JSON
 *
 * Goal: partition + place + route of 1 M neurons / 100 M synapses ≤ 30 s and ≤ 8 GB on
 * this 2-core machine; emitting the file is reported separately.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProfile } from '../../chips/index.js';
import { spinnaker2Backend } from '../../chips/spinnaker2/backend.js';
import { compile } from '../../compiler/index.js';
import { encodeNmp } from '../../chips/index.js';
import { syntheticNetwork } from './network.js';

const SIZES = [10_000, 100_000, 1_000_000];
const PROFILE = 'spinnaker2-48';

function one(neurons: number): Record<string, unknown> {
  const mem = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);
  const t0 = performance.now();
  const graph = syntheticNetwork(neurons);
  const buildMs = performance.now() - t0;
  const rssAfterBuild = mem();
  const passes: Record<string, { ms: number; verifyMs: number; cpuMs: number; rssMB: number; sizes: Record<string, number> }> = {};
  let cpu = process.cpuUsage();
  const r = compile(graph, spinnaker2Backend(loadProfile(PROFILE)), {
    seed: 0,
    onPass: (t) => {
      // CPU time (user + system) of the pass and its verify step: less sensitive than wall time to
      // other processes sharing the machine
      const now = process.cpuUsage();
      const cpuMs = (now.user - cpu.user + now.system - cpu.system) / 1000;
      cpu = now;
      passes[t.pass] = { ms: Math.round(t.ms), verifyMs: Math.round(t.verifyMs), cpuMs: Math.round(cpuMs), rssMB: mem(), sizes: t.sizes };
    },
  });
  const t1 = performance.now();
  const bytes = encodeNmp(r.program);
  const encodeMs = performance.now() - t1;
  const ppr = ['partition', 'place', 'route'].reduce((a, k) => a + passes[k]!.ms, 0);
  const pprVerify = ['partition', 'place', 'route'].reduce((a, k) => a + passes[k]!.verifyMs, 0);
  const pprCpu = ['partition', 'place', 'route'].reduce((a, k) => a + passes[k]!.cpuMs, 0);
  const s = r.program.payload.summary;
  return {
    neurons,
    synapses: s.synapses,
    profile: PROFILE,
    buildGraphMs: Math.round(buildMs),
    rssAfterBuildMB: rssAfterBuild,
    passes,
    partitionPlaceRouteMs: ppr,
    partitionPlaceRouteVerifyMs: pprVerify,
    partitionPlaceRouteCpuMs: pprCpu,
    loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
    compileTotalMs: Math.round(Object.values(passes).reduce((a, p) => a + p.ms + p.verifyMs, 0)),
    encodeNmpMs: Math.round(encodeMs),
    nmpBytes: bytes.byteLength,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    cores: s.cores,
    chips: s.chips,
    routerEntries: s.routerEntries,
    placement: s.placement,
    linkLoad: s.linkLoad,
  };
}

const here = dirname(fileURLToPath(import.meta.url));
const arg = process.argv[2];
if (arg) {
  process.stdout.write(`${JSON.stringify(one(Number(arg)))}\n`);
} else {
  const results = [];
  for (const n of SIZES) {
    process.stderr.write(`compile bench: ${n} neurons …\n`);
    const out = execFileSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), String(n)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const r = JSON.parse(out) as Record<string, unknown>;
    process.stderr.write(`  partition+place+route ${r.partitionPlaceRouteMs} ms, peak RSS ${r.peakRssMB} MB, .nmp ${r.nmpBytes} bytes\n`);
    results.push(r);
  }
  const doc = {
    bench: 'compile',
    goal: 'partition + place + route of 1 M neurons / 100 M synapses ≤ 30 s and ≤ 8 GB',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemMB: Math.round(totalmem() / 2 ** 20), node: process.version, platform: process.platform },
    results,
  };
  // results live next to the source script, not in dist/
  const target = resolve(here.replace(/[\\/]dist[\\/]bench[\\/]/, '/bench/'), 'results.json');
  writeFileSync(target.includes('/dist/') ? join(here, 'results.json') : target, `${JSON.stringify(doc, null, 2)}\n`);
  process.stderr.write(`wrote ${target}\n`);
}
