/**
 * "Nothing changes for users": the run documents (spikes, counters, energy, latency, resources;
 * everything but `host`) of the NIR-paper fixtures on the spinnaker2 chip, captured before and
 * after a refactor of the chip contract and compared.
 *
 *   npm run build && node dist/bench/contract/before-after.js before   # on the old code
 *   npm run build && node dist/bench/contract/before-after.js after    # on the new code
 *
 * Writes bench/contract/<label>.json; when both exist, prints whether each case is identical and
 * writes bench/contract/comparison.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../src/io/atomic-write.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..', ...(HERE.includes(join('dist', 'bench')) ? ['..'] : []));
const OUT = join(REPO, 'bench', 'contract');
const MAIN = join(REPO, 'dist', 'src', 'cli', 'main.js');
const F = (...p: string[]): string => join('test', 'fixtures', 'nir-paper', ...p);

const CASES: Record<string, string[]> = {
  'cnn poisson:rate=200,seed=7, 50 steps': ['run', F('cnn', 'cnn_sinabs.nir'), '--chip', 'spinnaker2', '--input', 'poisson:rate=200,seed=7', '--steps', '50', '--workers', '2'],
  'braille zero reset, poisson:rate=600,seed=3, 300 steps': ['run', F('braille', 'braille_noDelay_bias_zero.nir'), '--chip', 'spinnaker2', '--input', 'poisson:rate=600,seed=3', '--steps', '300', '--reset', 'zero', '--max-neurons-per-core', 'lif1.lif=10', '--workers', '2', '--compare'],
  'braille subtract reset, poisson:rate=600,seed=3, 300 steps': ['run', F('braille', 'braille_noDelay_noBias_subtract.nir'), '--chip', 'spinnaker2', '--input', 'poisson:rate=600,seed=3', '--steps', '300', '--reset', 'subtract', '--workers', '2', '--compare'],
  'lif_norse with lif_exact.csv, 1000 steps, weight scale 102.02': ['run', F('lif', 'lif_norse.nir'), '--chip', 'spinnaker2', '--input', `trace:${F('lif', 'lif_exact.csv')}`, '--steps', '1000', '--weight-scale', '102.02', '--record', 'all'],
  'lif_norse per-cycle energy profile': ['run', F('lif', 'lif_norse.nir'), '--chip', 'spinnaker2-cycles', '--input', `trace:${F('lif', 'lif_exact.csv')}`, '--steps', '1000', '--weight-scale', '102.02'],
};

function runCase(args: string[]): unknown {
  const out = execFileSync(process.execPath, [MAIN, ...args, '--json', '-q'], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 });
  const doc = JSON.parse(out) as Record<string, unknown>;
  delete doc.host;
  return doc;
}

const label = process.argv[2];
if (label !== 'before' && label !== 'after') {
  console.error('usage: node dist/bench/contract/before-after.js before|after');
  process.exit(2);
}
const cases: Record<string, unknown> = {};
for (const [name, args] of Object.entries(CASES)) {
  process.stderr.write(`${name} …\n`);
  cases[name] = runCase(args);
}
const gitHead = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
writeFileAtomic(join(OUT, `${label}.json`), `${JSON.stringify({ label, gitHead, date: new Date().toISOString(), commands: CASES, cases }, null, 1)}\n`);

const [b, a] = ['before', 'after'].map((l) => join(OUT, `${l}.json`));
if (existsSync(b!) && existsSync(a!)) {
  const before = JSON.parse(readFileSync(b!, 'utf8')) as { gitHead: string; cases: Record<string, unknown> };
  const after = JSON.parse(readFileSync(a!, 'utf8')) as { gitHead: string; cases: Record<string, unknown> };
  const result: Record<string, { identical: boolean; differingKeys: string[] }> = {};
  for (const name of Object.keys(CASES)) {
    const x = (before.cases[name] ?? {}) as Record<string, unknown>;
    const y = (after.cases[name] ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
    const differingKeys = keys.filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]));
    result[name] = { identical: differingKeys.length === 0, differingKeys };
    console.log(`${differingKeys.length === 0 ? 'identical' : `DIFFERENT (${differingKeys.join(', ')})`}  ${name}`);
  }
  writeFileAtomic(join(OUT, 'comparison.json'), `${JSON.stringify({ before: before.gitHead, after: after.gitHead, result }, null, 1)}\n`);
}
