/**
 * neuromesh's public API: `import { network, compile, loadBackend, runOnChip } from 'neuromesh'`.
 *
 * This file and src/cli are the only places that wire src/, compiler/ and the chip registry
 * (chips/index.ts) together (see README.md, "Architecture").
 */

// errors: every failure is a NeuromeshError carrying one-line Diagnostics (docs/errors.md)
export { NeuromeshError, ExitCode, ERROR_CODES, formatDiagnostic, type Diagnostic, type ErrorCode, type ErrorCodeInfo } from './src/errors.js';

// the graph IR and the PyNN-like builder
export type * from './src/graph/graph-types.js';
export { analyze, topoOrder, type ShapeInfo } from './src/graph/graph.js';
export { network, type Network, type NetworkOptions, type NodeHandle, type PopulationView, type ProjectionHandle, type ProjectionOptions, type SpikeSourceParams, type ToGraphOptions } from './src/graph/builder.js';
export { allToAll, fixedProbability, fromList, oneToOne, type Connector } from './src/graph/connectors.js';
export { cubaLI, cubaLIF, currentLIF, ifNeuron, integrator, li, lif, uniformInit, type CurrentLIFParams, type NeuronModel, type SynapticTau } from './src/graph/builder-models.js';
export { scaleVoltages } from './src/graph/weight-scale.js';

// files: NIR (HDF5), .nmg graphs, .nmp programs, spike inputs
export { readNir, readNirBytes, writeNir } from './src/io/nir.js';
export { readNmg, writeNmg } from './src/io/proto/graph-codec.js';
export { readNmp, writeNmp, encodeNmp, decodeNmp } from './chips/index.js';
export { loadModel, loadAnalyzed, saveModel } from './src/io/load.js';
export { parseInputSpecs, type StepInput } from './src/io/spikes.js';

// the float64 reference simulator (docs/semantics.md)
export { simulate, simulateAsync, DEFAULT_CONFIG, type RunConfig, type RunConfigInput, type RunResult, type SimulateOptions } from './src/reference/index.js';

// chips: the registry, profiles and backends
export { CHIPS, builtinProfiles, loadProfile, loadBackend, backendFor, type ChipFamily } from './chips/index.js';
export type { ChipBackend } from './src/chip/backend.js';
export type { ChipProfile } from './src/chip/profile.js';
export type { ChipProgram, Network as LoweredNetwork, Population, Projection } from './src/chip/program.js';
export type { ChipOption, ChipOptionValues, ChipRun, ChipRunOptions, CostRecord, SpikeTrain } from './src/chip/run-record.js';

// compile, run on the emulated chip, cost and report
export { compile, type CompileResult } from './compiler/index.js';
export type { CompileOptions, PassTrace } from './compiler/context.js';
export { runPipeline as runOnChip, type PipelineOptions as RunOnChipOptions, type PipelineResult as RunOnChipResult } from './src/cli/pipeline.js';
export { costMarkdown, runBody, si } from './src/report/index.js';
export { abortActiveRuns } from './src/runtime/index.js';
