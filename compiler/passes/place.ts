import type { MachineLayout, Network, Partition, Placement, SliceGraph } from '../../src/chip/program.js';
import type { PassContext } from '../context.js';
import { sliceTraffic } from '../traffic.js';
import { strategyContext } from './partition.js';

/** Aggregate slice-to-slice traffic, then place slices on cores with the chip's strategy. */
export function placePass(net: Network, part: Partition, ctx: PassContext): { machine: MachineLayout; traffic: SliceGraph; placement: Placement } {
  const sctx = strategyContext(ctx);
  const machine = ctx.backend.strategies.machine(sctx);
  const traffic = sliceTraffic(net, part);
  const placement = ctx.backend.strategies.place(net, part, traffic, machine, sctx);
  return { machine, traffic, placement };
}
