/**
 * Issue 17's acceptance run of `neuromesh check` on the NIR-paper fixtures, as a new user runs it:
 * `check <fixture> --chip spinnaker2 --runs 50 --seed S` for S = 1, 2, 3 (the CNN with --runs 10),
 * default tolerance, default (automatic) weight scale, default reset.
 *
 *   npm run build && node dist/bench/check/fixtures.js [-o bench/check/fixtures.json] [--only NAME]
 *
 * Prints one line per run and writes the results with machine, date and load.
 */
import { cpus, hostname, loadavg } from 'node:os';
import { join } from 'node:path';
import { checkModel } from '../../src/cli/commands/check.js';
import type { CliIO } from '../../src/cli/context.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';

const REPO = join(new URL('.', import.meta.url).pathname, '..', '..', '..');
const FIXTURES: [string, string, number][] = [
  ['lif_norse', 'lif/lif_norse.nir', 50],
  ['lif_rockpool', 'lif/lif_rockpool.nir', 50],
  ['two_lif_neurons', 'lif/two_lif_neurons.nir', 50],
  ['braille_bias_zero', 'braille/braille_noDelay_bias_zero.nir', 50],
  ['braille_noBias_subtract', 'braille/braille_noDelay_noBias_subtract.nir', 50],
  ['cnn_sinabs', 'cnn/cnn_sinabs.nir', 10],
];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = args.includes('-o') ? args[args.indexOf('-o') + 1] : undefined;
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const io: CliIO = { out: () => {}, err: () => {}, tty: false };
  const results: Record<string, unknown>[] = [];
  for (const [name, file, runs] of FIXTURES) {
    if (only && name !== only) continue;
    for (const seed of [1, 2, 3]) {
      const t0 = performance.now();
      const r = await checkModel(join(REPO, 'test/fixtures/nir-paper', file), { chip: 'spinnaker2', runs: String(runs), seed: String(seed) }, io, true);
      const wallS = (performance.now() - t0) / 1000;
      const doc = r.doc as unknown as { config: { weightScale?: number }; firstDivergence?: unknown; replayCommand?: string };
      const row = { fixture: name, seed, runs, ok: r.outcome.ok, runsDone: r.outcome.runs, weightScale: doc.config.weightScale, wallS, ...(doc.firstDivergence ? { firstDivergence: doc.firstDivergence } : {}), ...(doc.replayCommand ? { replay: doc.replayCommand } : {}) };
      console.log(`${name} seed ${seed}: ${r.outcome.ok ? 'pass' : 'FAIL'} (${r.outcome.runs} runs, weight scale ${doc.config.weightScale}, ${wallS.toFixed(1)} s)${r.outcome.ok ? '' : `\n${r.text}`}`);
      results.push(row);
    }
  }
  const doc = {
    schema: 'neuromesh/bench-check-fixtures@1',
    config: { command: 'neuromesh check <fixture> --chip spinnaker2 --runs N --seed S (default tolerance count=1,rel=0.1, automatic weight scale, reset zero)' },
    results,
    passed: results.filter((r) => r.ok).length,
    total: results.length,
    host: { date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, hostname: hostname(), loadavg: loadavg() },
  };
  if (out) writeFileAtomic(out, `${JSON.stringify(doc, null, 2)}\n`);
}

await main();
