/** The generic WebAssembly kernel loader: finds the build, honours NEUROMESH_WASM=0, refuses what is not built. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { instantiateWasm, wasmFile, wasmModule } from '../../src/kernels/wasm-module.js';
import { ensureBuilt } from '../runtime/build.js';

describe('src/kernels/wasm-module', () => {
  beforeAll(() => ensureBuilt());
  afterEach(() => {
    delete process.env.NEUROMESH_WASM;
  });

  it('finds dist/wasm/NAME.wasm from the sources and instantiates it over a shared memory with an arena above its data', () => {
    expect(wasmFile('spinnaker2-current-lif')).toMatch(/dist[/\\]wasm[/\\]spinnaker2-current-lif\.wasm$/);
    const k = instantiateWasm<{ heapBase(): number }>('spinnaker2-current-lif')!;
    expect(k).toBeDefined();
    expect(k.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(k.arena.used).toBeGreaterThanOrEqual(k.exports.heapBase());
    expect(k.arena.i32(4).byteOffset).toBeGreaterThanOrEqual(k.exports.heapBase());
  });

  it('NEUROMESH_WASM=0 turns the kernels off; a module that is not built is undefined, not an error', () => {
    process.env.NEUROMESH_WASM = '0';
    expect(instantiateWasm('spinnaker2-current-lif')).toBeUndefined();
    delete process.env.NEUROMESH_WASM;
    expect(wasmModule('spinnaker2-current-lif')).toBeDefined();
    expect(wasmFile('no-such-kernel')).toBeUndefined();
    expect(instantiateWasm('no-such-kernel')).toBeUndefined();
  });
});
