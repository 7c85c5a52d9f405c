import type { Network, Partition, Quantization } from '../../src/chip/program.js';
import type { StrategyContext } from '../../src/chip/backend.js';
import type { PassContext } from '../context.js';

export function strategyContext(ctx: PassContext): StrategyContext {
  return { profile: ctx.backend.profile, seed: ctx.seed, maxNeuronsPerCore: ctx.maxNeuronsPerCore, diagnostics: ctx.diagnostics, routing: ctx.routing };
}

/** Cut populations into per-core slices with the chip's strategy. */
export function partitionPass(net: Network, q: Quantization, ctx: PassContext): Partition {
  return ctx.backend.strategies.partition(net, q, strategyContext(ctx));
}
