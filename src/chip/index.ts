export * from './number-format.js';
export * from './profile.js';
export * from './program.js';
export * from './backend.js';
