/** The per-node plan of a prepared reference run (simulate.ts builds it, before-start.ts primes it). */
import type { FlatNode } from '../graph/graph.js';
import type { Kernel } from './kernel.js';
import type { SpikeBuffer } from './record.js';

export interface InEdge {
  src: Plan;
  /** Steps back: 1 for a cycle-closing edge, +1 with delay=1 into a stateful node. */
  lag: number;
  /** Offset into the target's input buffer (receptor · size). */
  offset: number;
  /** First edge of its receptor block: copied rather than added (firstCopies plans only). */
  first: boolean;
}

export interface Plan {
  node: FlatNode;
  kernel: Kernel;
  /** Output ring: outs[t % depth] is the output at step t. */
  outs: Float64Array[];
  depth: number;
  edges: InEdge[];
  /** Summed input buffer (size · receptors), or the zero input of a node with no edges. */
  xbuf: Float64Array;
  /** Every block of xbuf is fully written by its first edge (so no fill(0) per step). */
  firstCopies: boolean;
  /** Single lag-0 edge into a 1-receptor node: read the source's output directly. */
  direct?: Plan;
  /** The output at rest, read by an edge that reaches before step 0 (undefined: all zeros). */
  rest?: Float64Array;
  /** The output at step −1 where it differs from `rest` (sources read one step ahead, and what they feed). */
  prev?: Float64Array;
  /** A source read one step ahead (SimulateOptions.sourceLead). */
  lead?: boolean;
  spikes?: SpikeBuffer;
  counts?: Uint32Array;
  traces: { var: string; src: Float64Array | 'y'; start: number; end: number; values: Float64Array }[];
}
