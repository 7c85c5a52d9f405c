/**
 * The hostile-input run of issue 11: ≥1,000 CLI calls with bad files, numbers, names, paths and
 * environments (bench/hostile/cases.ts), each classified as clean, wrong exit, stack trace, hang,
 * overwritten input, partial output, wrong result, wrong value or not one line (harness.ts).
 *
 *   npx tsc -p tsconfig.json                    # builds dist/src/cli/main.js and dist/bench/hostile
 *   node dist/bench/hostile/run.js              # every case (minutes: each CLI start is ~0.3-0.5 s)
 *   node dist/bench/hostile/run.js --sample 50  # a seeded sample spread over every class
 *   options: --seed S  --concurrency 2  --timeout-ms 30000  --out bench/hostile/results.json
 *            --keep (keep the case directories)  --only <id substring>
 *
 * Run as root: read-only and full file systems are 1 MiB tmpfs mounts (chmod means nothing to
 * root). Writes the counts, the exit-code histogram, time per case and every failing case with
 * its command and first stderr line to results.json (the default output only for the full run).
 * Exit status 0 when no case failed, 1 otherwise.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { generateCases, sampleCases, DEFAULT_SEED } from './cases.js';
import { runCases } from './harness.js';
import { prepareBase } from './models.js';
import { summarize, table } from './summary.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const REPO = resolve(arg('repo') ?? process.cwd());
const MAIN = join(REPO, 'dist', 'src', 'cli', 'main.js');
const SEED = Number(arg('seed') ?? DEFAULT_SEED);
const SAMPLE = arg('sample') === undefined ? undefined : Number(arg('sample'));
const CONCURRENCY = Number(arg('concurrency') ?? 2);
const TIMEOUT = Number(arg('timeout-ms') ?? 30_000);
const ONLY = arg('only');
const OUT = arg('out') ?? (SAMPLE === undefined && ONLY === undefined ? join(REPO, 'bench', 'hostile', 'results.json') : undefined);

const git = (...a: string[]): string => spawnSync('git', ['-C', REPO, ...a], { encoding: 'utf8' }).stdout.trim();

const work = mkdtempSync(join(tmpdir(), 'nm-hostile-'));
// Ctrl-C or kill: unmount the tmpfs mounts of running cases and remove the work directory
const abort = (signal: NodeJS.Signals, code: number): void => {
  process.stderr.write(`${signal}: cleaning up ${work}\n`);
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const at = line.split(' ')[1];
    if (at?.startsWith(work)) spawnSync('umount', ['-l', at], { stdio: 'ignore' });
  }
  rmSync(work, { recursive: true, force: true });
  process.exit(code);
};
process.once('SIGINT', () => abort('SIGINT', 130));
process.once('SIGTERM', () => abort('SIGTERM', 143));
const started = new Date();
const loadBefore = loadavg();
try {
  const baseDir = prepareBase(work, { node: process.execPath, main: MAIN });
  const all = generateCases(baseDir, SEED);
  let cases = SAMPLE === undefined ? all : sampleCases(all, SAMPLE, SEED);
  if (ONLY !== undefined) cases = cases.filter((c) => c.id.includes(ONLY));
  process.stderr.write(`${cases.length} of ${all.length} cases (seed ${SEED}), ${CONCURRENCY} at a time, timeout ${TIMEOUT} ms; work dir ${work}\n`);
  const results = await runCases(cases, {
    node: process.execPath, main: MAIN, baseDir, casesDir: join(work, 'cases'), concurrency: CONCURRENCY, timeoutMs: TIMEOUT,
    keep: process.argv.includes('--keep'),
    onResult: (r, done, total) => {
      if (r.outcome !== 'clean' || done % 50 === 0) process.stderr.write(`[${done}/${total}] ${r.outcome.padEnd(17)} exit ${String(r.code).padStart(2)} ${String(r.ms).padStart(6)} ms  ${r.id}\n`);
    },
  });
  const s = summarize(cases, results);
  const finished = new Date();
  process.stdout.write(`\n${table(s.byClass, 'class')}\n\n${table(s.byCommand, 'command')}\n\n`);
  process.stdout.write(`exit codes: ${Object.entries(s.exitCodes).map(([k, v]) => `${k}: ${v}`).join(', ')}\n`);
  process.stdout.write(`time per case: median ${s.time.medianMs} ms, p95 ${s.time.p95Ms} ms, max ${s.time.maxMs} ms; wall ${((finished.getTime() - started.getTime()) / 1000).toFixed(0)} s\n`);
  process.stdout.write(`${s.bad} of ${s.cases} cases failed\n`);
  if (OUT) {
    const doc = {
      what: 'issue 11 hostile-input run: each case one CLI call in its own directory; outcomes per bench/hostile/case-types.ts',
      commit: git('rev-parse', 'HEAD'), branch: git('rev-parse', '--abbrev-ref', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
      date: started.toISOString(), finished: finished.toISOString(), wallSeconds: Math.round((finished.getTime() - started.getTime()) / 1000),
      machine: { cpuModel: cpus()[0]?.model ?? '?', cpuCount: cpus().length, totalMemoryBytes: totalmem(), platform: platform(), release: release() },
      node: process.version, loadAverage: { before: loadBefore, after: loadavg() },
      seed: SEED, sample: SAMPLE ?? null, concurrency: CONCURRENCY, timeoutMs: TIMEOUT, corpusSize: all.length,
      ...s,
    };
    writeFileSync(OUT, `${JSON.stringify(doc, null, 1)}\n`);
    process.stderr.write(`wrote ${OUT}\n`);
  }
  process.exitCode = s.bad ? 1 : 0;
} finally {
  if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
}
