// Build every WebAssembly kernel from source: assembly/<chip>/<name>.ts → dist/wasm/<chip>-<name>.wasm,
// with the AssemblyScript compiler from node_modules (pure npm: JavaScript + binaryen compiled to
// WebAssembly, nothing downloaded). Run by `npm run build` after tsc; the loader is
// src/kernels/wasm-module.ts. Usage: node tools/build-wasm.mjs [--check] (--check: exit 1 if stale).
import { mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(REPO, 'assembly');
const OUT = join(REPO, 'dist', 'wasm');

/** Flags every kernel is built with: SIMD, and the worker's shared memory imported as env.memory. */
export const ASC_FLAGS = [
  '-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=',
  '--importMemory', '--noExportMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536',
  '--enable', 'simd', '--enable', 'threads',
];

/** [source, output] of every kernel: each .ts directly in a chip folder of assembly/. */
export function kernels() {
  const out = [];
  for (const chip of readdirSync(SRC)) {
    const dir = join(SRC, chip);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.ts')) out.push([join(dir, f), join(OUT, `${chip}-${f.slice(0, -3)}.wasm`)]);
  }
  return out;
}

/** Kernels whose output is missing or older than any AssemblyScript source. */
export function staleKernels() {
  const newest = Math.max(...kernels().map(([src]) => statSync(src).mtimeMs));
  return kernels().filter(([, out]) => !existsSync(out) || statSync(out).mtimeMs < newest);
}

async function main() {
  if (process.argv.includes('--check')) {
    const stale = staleKernels();
    for (const [src] of stale) console.error(`stale: ${relative(REPO, src)}`);
    process.exit(stale.length ? 1 : 0);
  }
  const { default: asc } = await import('assemblyscript/asc');
  mkdirSync(OUT, { recursive: true });
  for (const [src, out] of kernels()) {
    const r = await asc.main([relative(REPO, src), '-o', relative(REPO, out), ...ASC_FLAGS], { stdout: process.stdout, stderr: process.stderr });
    if (r.error) {
      console.error(`build-wasm: ${relative(REPO, src)}: ${r.error.message}`);
      process.exit(1);
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
