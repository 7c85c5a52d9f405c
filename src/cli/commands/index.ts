import type { Command } from 'commander';

/**
 * Each command lives in its own file and exports `register(program)`. Add new commands here,
 * one line each.
 */
export type Register = (program: Command) => void;

export const COMMANDS: (() => Promise<{ register: Register }>)[] = [
  // e.g. () => import('./inspect.js'),
  () => import('./inspect.js'),
  () => import('./convert.js'),
  () => import('./simulate.js'),
  () => import('./compile.js'),
  () => import('./run.js'),
  () => import('./profiles.js'),
  () => import('./check.js'),
];
