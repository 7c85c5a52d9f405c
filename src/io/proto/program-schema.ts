/**
 * The text of program.proto, embedded (as graph-schema.ts does for graph.proto) so that the schema
 * is found wherever the code runs. test/compiler/program-codec.test.ts fails if this string and
 * program.proto differ; after editing program.proto, paste it here unchanged.
 */
export const PROGRAM_PROTO = `// neuromesh compiled program (.nmp), schema version 2.
//
// Same conventions as graph.proto: field 1 'magic' = "neuromesh.program", field 2
// 'schema_version' (a reader refuses versions newer than it knows); bulk arrays are 'bytes'
// holding little-endian typed arrays (the element type is named in each field's comment), never
// repeated scalars. Message names here all start with 'Program' so the two schemas can share one
// protobuf root.
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
  ProgramMachine machine = 7;
  repeated ProgramPopulation populations = 8;
  repeated ProgramCore cores = 9;
  repeated ProgramRouter routers = 10;
  // The deterministic resource summary (CompileSummary) as JSON.
  string summary_json = 11;
}

message ProgramProfileRef {
  string id = 1;
  string family = 2;
  string version = 3;
}

// docs/semantics.md §1.
message ProgramRunConfig {
  double dt = 1;
  string integrator = 2;
  string reset = 3;
  string if_mode = 4;
  uint32 delay = 5;
}

message ProgramMachine {
  bytes chips = 1;              // int32 LE: x0, y0, x1, y1, … (index = chip id)
  uint32 cores_per_chip = 2;
  uint32 usable_cores_per_chip = 3;
  uint32 links_per_chip = 4;
  bytes neighbour = 5;          // int32 LE: [chip · links_per_chip + link] = chip id or −1
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

message ProgramCore {
  uint32 chip = 1;
  uint32 pe = 2;
  uint32 slice = 3;
  uint32 pop = 4;
  uint32 lo = 5;
  uint32 hi = 6;
  uint32 key = 7;
  uint32 mask = 8;
  repeated uint32 shifts = 9;   // ring-buffer left shift per receptor
  bytes row_keys = 10;          // uint32 LE: routing key of each synaptic row
  bytes row_start = 11;         // uint32 LE: rows + 1 offsets into words
  bytes words = 12;             // uint32 LE: weight:16 | delay:4 | receptor:4 | neuron:8
  uint32 sram_bytes = 13;
}

// One router's table in match order (first match wins, docs/semantics.md §6).
message ProgramRouter {
  uint32 chip = 1;
  uint32 entries_before = 2;
  bytes keys = 3;               // uint32 LE
  bytes masks = 4;              // uint32 LE
  bytes links = 5;              // uint8: bit l set = chip link l
  bytes core_start = 6;         // uint32 LE: entries + 1 offsets into cores
  bytes cores = 7;              // uint16 LE: PE ids on this chip
}
`;
