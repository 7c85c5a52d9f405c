export * from './graph.js';
export * from './tensor.js';
export * from './spec.js';
export { PRIMITIVES, NIR_KINDS, OWN_KINDS, specOf, isFlatKind } from './registry.js';
export { flattenGraph, MAX_NESTING } from './flatten.js';
