/**
 * The part of the JavaScript WebAssembly API the kernel loader uses, typed here: the project's
 * lib (ES2022, no DOM) does not declare the WebAssembly namespace, which Node has at run time.
 */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
}

/** globalThis.WebAssembly (undefined on an engine without it). */
export const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
