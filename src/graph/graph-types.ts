/** The graph IR's types (IR level 1), apart from graph.ts's functions so that node files and the registry can name them without an import circle. */
import type { AffineNode } from './nodes/affine.js';
import type { AvgPool2dNode } from './nodes/avg-pool2d.js';
import type { Conv1dNode } from './nodes/conv1d.js';
import type { Conv2dNode } from './nodes/conv2d.js';
import type { CubaLINode } from './nodes/cuba-li.js';
import type { CubaLIFNode } from './nodes/cuba-lif.js';
import type { CurrentLIFNode } from './nodes/current-lif.js';
import type { DelayNode } from './nodes/delay.js';
import type { FlattenNode } from './nodes/flatten.js';
import type { INode } from './nodes/i.js';
import type { IFNode } from './nodes/if.js';
import type { InputNode } from './nodes/input.js';
import type { LINode } from './nodes/li.js';
import type { LIFNode } from './nodes/lif.js';
import type { LinearNode } from './nodes/linear.js';
import type { OutputNode } from './nodes/output.js';
import type { ScaleNode } from './nodes/scale.js';
import type { SparseLinearNode } from './nodes/sparse-linear.js';
import type { SpikeSourceNode } from './nodes/spike-source.js';
import type { SumPool2dNode } from './nodes/sum-pool2d.js';
import type { ThresholdNode } from './nodes/threshold.js';
import type { Metadata } from './spec.js';

export type {
  AffineNode, AvgPool2dNode, Conv1dNode, Conv2dNode, CubaLINode, CubaLIFNode, CurrentLIFNode, DelayNode, FlattenNode,
  INode, IFNode, InputNode, LINode, LIFNode, LinearNode, OutputNode, ScaleNode, SparseLinearNode,
  SpikeSourceNode, SumPool2dNode, ThresholdNode,
};

/** A node after flattening: every primitive except NIRGraph. Discriminated on `kind`. */
export type FlatNode =
  | InputNode | OutputNode | AffineNode | LinearNode | ScaleNode | Conv1dNode | Conv2dNode | SumPool2dNode
  | AvgPool2dNode | FlattenNode | DelayNode | ThresholdNode | INode | IFNode | LINode | LIFNode | CubaLINode
  | CubaLIFNode | SparseLinearNode | SpikeSourceNode | CurrentLIFNode;

/**
 * NIRGraph: a nested subgraph. Edges elsewhere point at it by its name; its own Input and Output
 * nodes are its ports. Loaders flatten it (flatten.ts) into dotted names (`lif1.lif`), so the
 * rest of neuromesh only sees flat graphs.
 */
export interface NIRGraphNode {
  kind: 'NIRGraph';
  name: string;
  metadata?: Metadata;
  nodes: Node[];
  edges: Edge[];
}

/** Any node, including nested subgraphs (only loaders and the builder see these). */
export type Node = FlatNode | NIRGraphNode;
export type NodeKind = Node['kind'];

export interface Edge {
  from: string;
  to: string;
}

/**
 * IR level 1: a flat, NIR-shaped graph. Plain data; node names are the user's and every
 * diagnostic uses them.
 */
export interface Graph {
  nodes: FlatNode[];
  edges: Edge[];
  /** NIR version the graph was read from (e.g. '0.2.0'), if any. */
  nirVersion?: string;
  metadata?: Metadata;
}

/** A graph that may still contain NIRGraph subgraphs. */
export interface NestedGraph {
  nodes: Node[];
  edges: Edge[];
  nirVersion?: string;
  metadata?: Metadata;
}
