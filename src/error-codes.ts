/**
 * Every Diagnostic code neuromesh emits, with its exit code and a one-line meaning: the one table
 * (docs/errors.md is rendered from it by `npm run docs:errors`, and a test keeps the two equal).
 *
 * Exit codes have one meaning each (docs/semantics.md §7): 2 — the input, the options or the
 * environment is at fault (a file, a model, a profile, an option, a path, the disk, a limit or
 * budget, a model that does not fit the chip); 3 — a bug in neuromesh or a crashed worker;
 * 130 — interrupted.
 */
export interface ErrorCodeInfo {
  /** 0 for a warning (never fails a command). */
  readonly exit: 0 | 2 | 3 | 130;
  readonly meaning: string;
}

export const ERROR_CODES = {
  // files and formats
  E_USAGE: { exit: 2, meaning: 'the command line does not parse: an unknown command or option, a missing argument or option value (the line says which)' },
  E_NOT_FOUND: { exit: 2, meaning: 'a file named on the command line or in the API does not exist' },
  E_IS_DIRECTORY: { exit: 2, meaning: 'a path that must be a file is a directory' },
  E_READ: { exit: 2, meaning: 'a file exists but cannot be read (permissions, I/O, not a regular file, or a reader failure on a damaged file)' },
  E_WRITE: { exit: 2, meaning: 'an output cannot be written (read-only file system, permissions, a parent that is a file, full disk); the cause is named and no partial file or directory is left' },
  E_OUTPUT_IS_INPUT: { exit: 2, meaning: 'an output path is a file the command reads (same path, another spelling, a hard link or a symlink, by device and inode); nothing is written and the input is untouched' },
  E_UNKNOWN_FORMAT: { exit: 2, meaning: 'a model file has an extension neuromesh does not read (.nir, .nmg)' },
  E_TOO_LARGE: { exit: 2, meaning: 'a file or a requested output (e.g. recorded traces) exceeds a size limit' },
  E_ABSURD_SIZE: { exit: 2, meaning: 'a file declares a size or shape too large to be genuine; refused before allocating' },
  E_TRUNCATED: { exit: 2, meaning: 'a file is shorter than its own header says' },
  E_CORRUPT: { exit: 2, meaning: 'a protobuf file (.nmg, .nmp) is damaged (checksum) or cannot be decoded' },
  E_VERSION: { exit: 2, meaning: 'a file was written by a version this neuromesh cannot read (newer, missing, or old enough to need recompiling)' },
  E_BAD_VERSION: { exit: 2, meaning: 'a version field is not a version number' },
  E_BAD_JSON: { exit: 2, meaning: 'a JSON file given to neuromesh is not valid JSON' },
  // NIR / HDF5
  E_NOT_HDF5: { exit: 2, meaning: 'a .nir file has no HDF5 signature' },
  E_NOT_NIR: { exit: 2, meaning: 'an HDF5 file does not have the layout of a NIR graph' },
  E_HDF5: { exit: 2, meaning: 'HDF5 reports an error or an unexpected value while reading a dataset' },
  E_HDF5_ABORT: { exit: 2, meaning: 'the HDF5 library aborted on a file (corrupt or hostile)' },
  E_HDF5_TIMEOUT: { exit: 2, meaning: 'reading a file took longer than the watchdog allows (a loop in its structure)' },
  E_BAD_DATASET: { exit: 2, meaning: 'a dataset has no values or an unreadable or wrong shape' },
  E_WRONG_DTYPE: { exit: 2, meaning: 'a dataset or array has the wrong element type' },
  E_WRONG_TYPE: { exit: 2, meaning: 'a field holds the wrong kind of value (e.g. a group where a dataset belongs)' },
  E_NIR_WRITE: { exit: 3, meaning: 'writing a valid graph as NIR failed inside neuromesh (a bug)' },
  // .nmg / .nmp
  E_NOT_NMG: { exit: 2, meaning: 'a file is not a neuromesh graph (.nmg)' },
  E_NOT_NMP: { exit: 2, meaning: 'a file is not a neuromesh program (.nmp)' },
  E_BAD_GRAPH: { exit: 2, meaning: 'a graph cannot be encoded as .nmg' },
  // model content
  E_UNKNOWN_KIND: { exit: 2, meaning: 'a node has a kind neuromesh does not know' },
  E_UNKNOWN_FIELD: { exit: 2, meaning: 'a node has a field its kind does not define' },
  E_MISSING_FIELD: { exit: 2, meaning: 'a node lacks a field its kind requires' },
  E_BAD_FIELD: { exit: 2, meaning: 'a node field has an invalid value' },
  E_BAD_NAME: { exit: 2, meaning: 'a node name is empty or not allowed' },
  E_DUPLICATE_NODE: { exit: 2, meaning: 'two nodes share a name' },
  E_NAME_COLLISION: { exit: 2, meaning: 'two nodes get the same name when subgraphs are flattened' },
  E_NESTING: { exit: 2, meaning: 'subgraphs are nested deeper than the limit' },
  E_AMBIGUOUS_PORT: { exit: 2, meaning: 'an edge names a subgraph that has several input or output ports' },
  E_UNKNOWN_NODE: { exit: 2, meaning: 'an edge, option or record spec names a node that does not exist' },
  E_BAD_EDGE: { exit: 2, meaning: 'an edge is not allowed (e.g. into a source node)' },
  E_UNCONNECTED: { exit: 2, meaning: 'a node needs an input or output edge it does not have' },
  E_STATELESS_CYCLE: { exit: 2, meaning: 'a cycle runs through stateless nodes only, so no step order exists' },
  E_SHAPE_MISMATCH: { exit: 2, meaning: 'the shapes at the two ends of an edge, or of two fields, disagree' },
  E_BAD_SHAPE: { exit: 2, meaning: 'a shape is malformed (negative, non-integer or wrong rank)' },
  E_ZERO_SIZE: { exit: 2, meaning: 'a shape has a zero dimension' },
  E_NOT_FINITE: { exit: 2, meaning: 'a value is NaN or infinite where a finite number is needed' },
  E_NEGATIVE: { exit: 2, meaning: 'a value must be ≥ 0' },
  E_NON_POSITIVE: { exit: 2, meaning: 'a value (e.g. a time constant) must be > 0' },
  E_BAD_VALUE: { exit: 2, meaning: 'an input value is not a spike count (finite, ≥ 0)' },
  E_ASYMMETRIC_PADDING: { exit: 2, meaning: "padding 'same' would need asymmetric padding, which neuromesh does not support" },
  E_BAD_RECEPTOR: { exit: 2, meaning: 'a projection feeds a receptor its target population lacks' },
  E_BAD_CONNECTOR: { exit: 2, meaning: 'a builder connector has invalid arguments' },
  // inputs and options
  E_INPUT: { exit: 2, meaning: 'a spike input is missing, given twice or does not fit its Input node' },
  E_BAD_CSV: { exit: 2, meaning: 'a CSV input file is malformed' },
  E_BAD_NPY: { exit: 2, meaning: 'an NPY file is malformed or has an unsupported dtype' },
  E_INDEX_RANGE: { exit: 2, meaning: 'a spike index is outside its Input node' },
  E_BAD_OPTION: { exit: 2, meaning: 'a command-line or API option has an invalid value, or does not apply' },
  // chips, profiles and mapping
  E_UNKNOWN_CHIP: { exit: 2, meaning: 'a chip profile or chip family name is unknown' },
  E_PROFILE_MISMATCH: { exit: 2, meaning: 'a compiled program is run with a profile of another family, or whose mapping sections (machine, formats, limits, arithmetic, placement) differ' },
  E_PROFILE: { exit: 2, meaning: 'a chip profile is invalid: a missing or malformed field, or a coefficient without its source' },
  E_UNSUPPORTED: { exit: 2, meaning: 'the model or program uses something the chosen chip or command does not support' },
  E_GRADED_VALUE: { exit: 2, meaning: 'a graded (non-spike) value would have to cross the chip, which sends spikes only' },
  E_DELAY_RANGE: { exit: 2, meaning: "a synaptic delay exceeds what the chip can hold" },
  E_CORE_FULL: { exit: 2, meaning: "one neuron's synapses do not fit a core's memory" },
  E_MACHINE_FULL: { exit: 2, meaning: 'the network needs more cores than the chip profile has' },
  E_ROUTER_FULL: { exit: 2, meaning: 'the routing tables do not fit a router, even compressed' },
  E_KEYS_FULL: { exit: 2, meaning: 'the network needs more routing keys than a key can hold' },
  E_UNROUTABLE: { exit: 2, meaning: 'no link path joins two chips of the profile' },
  E_COST: { exit: 2, meaning: 'the profile prices a counter the chip does not report' },
  // runtime
  E_RUNTIME_BUILD: { exit: 2, meaning: 'the compiled JavaScript the workers run is missing: run `npm run build`' },
  E_MEMORY_BUDGET: { exit: 2, meaning: "a run's estimated memory (per-tick records, traces, inputs, the output document) exceeds --memory-budget; refused before allocating" },
  E_RING_OVERFLOW: { exit: 2, meaning: "a worker's packet ring exceeds its byte budget (raise maxRingBytes)" },
  E_RUNTIME_SPEC: { exit: 3, meaning: 'a chip kernel gave the runtime an invalid specification (a bug)' },
  E_KERNEL_MODULE: { exit: 3, meaning: 'a chip kernel module cannot be loaded or lacks its entry point (a bug)' },
  E_KERNEL_ASYNC: { exit: 3, meaning: 'a chip kernel returned a Promise from a tick (a bug)' },
  E_KERNEL_CORE: { exit: 3, meaning: 'a chip kernel addressed a core it does not own (a bug)' },
  E_KERNEL_DEST: { exit: 3, meaning: 'a chip kernel sent a packet to a worker or core that does not exist (a bug)' },
  E_KERNEL_COUNTERS: { exit: 3, meaning: 'chip kernels reported inconsistent counters (a bug)' },
  E_WORKER_FAILED: { exit: 3, meaning: 'a worker thread threw or crashed; the message names the worker, tick and core' },
  E_WORKER_EXIT: { exit: 3, meaning: 'workers stopped before finishing the run' },
  E_WORKER_STALLED: { exit: 3, meaning: 'a worker stopped making progress; the message names it and the tick' },
  E_INTERRUPTED: { exit: 130, meaning: 'the run was interrupted (Ctrl-C or an abort signal); no partial output is left' },
  // neuromesh itself
  E_INVARIANT: { exit: 3, meaning: "a compiler pass broke its invariant (a bug)" },
  E_INTERNAL: { exit: 3, meaning: 'an unexpected internal error (a bug); rerun with --debug for the stack trace' },
  // warnings: reported, never fail a command
  W_EULER_UNSTABLE: { exit: 0, meaning: 'dt exceeds a time constant, so the euler decay factor is negative' },
  W_NO_INPUT: { exit: 0, meaning: 'an Input node was given no input and produces zeros' },
  W_NOTHING_COMPARED: { exit: 0, meaning: 'the model has no spiking population, so check has nothing to compare' },
  W_RATES_UNUSED: { exit: 0, meaning: 'activity was given for a node that is not a population; it is ignored' },
  W_WEIGHT_ZERO: { exit: 0, meaning: 'nonzero weights round to 0 in the chip weight format' },
  W_WEIGHT_SATURATED: { exit: 0, meaning: 'weights exceed the chip weight format and saturate' },
  W_PARAM_ZERO: { exit: 0, meaning: 'nonzero neuron parameters round to 0 in the chip state format' },
  W_THRESHOLD_STEP: { exit: 0, meaning: 'a Threshold node fires one step later on a chip than in the reference (its input crosses one tick of transport)' },
  W_WEIGHT_SCALE: { exit: 0, meaning: 'a --weight-scale given by the user does not fit the chip: the state would saturate on one step of input, or a threshold or weight rounds to 0' },
  W_PARAM_ROUNDING: { exit: 0, meaning: 'a neuron parameter (a decay, a gain, a voltage) is held with a relative rounding error above the profile limit (default 1 %)' },
  W_PARAM_SATURATED: { exit: 0, meaning: 'neuron parameters exceed the chip state format and saturate' },
  W_COEFFICIENT_SATURATED: { exit: 0, meaning: 'decay or gain coefficients exceed the coefficient format and saturate' },
  W_UNROUTED_ROWS: { exit: 0, meaning: 'synaptic rows sit on cores their source never reaches, so they never act' },
  W_PACKETS_DROPPED: { exit: 0, meaning: 'packets reached routers with no matching entry and were dropped' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The exit code of a Diagnostic code; a code this table does not know (a bug) exits 3. */
export function exitCodeOf(code: string): 0 | 2 | 3 | 130 {
  return Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as ErrorCode].exit : 3;
}
