/**
 * The text of payload.proto, embedded so the schema is found wherever the code runs (the package
 * ships dist/ only). A test fails if this string and payload.proto differ; after editing
 * payload.proto, paste it here unchanged.
 */
export const SPINNAKER2_PAYLOAD_PROTO = `// The spinnaker2 payload of a .nmp program (field 14 of ProgramFile, src/io/proto/program.proto):
// the machine, every core's synaptic matrix, the router tables and the resource summary.
// Bulk arrays are 'bytes' holding little-endian typed arrays (element type in each comment).
syntax = "proto3";

package neuromesh.spinnaker2;

message Payload {
  Machine machine = 1;
  repeated Core cores = 2;
  repeated Router routers = 3;
  // The deterministic resource summary (CompileSummary) as JSON.
  string summary_json = 4;
}

message Machine {
  bytes chips = 1;              // int32 LE: x0, y0, x1, y1, … (index = chip id)
  uint32 cores_per_chip = 2;
  uint32 usable_cores_per_chip = 3;
  uint32 links_per_chip = 4;
  bytes neighbour = 5;          // int32 LE: [chip · links_per_chip + link] = chip id or −1
}

message Core {
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
message Router {
  uint32 chip = 1;
  uint32 entries_before = 2;
  bytes keys = 3;               // uint32 LE
  bytes masks = 4;              // uint32 LE
  bytes links = 5;              // uint8: bit l set = chip link l
  bytes core_start = 6;         // uint32 LE: entries + 1 offsets into cores
  bytes cores = 7;              // uint16 LE: PE ids on this chip
}
`;
