export { DEFAULT_CONFIG, INTEGRATION, MAX_STEPS, configDoc, decay, resolveConfig, type ConfigDoc, type RunConfig, type RunConfigInput } from './config.js';
export { parseRecordSpecs, type RecordSpec, type TraceRequest } from './record.js';
export { MAX_TRACE_VALUES, Simulation, simulate, simulateAsync, type RunResult, type SimulateOptions, type TraceData } from './simulate.js';
export { SIMULATE_SCHEMA_VERSION, simulateBody, simulateConfig, type SimulateBody } from './result-doc.js';
