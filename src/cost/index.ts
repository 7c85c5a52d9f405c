export * from './model.js';
export * from './energy.js';
export * from './latency.js';
export * from './metrics.js';
export * from './per-count.js';
