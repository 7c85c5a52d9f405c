/**
 * The text of graph.proto, embedded so that the schema is found wherever the code runs (vitest on
 * src/, node on dist/ after tsc, which does not copy .proto files, or a bundle): no file lookup
 * relative to the module at run time. test/io/proto-schema.test.ts fails if this string and
 * graph.proto differ; after editing graph.proto, paste it here unchanged.
 */
export const GRAPH_PROTO = `// neuromesh graph file (.nmg), schema version 2 (2 adds the checksum; schema 1 files are still read).
//
// Conventions shared by every neuromesh protobuf file (graph .nmg here; the compiled program
// .nmp and the report live in their own .proto files of this package):
//   field 1 'magic' (string) names the file type: "neuromesh.graph" here, e.g.
//     "neuromesh.program" / "neuromesh.report" for the others;
//   field 2 'schema_version' (uint32); a reader refuses versions newer than it knows.
// Message and enum names of this file are taken: FileHeader, GraphFile, NodeMsg, EdgeMsg, FieldMsg, TensorMsg,
// IndexArrayMsg, IntList, StringList, NumberList, MetaMap, MetaEntry, MetaValue, FloatDType,
// IndexDType. Other files may import this one to reuse TensorMsg, IndexArrayMsg and MetaMap.
// Bulk arrays are 'bytes' holding little-endian typed arrays, never repeated scalars.
syntax = "proto3";

package neuromesh;

// The first two fields of every neuromesh file: a reader decodes this first, so that a newer
// schema or another file type is refused by name before the rest is interpreted.
message FileHeader {
  string magic = 1;
  uint32 schema_version = 2;
}

message GraphFile {
  string magic = 1;
  uint32 schema_version = 2;
  optional string nir_version = 3;
  repeated NodeMsg nodes = 4;
  repeated EdgeMsg edges = 5;
  MetaMap metadata = 6;
  // 7..14 left for future graph-level fields.
  // Schema 2: always the last record, SHA-256 (hex) of every byte before it (src/io/proto/checksum.ts);
  // a reader refuses a schema-2 file without it or whose bytes do not match.
  string checksum = 15;
}

// One flat node. 'fields' follows the PRIMITIVES[kind].fields table (src/graph/registry.ts):
// an absent optional field is simply not listed; order is the table's order.
message NodeMsg {
  string kind = 1;
  string name = 2;
  repeated FieldMsg fields = 3;
  MetaMap metadata = 4;
}

message EdgeMsg {
  string source = 1;
  string target = 2;
}

message FieldMsg {
  string name = 1;
  oneof value {
    TensorMsg tensor = 2;          // FieldType 'tensor'
    IntList ints = 3;              // 'ints'
    sint64 int_value = 4;          // 'int'
    double float_value = 5;        // 'float'
    string string_value = 6;       // 'string'
    StringList strings = 7;        // 'strings'
    IndexArrayMsg index = 8;       // 'index'
  }
}

enum FloatDType {
  FLOAT_DTYPE_UNSPECIFIED = 0;
  FLOAT_DTYPE_FLOAT32 = 1;
  FLOAT_DTYPE_FLOAT64 = 2;
}

// A float array in C order; data holds numel(shape) little-endian values of dtype.
message TensorMsg {
  FloatDType dtype = 1;
  repeated uint32 shape = 2;
  bytes data = 3;
}

enum IndexDType {
  INDEX_DTYPE_UNSPECIFIED = 0;
  INDEX_DTYPE_INT32 = 1;
  INDEX_DTYPE_UINT32 = 2;
  INDEX_DTYPE_UINT8 = 3;
  INDEX_DTYPE_UINT16 = 4;
}

// A 1-D integer array (CSR pointers, indices, delays); data holds little-endian values of dtype.
message IndexArrayMsg {
  IndexDType dtype = 1;
  bytes data = 2;
}

message IntList {
  repeated sint64 values = 1;
}

message StringList {
  repeated string values = 1;
}

// Small number lists in metadata only (never parameter arrays).
message NumberList {
  repeated double values = 1;
}

// Free-form metadata, kept in order and written back, never interpreted.
message MetaMap {
  repeated MetaEntry entries = 1;
}

message MetaEntry {
  string key = 1;
  MetaValue value = 2;
}

message MetaValue {
  oneof kind {
    string string_value = 1;
    double number_value = 2;
    bool bool_value = 3;
    NumberList numbers = 4;
    StringList strings = 5;
    MetaMap map = 6;
  }
}
`;
