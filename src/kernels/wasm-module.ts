/**
 * Load a WebAssembly kernel built by `npm run build` (sources in assembly/, output
 * dist/wasm/NAME.wasm) synchronously, as a worker's kernel needs it in createWorkerKernel:
 * compiled once per thread, instantiated over a fresh shared memory with an arena above the
 * module's own static data. Any chip may use it (see README.md in this folder).
 *
 * Returns undefined, and the caller keeps its JavaScript loop, when the module is not built, when
 * this engine cannot compile it (no SIMD or no shared memory), or when NEUROMESH_WASM=0 (to
 * measure or check the JavaScript loops).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WA, type WasmMemory, type WasmModule } from './wasm-api.js';
import { sharedWasmMemory, WasmArena } from './wasm-arena.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** dist/wasm/NAME.wasm, from dist/src/kernels (the build) or src/kernels (the sources), if built. */
export function wasmFile(name: string): string | undefined {
  for (const p of [join(HERE, '..', '..', 'wasm', `${name}.wasm`), join(HERE, '..', '..', 'dist', 'wasm', `${name}.wasm`)])
    if (existsSync(p)) return p;
  return undefined;
}

/** Whether the environment turns the WebAssembly kernels off (NEUROMESH_WASM=0). */
export function wasmDisabled(): boolean {
  return process.env.NEUROMESH_WASM === '0';
}

const compiled = new Map<string, WasmModule | null>();

/** The compiled module NAME (cached per thread), or undefined when unavailable. */
export function wasmModule(name: string): WasmModule | undefined {
  if (wasmDisabled() || !WA) return undefined;
  if (!compiled.has(name)) {
    const file = wasmFile(name);
    let mod: WasmModule | null = null;
    if (file) {
      try {
        mod = new WA.Module(readFileSync(file));
      } catch {
        mod = null; // an engine without SIMD or threads: the JavaScript loops run
      }
    }
    compiled.set(name, mod);
  }
  return compiled.get(name) ?? undefined;
}

export interface WasmKernel<E> {
  exports: E;
  memory: WasmMemory;
  /** Allocate the state the kernel works on here (views stay valid as the memory grows). */
  arena: WasmArena;
}

/**
 * Instantiate NAME over a new shared memory (imported as env.memory). The module must export
 * `heapBase()`, the end of its static data, where the arena starts.
 */
export function instantiateWasm<E>(name: string): WasmKernel<E> | undefined {
  const mod = wasmModule(name);
  if (!mod) return undefined;
  const memory = sharedWasmMemory();
  const instance = new WA!.Instance(mod, { env: { memory } });
  const exports = instance.exports as unknown as E & { heapBase: () => number };
  return { exports, memory, arena: new WasmArena(memory, exports.heapBase()) };
}
