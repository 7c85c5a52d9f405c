/**
 * The text of program.proto, embedded (as graph-schema.ts does for graph.proto) so that the schema
 * is found wherever the code runs. test/compiler/program-codec.test.ts fails if this string and
 * program.proto differ; after editing program.proto, paste it here unchanged.
 */
export const PROGRAM_PROTO = `// neuromesh compiled program (.nmp), schema version 2: a generic envelope around a chip-owned payload.
//
// Same conventions as graph.proto: field 1 'magic' = "neuromesh.program", field 2
// 'schema_version' (a reader refuses other versions); bulk arrays are 'bytes' holding
// little-endian typed arrays (the element type is named in each field's comment), never repeated
// scalars. The chip's payload (field 14) is encoded by the chip's own codec
// (chips/<family>/codec.ts, with its own .proto). Field 15, the file checksum, is always the last
// record: SHA-256 (hex) of every byte before it, so a damaged file is refused before it is decoded.
syntax = "proto3";

package neuromesh;

message ProgramFile {
  string magic = 1;
  uint32 schema_version = 2;
  // SHA-256 (hex) of the graph compiled (compiler/graph-hash.ts).
  string graph_hash = 3;
  ProgramProfileRef profile = 4;
  ProgramRunConfig config = 5;
  // Seed of the randomized compile decisions (a safe integer).
  double seed = 6;
  repeated ProgramPopulation populations = 8;
  ProgramModel model = 9;
  repeated ProgramUnit units = 10;
  repeated ProgramResource resources = 11;
  ProgramTime time = 12;
  // SHA-256 (hex) of the payload bytes.
  string payload_checksum = 13;
  bytes payload = 14;
  string checksum = 15;
  // The weight scale K (voltages, biases and weights are the model's × K; recorded v is divided
  // back by K). Absent (older files, or K = 1): 1.
  double weight_scale = 16;
}

message ProgramProfileRef {
  string id = 1;
  string family = 2;
  string version = 3;
  // Hash of the profile sections that change a mapping (src/chip/profile-hash.ts).
  string mapping_hash = 4;
}

// docs/semantics.md §1.
message ProgramRunConfig {
  double dt = 1;
  string integrator = 2;
  string reset = 3;
  string if_mode = 4;
  uint32 delay = 5;
  string refractory_input = 6;  // "drop", or absent: "integrate"
}

message ProgramParam {
  string name = 1;
  bytes values = 2;             // float64 LE: 1 value (broadcast) or one per neuron
  bytes fixed = 3;              // int32 LE: codes in the profile's state format (empty: none)
}

message ProgramPopulation {
  string name = 1;
  string kind = 2;
  string role = 3;              // "neuron" | "source" | "relay" (delay-extension IF relays)
  uint32 size = 4;
  repeated uint32 shape = 5;
  repeated ProgramParam params = 6;
  bytes bias = 7;               // float64 LE per neuron (empty: no bias)
  bytes bias_fixed = 8;         // int32 LE state-format codes of bias (empty: no bias)
  uint32 receptors = 9;
  bool spiking = 10;
  bool output = 11;
  repeated ProgramParam coefficients = 12;  // the chip's run-time codes (decays, gains, refractory steps): name + fixed
}

// Model statistics (ModelStats), counted the same way for every chip.
message ProgramModel {
  double neurons = 1;
  double sources = 2;
  double relays = 3;
  double relay_synapses = 4;
  double bias_inputs = 5;
  double synapses = 6;
  double model_synapses = 7;
  double dense_connections = 8;
  double stored_weights = 9;
}

// A hardware unit: kind "core" | "tile" | "cell-group"; grid coordinates when has_grid.
message ProgramUnit {
  string kind = 1;
  string label = 2;
  string node = 3;
  bool has_grid = 4;
  int32 grid_x = 5;
  int32 grid_y = 6;
}

message ProgramResource {
  string name = 1;
  double value = 2;
  string unit = 3;
  bool has_limit = 4;
  double limit = 5;
}

// kind "tick" (one tick per step) or "event" (with its lookahead, in unit).
message ProgramTime {
  string kind = 1;
  double lookahead = 2;
  string unit = 3;
}
`;
