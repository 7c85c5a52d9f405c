/**
 * Runs hostile-input cases through the built CLI and classifies each outcome (case-types.ts):
 * every case gets its own directory (its files, links and tmpfs mounts), every entry of which is
 * hashed before and after the run, so an overwritten input or a left-behind file is seen
 * whatever its name. A case that outlives its timeout is killed and counted as a hang.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, statfsSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Case, CaseResult, Outcome } from './case-types.js';
import { OUTCOMES } from './case-types.js';

export interface HarnessOptions {
  node: string;
  main: string;
  /** <work>/base: the base files cases copy. */
  baseDir: string;
  /** Cases run in <casesDir>/<index>. */
  casesDir: string;
  concurrency: number;
  timeoutMs: number;
  /** Keep the case directories (for a look at a failure). */
  keep?: boolean;
  onResult?: (r: CaseResult, done: number, total: number) => void;
}

const STACK = /^\s+at\s/m;

/** path (relative) → 'd' | 'l:<target>' | 'f:<sha256>', not following links. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    const abs = rel ? join(root, rel) : root;
    for (const e of readdirSync(abs)) {
      const r = rel ? `${rel}/${e}` : e;
      const p = join(root, r);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(r, `l:${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(r, 'd');
        walk(r);
      } else out.set(r, `f:${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk('');
  return out;
}

function sh(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** Create the case directory; false when a mount is impossible here (not root). */
function materialize(c: Case, dir: string, baseDir: string): boolean {
  mkdirSync(dir, { recursive: true });
  for (const f of c.files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    if ('copy' in f) copyFileSync(join(baseDir, f.copy), p);
    else if ('data' in f) writeFileSync(p, f.data);
    else if ('hardlink' in f) linkSync(join(dir, f.hardlink), p);
    else if ('symlink' in f) symlinkSync(f.symlink, p);
    else mkdirSync(p, { recursive: true });
  }
  for (const m of c.mounts ?? []) {
    const p = join(dir, m.path);
    mkdirSync(p, { recursive: true });
    if (!sh('mount', ['-t', 'tmpfs', '-o', `size=1m${m.kind === 'ro' ? ',ro' : ''}`, 'tmpfs', p])) return false;
    if (m.kind === 'full') fill(p, (m.freeKiB ?? 0) * 1024);
  }
  return true;
}

/** Fill a tmpfs until about `free` bytes are left. */
function fill(dir: string, free: number): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(4096, 0x55);
  try {
    for (;;) {
      const st = statfsSync(dir);
      const left = st.bavail * st.bsize - free;
      if (left <= 0) break;
      writeSync(fd, chunk, 0, Math.min(chunk.length, left));
    }
  } catch {
    /* ENOSPC: as full as it gets */
  } finally {
    closeSync(fd);
  }
}

function teardown(c: Case, dir: string, keep: boolean): void {
  for (const m of c.mounts ?? []) sh('umount', [join(dir, m.path)]);
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

/** Stdout as a comparable text: the case directory spelled {cwd}; JSON without host, hash and file-size fields. */
export function normalizeStdout(stdout: string, cwd: string): string {
  const text = stdout.split(cwd).join('{cwd}');
  try {
    return JSON.stringify(strip(JSON.parse(text)));
  } catch {
    return text;
  }
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) if (k !== 'host' && !/hash|sha256|checksum/i.test(k)) out[k] = strip((v as Record<string, unknown>)[k]);
  return out;
}

interface Raw { code: number; ms: number; stdout: string; stderr: string; timedOut: boolean }

function exec(o: HarnessOptions, args: string[], cwd: string, timeoutMs: number): Promise<Raw> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(o.node, [o.main, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    child.stdout.on('data', (b: Buffer) => { if ((outBytes += b.length) < 64 << 20) out.push(b); });
    child.stderr.on('data', (b: Buffer) => { if (err.length < 4096) err.push(b); });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? -1 : code ?? (signal ? 128 : -2), ms: performance.now() - t0, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
}

const NON_FINITE = /(^|[^A-Za-z"])(NaN|-?Infinity)([^A-Za-z"]|$)/m;

/** Classify one finished case (see Expect and Outcome). */
function classify(c: Case, raw: Raw, before: Map<string, string>, after: Map<string, string>, dir: string, reference: string | undefined): CaseResult {
  const problems: { outcome: Outcome; why: string }[] = [];
  const add = (outcome: Outcome, why: string): void => { problems.push({ outcome, why }); };
  const lines = raw.stderr.split('\n').filter((l) => l.trim() !== '');
  if (raw.timedOut) add('hang', `no exit within ${c.timeoutMs ?? 0} ms`);
  for (const [p, h] of before) {
    const now = after.get(p);
    if (now !== h && !p.endsWith('/filler')) add('overwritten-input', now === undefined ? `${p} removed` : `${p} changed`);
  }
  const declared = (c.outputs ?? []).map((p) => p.replace(/\/$/, ''));
  const mayCreate = (p: string): boolean => raw.code === 0 && declared.some((d) => p === d || p.startsWith(`${d}/`));
  // (a refusal case that exits 0 is a wrong exit, whatever it wrote)
  const accepted = raw.code === 0 && c.expect === 'refuse';
  for (const p of after.keys()) if (!before.has(p) && !mayCreate(p) && !accepted) add('partial-output', `${p} left behind (exit ${raw.code})`);
  if (raw.code === 0 && c.expect !== 'refuse') for (const d of declared) if (!after.has(d)) add('partial-output', `${d} not written after exit 0`);
  if (STACK.test(raw.stderr) || STACK.test(raw.stdout)) add('stack-trace', 'a stack frame in the output');
  const code = raw.code;
  if (!raw.timedOut) {
    const want = c.expect === 'refuse' ? [2] : c.expect === 'ok' ? [0] : [0, 2];
    if (!want.includes(code)) add('wrong-exit', `exit ${code}, expected ${want.join(' or ')}`);
    if (code === 0 && c.expect === 'refuse-or-identical' && reference !== undefined && normalizeStdout(raw.stdout, dir) !== reference)
      add('wrong-result', `exit 0 with a result different from ${c.reference}`);
    if (code === 0 && c.expect === 'refuse-or-identical' && reference === undefined) add('wrong-result', `reference ${c.reference} did not succeed`);
    // one line per error: each stderr line is an `error …` (several diagnostics may each get theirs) or a warning
    const noise = lines.filter((l) => !/^(error|warning)\b/.test(l));
    if (code === 2 && (noise.length || !lines.some((l) => l.startsWith('error'))))
      add('not-one-line', noise.length ? `a stderr line that is not an error line: ${JSON.stringify(noise[0]!.slice(0, 120))}` : 'no error line on stderr');
    if (code === 2 && c.mention && !c.mention.some((m) => raw.stderr.includes(m))) add('wrong-value', `the message does not give the true value (${c.mention[0]})`);
    if (code === 0 && raw.stdout.trimStart().startsWith('{') && NON_FINITE.test(raw.stdout)) add('wrong-exit', 'NaN or Infinity in the JSON on stdout');
    for (const p of after.keys())
      if (code === 0 && !before.has(p) && p.endsWith('.json') && after.get(p)!.startsWith('f:') && NON_FINITE.test(readFileSync(join(dir, p), 'utf8')))
        add('wrong-exit', `NaN or Infinity in ${p}`);
  }
  const outcome = problems.length ? OUTCOMES.find((o) => problems.some((p) => p.outcome === o))! : 'clean';
  return {
    id: c.id, cls: c.cls, command: c.command, expect: c.expect, code, ms: Math.round(raw.ms), outcome, problems,
    stderrFirst: (lines[0] ?? '').slice(0, 300), stderrLines: lines.length,
  };
}

/** Run one case in `dir`. `reference` is the normalized stdout of its reference case, if any. */
export async function runCase(c: Case, dir: string, o: HarnessOptions, reference?: string): Promise<{ result: CaseResult; stdout: string }> {
  try {
    if (!materialize(c, dir, o.baseDir)) {
      return { result: { id: c.id, cls: c.cls, command: c.command, expect: c.expect, code: -3, ms: 0, outcome: 'skipped', problems: [{ outcome: 'skipped', why: 'cannot mount a tmpfs here (run as root)' }], stderrFirst: '', stderrLines: 0 }, stdout: '' };
    }
    const before = snapshot(dir);
    const timeoutMs = c.timeoutMs ?? o.timeoutMs;
    const raw = await exec(o, c.args.map((a) => a.split('{cwd}').join(dir)), dir, timeoutMs);
    const after = existsSync(dir) ? snapshot(dir) : new Map<string, string>();
    return { result: classify({ ...c, timeoutMs }, raw, before, after, dir, reference), stdout: raw.code === 0 ? normalizeStdout(raw.stdout, dir) : '' };
  } finally {
    teardown(c, dir, o.keep ?? false);
  }
}

/** Run every case, `concurrency` at a time; reference cases first, so that others can compare with them. */
export async function runCases(cases: readonly Case[], o: HarnessOptions): Promise<CaseResult[]> {
  const present = new Set(cases.map((c) => c.id));
  const refIds = new Set(cases.map((c) => c.reference).filter((x): x is string => x !== undefined && present.has(x)));
  const order = [...cases.filter((c) => refIds.has(c.id)), ...cases.filter((c) => !refIds.has(c.id))];
  const refOut = new Map<string, string>();
  const results = new Map<string, CaseResult>();
  mkdirSync(o.casesDir, { recursive: true });
  let next = 0;
  let done = 0;
  const refsFirst = order.filter((c) => refIds.has(c.id)).length;
  const worker = async (): Promise<void> => {
    for (;;) {
      // references run to completion before any case that compares with them starts
      if (next >= refsFirst && refOut.size + [...refIds].filter((id) => results.has(id) && !refOut.has(id)).length < refIds.size) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      const k = next++;
      if (k >= order.length) return;
      const c = order[k]!;
      const { result, stdout } = await runCase(c, join(o.casesDir, String(k)), o, c.reference ? refOut.get(c.reference) : undefined);
      if (refIds.has(c.id) && result.code === 0) refOut.set(c.id, stdout);
      results.set(c.id, result);
      o.onResult?.(result, ++done, order.length);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return cases.map((c) => results.get(c.id)!);
}
