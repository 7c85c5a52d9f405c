export * from './types.js';
export * from './compare.js';
export * from './stimulus.js';
export * from './run-check.js';
export * from './tolerance.js';
export * from './property.js';
export * from './first-divergence.js';
export * from './explain.js';
