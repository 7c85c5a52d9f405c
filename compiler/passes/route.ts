import type { MachineLayout, Network, Partition, Placement, Routing, SliceGraph } from '../../src/chip/program.js';
import type { PassContext } from '../context.js';
import { strategyContext } from './partition.js';

/** Keys, multicast trees and (compressed) router tables with the chip's strategy. */
export function routePass(net: Network, part: Partition, placement: Placement, traffic: SliceGraph, machine: MachineLayout, ctx: PassContext): Routing {
  return ctx.backend.strategies.route(net, part, placement, traffic, machine, strategyContext(ctx));
}
