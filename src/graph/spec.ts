import type { Diagnostic } from '../errors.js';
import type { Shape } from './tensor.js';

/**
 * How a primitive's fields are stored. The NIR and protobuf codecs are driven by these tables
 * (architecture note: "codec tables, not if-chains").
 *  - tensor: FloatTensor, keeps float32/float64 (NIR: float dataset; proto: TensorProto)
 *  - ints:   number[] of integers (NIR: int64 dataset; proto: packed sint64)
 *  - int:    one integer (NIR: int64 scalar dataset)
 *  - float:  one float64
 *  - string: one string
 *  - strings: string[]
 *  - index:  IndexArray (CSR pointers, indices, delays) (NIR: int/uint dataset; proto: bytes)
 */
export type FieldType = 'tensor' | 'ints' | 'int' | 'float' | 'string' | 'strings' | 'index';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** Absent means "use the default the node's doc comment gives" (e.g. NIR's v_reset = 0). */
  readonly optional?: boolean;
}

/** Synapse counts of a connection node (docs/semantics.md §5 `synapses`). */
export interface SynapseCount {
  /** Every input-output pair the operator could connect (a dense matrix of the same map). */
  dense: number;
  /** Connections with a nonzero weight, counted per connection (a conv's weight once per use). */
  nonzero: number;
  /** Weights stored: a conv's shared kernel counts once. */
  stored: number;
}

export type ShapeResult = Shape | Diagnostic[];

/** Everything the graph layer knows about one primitive kind. One object per file in nodes/. */
export interface PrimitiveSpec<N extends { kind: string; name: string }> {
  readonly kind: N['kind'];
  readonly fields: readonly FieldSpec[];
  /** A neuron population: holds membrane (or other) state across steps. */
  readonly neuron: boolean;
  /** Holds state across steps (neurons, Delay): a cycle through such a node is well defined. */
  readonly stateful: boolean;
  /** Parameter checks that need no shape information (NaN, τ ≤ 0, inconsistent arrays). */
  validate(node: N): Diagnostic[];
  /**
   * Output shape from the input shape (undefined for source nodes: Input, SpikeSource).
   * Returns diagnostics when the input cannot feed this node.
   */
  outputShape(node: N, input: Shape | undefined): ShapeResult;
  /** Synapse counts for connection nodes, given the input shape. */
  synapses?(node: N, input: Shape): SynapseCount;
}

/** Free-form metadata as NIR stores it in `metadata` groups (kept, written back, never interpreted). */
export type MetaValue = string | number | boolean | number[] | string[] | Metadata;
export interface Metadata {
  [key: string]: MetaValue;
}
