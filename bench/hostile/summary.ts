/**
 * Counts of a hostile-input run (per class, per command, exit codes, time per case) and the
 * table run.ts prints. Shared with the test, which asserts that every bad count is zero.
 */
import { BAD_OUTCOMES, CLASSES, OUTCOMES, type Case, type CaseResult, type Outcome } from './case-types.js';

export type Counts = Record<Outcome, number>;

const zero = (): Counts => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Counts;

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const timing = (ms: number[]): { n: number; medianMs: number; p95Ms: number; maxMs: number; totalS: number } => {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, medianMs: quantile(s, 0.5), p95Ms: quantile(s, 0.95), maxMs: s[s.length - 1] ?? 0, totalS: Math.round(s.reduce((a, b) => a + b, 0) / 100) / 10 };
};

/** Shell-quoted command line of a case (the case directory is its working directory). */
export function commandLine(c: Case): string {
  const q = (a: string): string => (/^[\w@%+=:,./{}-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['neuromesh', ...c.args.map(q)].join(' ');
}

export interface Summary {
  cases: number;
  bad: number;
  outcomes: Counts;
  byClass: Record<string, Counts>;
  byCommand: Record<string, Counts>;
  exitCodes: Record<string, number>;
  exitCodesByClass: Record<string, Record<string, number>>;
  time: ReturnType<typeof timing>;
  timeByClass: Record<string, ReturnType<typeof timing>>;
  failures: { id: string; outcome: Outcome; code: number; ms: number; why: string[]; command: string; stderrFirst: string; files: string }[];
}

export function summarize(cases: readonly Case[], results: readonly CaseResult[]): Summary {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const outcomes = zero();
  const byClass: Record<string, Counts> = {};
  const byCommand: Record<string, Counts> = {};
  const exitCodes: Record<string, number> = {};
  const exitCodesByClass: Record<string, Record<string, number>> = {};
  for (const cls of CLASSES) byClass[cls] = zero();
  for (const r of results) {
    outcomes[r.outcome]++;
    byClass[r.cls]![r.outcome]++;
    (byCommand[r.command] ??= zero())[r.outcome]++;
    const code = r.code === -1 ? 'killed (timeout)' : String(r.code);
    exitCodes[code] = (exitCodes[code] ?? 0) + 1;
    const e = (exitCodesByClass[r.cls] ??= {});
    e[code] = (e[code] ?? 0) + 1;
  }
  const timeByClass: Record<string, ReturnType<typeof timing>> = {};
  for (const cls of CLASSES) timeByClass[cls] = timing(results.filter((r) => r.cls === cls && r.outcome !== 'skipped').map((r) => r.ms));
  const failures = results.filter((r) => BAD_OUTCOMES.includes(r.outcome)).map((r) => {
    const c = byId.get(r.id)!;
    const files = c.files.map((f) => ('copy' in f ? f.path : 'hardlink' in f ? `${f.path} (hard link to ${f.hardlink})` : 'symlink' in f ? `${f.path} -> ${f.symlink}` : 'dir' in f ? `${f.path}/` : `${f.path} (generated)`))
      .concat((c.mounts ?? []).map((m) => `${m.path}/ (1 MiB tmpfs, ${m.kind === 'ro' ? 'read-only' : `${m.freeKiB ?? 0} KiB free`})`)).join(', ');
    return { id: r.id, outcome: r.outcome, code: r.code, ms: r.ms, why: r.problems.map((p) => `${p.outcome}: ${p.why}`), command: commandLine(c), stderrFirst: r.stderrFirst, files };
  });
  const bad = BAD_OUTCOMES.reduce((s, o) => s + outcomes[o], 0);
  return { cases: results.length, bad, outcomes, byClass, byCommand, exitCodes, exitCodesByClass, time: timing(results.filter((r) => r.outcome !== 'skipped').map((r) => r.ms)), timeByClass, failures };
}

/** A fixed-width table: one row per class (or command), one column per outcome. */
export function table(rows: Record<string, Counts>, title: string): string {
  const cols = OUTCOMES.filter((o) => Object.values(rows).some((c) => c[o] > 0));
  const w0 = Math.max(title.length, ...Object.keys(rows).map((k) => k.length));
  const head = [title.padEnd(w0), 'cases', ...cols].map((h, i) => (i === 0 ? h : h.padStart(Math.max(5, h.length))));
  const lines = [head.join('  ')];
  for (const [k, c] of Object.entries(rows)) {
    const n = OUTCOMES.reduce((s, o) => s + c[o], 0);
    if (!n) continue;
    lines.push([k.padEnd(w0), String(n).padStart(5), ...cols.map((o) => String(c[o]).padStart(Math.max(5, o.length)))].join('  '));
  }
  return lines.join('\n');
}
