import { compile } from '../../../compiler/index.js';
import { loadBackend } from '../../../chips/index.js';
import type { RunConfig } from '../../../src/chip/program.js';
import type { Graph } from '../../../src/graph/graph.js';
import { ensureBuilt } from '../../runtime/build.js';

/** Workers run dist/: rebuild when the spinnaker2 kernels or what they import are stale. */
export function buildKernels(): void {
  ensureBuilt(['src/runtime', 'src/errors.ts', 'src/random', 'chips/spinnaker2/kernels.ts']);
}

export function compileFor(graph: Graph, config: Partial<RunConfig> = {}, chip = 'spinnaker2', maxNeuronsPerCore?: Record<string, number>) {
  const backend = loadBackend(chip);
  const r = compile(graph, backend, { config: { delay: 1, ...config }, ...(maxNeuronsPerCore ? { maxNeuronsPerCore } : {}) });
  return { ...r, profile: backend.profile };
}
