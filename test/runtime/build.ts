/**
 * Worker threads run JavaScript from dist/: make sure the build output of src/ and chips/ (the
 * runtime, test backends, chip kernels) is at least as new as its TypeScript sources, running `tsc -p tsconfig.json` once
 * if not, and the WebAssembly kernels (tools/build-wasm.mjs) likewise. Used as a vitest globalSetup (see vitest.config.ts) and, as a fallback, by each runtime
 * test file; a lock directory keeps concurrent test processes from building at the same time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from '../helpers/shared.js';

/** Sources whose compiled twins workers may load: the runtime, and chip kernels with what they import. */
export const WATCHED = ['src', 'chips', 'test/chips/ideal'];

function tsFiles(path: string): string[] {
  const abs = join(REPO, path);
  if (!existsSync(abs)) return [];
  if (statSync(abs).isFile()) return abs.endsWith('.ts') && !abs.endsWith('.d.ts') && !abs.endsWith('.test.ts') ? [abs] : [];
  return readdirSync(abs).flatMap((n) => tsFiles(join(path, n)));
}

/** Sources with no dist twin, or a twin older than the source. */
export function staleSources(paths: readonly string[] = WATCHED): string[] {
  return paths.flatMap(tsFiles).filter((src) => {
    const out = join(REPO, 'dist', relative(REPO, src)).replace(/\.ts$/, '.js');
    return !existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs;
  });
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The WebAssembly kernels (assembly/ → dist/wasm/), rebuilt by tools/build-wasm.mjs when stale. */
function wasmStale(): boolean {
  try {
    execFileSync(process.execPath, [join(REPO, 'tools', 'build-wasm.mjs'), '--check'], { cwd: REPO, stdio: 'pipe' });
    return false;
  } catch {
    return true;
  }
}

function buildWasm(): void {
  if (wasmStale()) execFileSync(process.execPath, [join(REPO, 'tools', 'build-wasm.mjs')], { cwd: REPO, stdio: 'pipe' });
}

export function ensureBuilt(paths: readonly string[] = WATCHED): void {
  const fresh = (): boolean => staleSources(paths).length === 0 && !wasmStale();
  if (fresh()) return;
  const lock = join(REPO, 'dist', '.build-lock');
  mkdirSync(join(REPO, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`build lock ${lock} held for 2 minutes: remove it if no build is running`);
      sleep(200);
      if (fresh()) return; // someone else built it
    }
  }
  let log = '';
  const started = Date.now();
  try {
    if (fresh()) return;
    if (staleSources(paths).length > 0) try {
      execFileSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'pipe' });
    } catch (e) {
      // type errors elsewhere in the tree do not stop tsc from emitting; check the outputs below
      log = String((e as { stdout?: Buffer }).stdout ?? '');
    }
    buildWasm();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  // a file edited while tsc ran (someone working in parallel) is not the build's fault
  const stale = staleSources(paths).filter((src) => statSync(src).mtimeMs < started);
  if (stale.length > 0) throw new Error(`tsc did not produce fresh JavaScript for ${stale.map((s) => relative(REPO, s)).join(', ')}\n${log}`);
}
