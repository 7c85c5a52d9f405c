/** Load a backend's worker-side kernel module by URL and check its shape. */
import { diag, NeuromeshError } from '../errors.js';
import type { KernelModule } from './kernel.js';

export async function loadKernelModule(url: string): Promise<KernelModule> {
  let mod: unknown;
  try {
    mod = await import(url);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new NeuromeshError([diag('E_KERNEL_MODULE', `cannot load kernel module ${url}: ${msg}`, {
      hint: 'the kernel module must be compiled JavaScript: run `npm run build`',
    })]);
  }
  const create = (mod as { createWorkerKernel?: unknown }).createWorkerKernel;
  if (typeof create !== 'function')
    throw new NeuromeshError([diag('E_KERNEL_MODULE', `kernel module ${url} does not export createWorkerKernel(init)`, {
      hint: 'see src/runtime/kernel.ts (KernelModule)',
    })]);
  return mod as KernelModule;
}
