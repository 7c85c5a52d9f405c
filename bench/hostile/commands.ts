/**
 * How each command is called in the corpus: a valid call with a model and an output path, so
 * that a case only has to change the one thing it attacks.
 */
import type { Case, ClassId, Expect, FileSpec, MountSpec } from './case-types.js';

export const COMMANDS = ['inspect', 'convert', 'compile', 'run', 'simulate', 'check'] as const;
export type Command = (typeof COMMANDS)[number];

/** A Poisson input that makes the small model spike. */
export const POISSON = 'poisson:rate=2000,seed=1';

/** A valid call of `cmd` on `model` writing `out` (omitted: no output). */
export function callOf(cmd: Command, model: string, out?: string): string[] {
  const o = out === undefined ? [] : ['-o', out];
  switch (cmd) {
    case 'inspect': return ['inspect', model, '-q', ...o];
    case 'convert': return ['convert', model, out ?? 'x.nir', '-q'];
    case 'compile': return ['compile', model, '--chip', 'spinnaker2', '-q', ...o];
    case 'run': return ['run', model, '--chip', 'spinnaker2', '--steps', '20', '--input', POISSON, '-q', ...o];
    case 'simulate': return ['simulate', model, '--steps', '20', '--input', POISSON, '-q', ...o];
    case 'check': return ['check', model, '--chip', 'spinnaker2', '--runs', '2', '--steps', '20', '-q', ...o];
  }
}

/** The natural output file name of each command. */
export function outName(cmd: Command): string {
  switch (cmd) {
    case 'convert': return 'x.nir';
    case 'compile': return 'x.nmp';
    default: return 'x.json';
  }
}

/** A case builder: fills in defaults so that generators stay short. */
export function mk(
  cls: ClassId, command: string, what: string, args: string[], expect: Expect, files: FileSpec[],
  extra: { mounts?: MountSpec[]; outputs?: string[]; reference?: string; mention?: string[]; timeoutMs?: number } = {},
): Case {
  return { id: `${cls}/${command}/${what}`, cls, command, args, expect, files, ...extra };
}

/** Files: copies of base files under the same names. */
export const copies = (...names: string[]): FileSpec[] => names.map((n) => ({ path: n, copy: n }));

/** Format an integer with thousands separators (how neuromesh prints big counts). */
export const grouped = (n: number | bigint): string => BigInt(n).toLocaleString('en-US');

/** Spellings a message may use for the true value of an integer. */
export function spellings(n: number | bigint | string): string[] {
  if (typeof n === 'string') return [n];
  const b = typeof n === 'bigint' ? n : Number.isSafeInteger(n) ? BigInt(n) : undefined;
  const out = new Set<string>();
  if (b !== undefined) {
    out.add(b.toString());
    out.add(grouped(b));
  }
  if (typeof n === 'number') {
    out.add(String(n));
    out.add(n.toExponential().replace('e+', 'e'));
    out.add(n.toExponential());
  }
  return [...out];
}
