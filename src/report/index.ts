export * from './run-report.js';
export * from './markdown.js';
