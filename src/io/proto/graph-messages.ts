/**
 * Plain-object shapes of the graph.proto messages, as the codec writes them (protobufjs `encode`
 * takes plain objects) and reads them (`toObject` with longs as strings, enums as numbers,
 * oneofs named, no defaults). Every property is optional on the read side: a file may omit any.
 */

export interface TensorObj {
  dtype?: number;
  shape?: number[];
  data?: Uint8Array;
}

export interface IndexArrayObj {
  dtype?: number;
  data?: Uint8Array;
}

/** sint64 values: numbers when writing, decimal strings when reading. */
export type Int64 = number | string;

export interface FieldObj {
  name?: string;
  /** Which member of the `value` oneof is set (read side). */
  value?: string;
  tensor?: TensorObj;
  ints?: { values?: Int64[] };
  int_value?: Int64;
  float_value?: number;
  string_value?: string;
  strings?: { values?: string[] };
  index?: IndexArrayObj;
}

export interface MetaValueObj {
  kind?: string;
  string_value?: string;
  number_value?: number;
  bool_value?: boolean;
  numbers?: { values?: number[] };
  strings?: { values?: string[] };
  map?: MetaMapObj;
}

export interface MetaMapObj {
  entries?: { key?: string; value?: MetaValueObj }[];
}

export interface NodeObj {
  kind?: string;
  name?: string;
  fields?: FieldObj[];
  metadata?: MetaMapObj;
}

export interface GraphFileObj {
  magic?: string;
  schema_version?: number;
  nir_version?: string;
  nodes?: NodeObj[];
  edges?: { source?: string; target?: string }[];
  metadata?: MetaMapObj;
}

export const FLOAT_DTYPE = { float32: 1, float64: 2 } as const;
export const INDEX_DTYPE = { int32: 1, uint32: 2, uint8: 3, uint16: 4 } as const;
