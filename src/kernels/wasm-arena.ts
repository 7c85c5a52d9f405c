/**
 * A bump allocator of typed arrays inside one shared WebAssembly.Memory, so that a worker's
 * JavaScript code and its WebAssembly kernels read and write the same state with no copies.
 *
 * The memory is `shared: true`: its buffer is a SharedArrayBuffer, and growing it never detaches
 * a view made before (a non-shared memory's buffer is detached by every grow, which would break
 * every typed array the kernels keep). Arrays are 16-byte aligned (one SIMD vector), zero-filled,
 * and live as long as the memory: nothing is freed.
 */

import { WA, type WasmMemory } from './wasm-api.js';

/** WebAssembly pages of 64 KiB. */
const PAGE = 65536;
/** The most a 32-bit memory can address (4 GiB); a shared memory must declare a maximum. */
export const WASM_MAX_PAGES = 65536;

export class WasmArena {
  readonly memory: WasmMemory;
  private top: number;

  /** @param base first byte the arena may hand out (above the module's static data). */
  constructor(memory: WasmMemory, base: number) {
    this.memory = memory;
    this.top = align(Math.max(base, 16));
  }

  /** Bytes handed out so far (the arena's end). */
  get used(): number {
    return this.top;
  }

  private take(bytes: number): number {
    const at = this.top;
    const end = align(at + bytes);
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > WASM_MAX_PAGES) throw new RangeError(`WasmArena: ${end} bytes exceed a 32-bit WebAssembly memory`);
      this.memory.grow(pages);
    }
    this.top = end;
    return at;
  }

  i32(n: number): Int32Array {
    const at = this.take(4 * n); // before reading .buffer: take may grow the memory
    return new Int32Array(this.memory.buffer, at, n);
  }

  u8(n: number): Uint8Array {
    const at = this.take(n);
    return new Uint8Array(this.memory.buffer, at, n);
  }

  f64(n: number): Float64Array {
    const at = this.take(8 * n);
    return new Float64Array(this.memory.buffer, at, n);
  }

  /** A copy of `src` in the arena. */
  copyI32(src: ArrayLike<number>): Int32Array {
    const out = this.i32(src.length);
    for (let i = 0; i < src.length; i++) out[i] = src[i]!;
    return out;
  }
}

function align(x: number): number {
  return (x + 15) & ~15;
}

/** A new shared memory of `initialPages` pages for kernels built with `--sharedMemory --maximumMemory 65536`. */
export function sharedWasmMemory(initialPages = 1): WasmMemory {
  if (!WA) throw new Error('this engine has no WebAssembly');
  return new WA!.Memory({ initial: initialPages, maximum: WASM_MAX_PAGES, shared: true });
}
