import type { Metadata } from '../spec.js';
import type { Edge, Node } from '../graph.js';

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
