import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from '../helpers/shared.js';

/**
 * End-to-end tests run the BUILT command, `node dist/src/cli/main.js …`, exactly as a user's
 * `neuromesh` bin does. How the build happens:
 *
 *  - `npm test` runs `npm run build` (tsc) before vitest, so dist/ is normally fresh and
 *    ensureBuilt() only checks it (a few milliseconds).
 *  - When run on their own (`npx vitest run test/e2e`), ensureBuilt() compares every source file
 *    under src/, compiler/ and chips/ with its dist/ output by modification time and runs
 *    `tsc -p tsconfig.json` once if any is missing or older. Several test files (vitest forks) may
 *    ask at the same time: a lock directory (dist/.e2e-build.lock) makes one of them build while the
 *    others wait, then re-check. A lock older than 3 minutes is treated as abandoned. The lock is
 *    shared with test/runtime/build.ts (vitest's globalSetup builds src/ and chips/ the same way;
 *    this helper also watches compiler/, which the CLI imports). Call it as
 *    `beforeAll(ensureBuilt, BUILD_TIMEOUT_MS)`: a build on a loaded machine exceeds the default
 *    hook timeout.
 *  - tsc emits JavaScript even when it reports type errors (another engineer's work in progress),
 *    so a build is accepted when tsc ran to completion and dist/src/cli/main.js exists; sources
 *    edited while tsc was running are picked up by the next run. tsc's report is shown on failure.
 */
export const MAIN = join(REPO, 'dist', 'src', 'cli', 'main.js');
/** The same lock directory as test/runtime/build.ts (the vitest globalSetup), so builds never overlap. */
const LOCK = join(REPO, 'dist', '.build-lock');
const SOURCE_DIRS = ['src', 'compiler', 'chips'];

/** Hook timeout for beforeAll(ensureBuilt): tsc on a loaded 2-core machine can take a minute or more. */
export const BUILD_TIMEOUT_MS = 300_000;

function sources(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Source files whose dist/ JavaScript is missing or older than the source. */
export function staleOutputs(): string[] {
  const stale: string[] = [];
  for (const d of SOURCE_DIRS)
    for (const src of sources(join(REPO, d))) {
      const js = join(REPO, 'dist', relative(REPO, src)).replace(/\.ts$/, '.js');
      if (!existsSync(js) || statSync(js).mtimeMs < statSync(src).mtimeMs) stale.push(relative(REPO, src));
    }
  return stale;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Make sure dist/ holds a build of the current sources (see the note above). */
export async function ensureBuilt(): Promise<void> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS - 10_000;
  let waited = false;
  for (;;) {
    // after waiting for another file's build, take its result rather than building again
    if (existsSync(MAIN) && (waited ? !existsSync(LOCK) : staleOutputs().length === 0)) return;
    mkdirSync(join(REPO, 'dist'), { recursive: true });
    let locked = false;
    try {
      mkdirSync(LOCK);
      locked = true;
    } catch {
      // someone else is building; take over an abandoned lock
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 180_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        /* lock vanished meanwhile */
      }
    }
    if (locked) {
      try {
        const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
          cwd: REPO, encoding: 'utf8', timeout: 180_000,
        });
        // Files edited by someone while tsc ran may look stale again: that is not a failed build.
        if (!existsSync(MAIN) || tsc.error)
          throw new Error(`e2e build failed (tsc exit ${tsc.status}${tsc.error ? `, ${tsc.error.message}` : ''})\n${tsc.stdout}${tsc.stderr}`);
        return;
      } finally {
        rmSync(LOCK, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) throw new Error('timed out waiting for another test file to build dist/');
    waited = true;
    await sleep(250);
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds. */
  ms: number;
}

/** Run `node dist/src/cli/main.js …args` with a hard timeout; never throws on a non-zero exit. */
export function runCli(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliResult> {
  return runNode([MAIN, ...args], opts);
}

/** Run node with arguments (a script or `-e code`), capturing exit code and output. */
export function runNode(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath, args,
      { cwd: opts.cwd ?? REPO, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...opts.env }, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number | string; signal?: string }) | null;
        const code = e ? (typeof e.code === 'number' ? e.code : e.signal ? -1 : -2) : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - t0 });
      },
    );
  });
}

/** Non-empty lines of a text. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** True when the text contains a JavaScript stack frame ("    at f (file:1:2)"). */
export function hasStackFrame(text: string): boolean {
  return /^\s+at\s/m.test(text);
}
