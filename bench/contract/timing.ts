/**
 * "The chip-contract refactor kept speed": bench timings of the old code (before the refactor) and
 * the new code, in one script run, interleaved so that a noisy shared machine affects both alike.
 *
 *   # from the repository root; the script uses only node builtins, so it can be compiled alone:
 *   node node_modules/typescript/bin/tsc --outDir /tmp/nm-timing-build --target ES2022 \
 *     --module NodeNext --moduleResolution NodeNext --types node --strict --skipLibCheck \
 *     bench/contract/timing.ts
 *   node /tmp/nm-timing-build/timing.js [--old 4548671] [--new <commit>] [--reps 5]
 *
 * It pins the new commit (default: HEAD, read once at start), makes a detached git worktree of
 * each commit under the temp folder, symlinks this repository's node_modules into each, builds
 * each with tsc (worker threads run dist/), writes the CUBA 4,000 network once as a .nmg with the
 * old tree's own builder and codec, then runs every workload `reps` times per tree through each
 * tree's CLI (`--json`), alternating old/new and flipping which goes first on every repetition.
 * One untimed warm-up run per tree and workload comes first. Timings are the wall-clock seconds
 * in the output's `host` section; the parent also measures the whole process (node start-up
 * included). Outputs without `host` are compared old vs new (sha256 of the canonical JSON).
 * The worktrees are removed at the end. Writes bench/contract/timing.json and prints a table.
 *
 * Goal: new/old ratio of the medians ≤ 1.2 for each workload's headline timing (host total).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const GOAL = 1.2;

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

const REPO = resolve(arg('repo', process.cwd()));
const REPS = Number(arg('reps', '5'));
const OUT = resolve(arg('out', join(REPO, 'bench', 'contract', 'timing.json')));

function git(...args: string[]): string {
  const r = spawnSync('git', ['-C', REPO, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

const OLD = git('rev-parse', `${arg('old', '4548671')}^{commit}`);
const NEW = git('rev-parse', `${arg('new', 'HEAD')}^{commit}`); // pinned once, here
const trees = { old: OLD, new: NEW } as const;
type Tree = keyof typeof trees;

const WORK = mkdtempSync(join(tmpdir(), 'nm-timing-'));
const dir: Record<Tree, string> = { old: join(WORK, 'old'), new: join(WORK, 'new') };
const NMG = join(WORK, 'cuba4000.nmg');
const CNN = join('test', 'fixtures', 'nir-paper', 'cnn', 'cnn_sinabs.nir');

interface Workload {
  name: string;
  args: string[];
  /** seconds from the output's host section: the headline value is `total` */
  timings(host: HostSection): Record<string, number>;
}
interface HostSection {
  timings?: Record<string, number>;
  passes?: { pass: string; ms: number; verifyMs?: number }[];
}

const runTimings = (h: HostSection): Record<string, number> => {
  const t = h.timings ?? {};
  return { load: t.load ?? NaN, compile: t.compile ?? NaN, run: t.run ?? NaN, total: t.total ?? NaN };
};

const WORKLOADS: Workload[] = [
  {
    name: 'cuba4000 run (10000 steps, exact, 2 workers)',
    args: ['run', NMG, '--chip', 'spinnaker2', '--steps', '10000', '--weight-scale', '1000', '--integrator', 'exact', '--workers', '2', '--json', '-q'],
    timings: runTimings,
  },
  {
    name: 'cnn run (poisson:rate=200,seed=7, 200 steps, 2 workers)',
    args: ['run', CNN, '--chip', 'spinnaker2', '--input', 'poisson:rate=200,seed=7', '--steps', '200', '--workers', '2', '--json', '-q'],
    timings: runTimings,
  },
  {
    name: 'cnn compile (spinnaker2-48)',
    args: ['compile', CNN, '--chip', 'spinnaker2-48', '--json'],
    // compile's host section has load and one entry per pass (ms, verifyMs), no total:
    // passes = Σ (ms + verifyMs); total = load + passes
    timings: (h) => {
      const load = h.timings?.load ?? NaN;
      const passes = (h.passes ?? []).reduce((s, p) => s + p.ms + (p.verifyMs ?? 0), 0) / 1000;
      const out: Record<string, number> = { load, passes, total: load + passes };
      for (const p of h.passes ?? []) out[`pass.${p.pass}`] = (p.ms + (p.verifyMs ?? 0)) / 1000;
      return out;
    },
  },
];

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

interface Sample { timings: Record<string, number>; processWall: number; outputSha256: string; outputKeys: string[] }

function runOnce(tree: Tree, w: Workload): { sample: Sample; doc: Record<string, unknown> } {
  const t0 = performance.now();
  const stdout = sh(process.execPath, [join('dist', 'src', 'cli', 'main.js'), ...w.args], dir[tree]);
  const processWall = (performance.now() - t0) / 1000;
  const doc = JSON.parse(stdout) as Record<string, unknown>;
  const host = (doc.host ?? {}) as HostSection;
  delete doc.host;
  const outputSha256 = createHash('sha256').update(canonical(doc)).digest('hex');
  return { sample: { timings: w.timings(host), processWall, outputSha256, outputKeys: Object.keys(doc) }, doc };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, d = 4): number => Number(x.toFixed(d));

function differingKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => canonical(a[k]) !== canonical(b[k]));
}

/** Leaf-level differences old → new (at most `limit`): a field only in new is `added`, only in old `removed`. */
function leafDiffs(x: unknown, y: unknown, path: string, out: { path: string; kind: 'added' | 'removed' | 'changed'; old?: unknown; new?: unknown }[], limit = 50): typeof out {
  if (out.length >= limit || canonical(x) === canonical(y)) return out;
  if (x === undefined) out.push({ path, kind: 'added', new: y });
  else if (y === undefined) out.push({ path, kind: 'removed', old: x });
  else if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
    const o = x as Record<string, unknown>;
    const n = y as Record<string, unknown>;
    for (const k of new Set([...Object.keys(o), ...Object.keys(n)])) leafDiffs(o[k], n[k], `${path}.${k}`, out, limit);
  } else out.push({ path, kind: 'changed', old: x, new: y });
  return out;
}

function setup(): void {
  for (const t of ['old', 'new'] as Tree[]) {
    process.stderr.write(`worktree ${t} ${trees[t]} → ${dir[t]}; building …\n`);
    git('worktree', 'add', '--detach', dir[t], trees[t]);
    symlinkSync(join(REPO, 'node_modules'), join(dir[t], 'node_modules'), 'dir');
    sh(process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], dir[t]);
  }
  // the .nmg format is the same in both trees; written once with the old tree's builder and codec
  const mk = `const { buildCuba } = await import(${JSON.stringify(`file://${dir.old}/dist/examples/cuba.js`)});
const { writeNmg } = await import(${JSON.stringify(`file://${dir.old}/dist/src/io/proto/graph-codec.js`)});
await writeNmg(buildCuba({ n: 4000, fanout: 80, seed: 12345 }), ${JSON.stringify(NMG)});`;
  sh(process.execPath, ['--input-type=module', '-e', mk], dir.old);
}

function teardown(): void {
  for (const t of ['old', 'new'] as Tree[]) {
    if (existsSync(dir[t])) spawnSync('git', ['-C', REPO, 'worktree', 'remove', '--force', dir[t]], { stdio: 'inherit' });
  }
  spawnSync('git', ['-C', REPO, 'worktree', 'prune'], { stdio: 'inherit' });
  rmSync(WORK, { recursive: true, force: true });
}

const loadBefore = loadavg();
const started = new Date();
const samples: Record<string, Record<Tree, Sample[]>> = {};
const order: string[] = [];
const identity: Record<string, { identicalOldVsNew: boolean; identicalAcrossReps: Record<Tree, boolean>; differingKeys: string[]; differences: ReturnType<typeof leafDiffs>; onlyAdditions: boolean; comparedKeys: string[]; sha256: Record<Tree, string> }> = {};
try {
  setup();
  for (const w of WORKLOADS) {
    samples[w.name] = { old: [], new: [] };
    for (const t of ['old', 'new'] as Tree[]) runOnce(t, w); // warm-up (file cache, JIT-independent)
  }
  const firstDoc: Record<string, Partial<Record<Tree, Record<string, unknown>>>> = {};
  for (let rep = 0; rep < REPS; rep++) {
    const pair: Tree[] = rep % 2 === 0 ? ['old', 'new'] : ['new', 'old'];
    for (const w of WORKLOADS) {
      for (const t of pair) {
        process.stderr.write(`rep ${rep + 1}/${REPS} ${t} ${w.name} … `);
        const { sample, doc } = runOnce(t, w);
        process.stderr.write(`${sample.timings.total!.toFixed(3)} s\n`);
        samples[w.name]![t].push(sample);
        order.push(`${rep + 1}:${t}:${w.name}`);
        (firstDoc[w.name] ??= {})[t] ??= doc;
      }
    }
  }
  for (const w of WORKLOADS) {
    const s = samples[w.name]!;
    const a = firstDoc[w.name]!.old!;
    const b = firstDoc[w.name]!.new!;
    identity[w.name] = {
      identicalOldVsNew: s.old.concat(s.new).every((x) => x.outputSha256 === s.old[0]!.outputSha256),
      identicalAcrossReps: { old: s.old.every((x) => x.outputSha256 === s.old[0]!.outputSha256), new: s.new.every((x) => x.outputSha256 === s.new[0]!.outputSha256) },
      differingKeys: differingKeys(a, b),
      differences: leafDiffs(a, b, '$', []),
      onlyAdditions: leafDiffs(a, b, '$', []).every((d) => d.kind === 'added'),
      comparedKeys: [...new Set([...Object.keys(a), ...Object.keys(b)])],
      sha256: { old: s.old[0]!.outputSha256, new: s.new[0]!.outputSha256 },
    };
  }
} finally {
  teardown();
}
const loadAfter = loadavg();

type Stats = { samples: number[]; median: number; min: number };
const results: Record<string, { command: string[]; perTree: Record<Tree, Record<string, Stats>>; ratioNewOld: Record<string, { median: number; min: number }> }> = {};
for (const w of WORKLOADS) {
  const s = samples[w.name]!;
  // metrics both trees report (a pass renamed or added in one tree has no counterpart to compare)
  const metrics = [...Object.keys(s.old[0]!.timings).filter((k) => Object.hasOwn(s.new[0]!.timings, k)), 'processWall'];
  const perTree = { old: {}, new: {} } as Record<Tree, Record<string, Stats>>;
  const ratio: Record<string, { median: number; min: number }> = {};
  for (const m of metrics) {
    for (const t of ['old', 'new'] as Tree[]) {
      const xs = s[t].map((x) => (m === 'processWall' ? x.processWall : x.timings[m]!));
      perTree[t][m] = { samples: xs.map((x) => round(x)), median: round(median(xs)), min: round(Math.min(...xs)) };
    }
    ratio[m] = { median: round(perTree.new[m]!.median / perTree.old[m]!.median, 3), min: round(perTree.new[m]!.min / perTree.old[m]!.min, 3) };
  }
  results[w.name] = { command: w.args.map((a) => (a === NMG ? 'cuba4000.nmg' : a)), perTree, ratioNewOld: ratio };
}
const goalMet = Object.fromEntries(WORKLOADS.map((w) => [w.name, results[w.name]!.ratioNewOld.total!.median <= GOAL]));

const cpu = cpus();
const report = {
  what: 'chip-contract refactor: old vs new bench timings, one script run, interleaved (old/new alternating, first one flipped every repetition, one untimed warm-up each)',
  goal: `bench timings within ${GOAL}× in the same script run: new/old ratio of medians of host total ≤ ${GOAL} for every workload`,
  goalMet,
  allGoalsMet: Object.values(goalMet).every(Boolean),
  outputsIdentical: Object.values(identity).every((x) => x.identicalOldVsNew),
  commits: { old: OLD, new: NEW },
  date: started.toISOString(),
  finished: new Date().toISOString(),
  machine: { cpuModel: cpu[0]?.model ?? 'unknown', cpuCount: cpu.length, totalMemoryBytes: totalmem(), freeMemoryBytesAtEnd: freemem(), platform: platform(), release: release() },
  node: process.version,
  loadAverage: { before: loadBefore.map((x) => round(x, 2)), after: loadAfter.map((x) => round(x, 2)) },
  reps: REPS,
  timingsNote: 'seconds; run: host.timings (load, compile, run, total); compile: host.timings.load and host.passes (passes = Σ ms + verifyMs; total = load + passes); processWall = the whole CLI process as measured by this script (node start-up and imports included)',
  cubaNmg: 'buildCuba({ n: 4000, fanout: 80, seed: 12345 }) from the old tree, writeNmg from the old tree',
  results,
  outputs: identity,
  runOrder: order,
};
writeFileSync(OUT, `${JSON.stringify(report, null, 1)}\n`);

const rows: string[][] = [['workload', 'metric', 'old median', 'new median', 'ratio', 'old min', 'new min', 'ratio']];
for (const w of WORKLOADS) {
  const r = results[w.name]!;
  for (const m of Object.keys(r.ratioNewOld).filter((k) => !k.startsWith('pass.'))) {
    rows.push([w.name, m, r.perTree.old[m]!.median.toFixed(3), r.perTree.new[m]!.median.toFixed(3), r.ratioNewOld[m]!.median.toFixed(3),
      r.perTree.old[m]!.min.toFixed(3), r.perTree.new[m]!.min.toFixed(3), r.ratioNewOld[m]!.min.toFixed(3)]);
  }
}
const width = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => (i < 2 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join('  '));
console.log(`\ngoal: ${report.goal}`);
for (const w of WORKLOADS) console.log(`  ${goalMet[w.name] ? 'met    ' : 'NOT met'} ${w.name}: ${results[w.name]!.ratioNewOld.total!.median.toFixed(3)}`);
for (const w of WORKLOADS) {
  const id = identity[w.name]!;
  const diff = id.differences.map((d) => `${d.kind} ${d.path}`).join(', ');
  console.log(`outputs (all but host) old vs new ${id.identicalOldVsNew ? 'identical' : `DIFFER (${diff}${id.onlyAdditions ? '; every old field equal' : ''})`}: ${w.name}${id.identicalAcrossReps.old && id.identicalAcrossReps.new ? '' : ' (NOT identical across repetitions)'}`);
}
console.log(`load average before ${report.loadAverage.before.join(' ')}, after ${report.loadAverage.after.join(' ')}; written ${OUT}`);
