import { exitCodeOf, type ErrorCode } from './error-codes.js';

export { ERROR_CODES, exitCodeOf, type ErrorCode, type ErrorCodeInfo } from './error-codes.js';

/**
 * Errors are data inside neuromesh: every stage returns Diagnostic[]; only the public boundary
 * (API entry points, the CLI) throws a NeuromeshError wrapping them. docs/semantics.md §7.
 */
export interface Diagnostic {
  /** Stable machine-readable code, e.g. `E_SHAPE_MISMATCH` (the table in error-codes.ts). */
  code: ErrorCode;
  /** One sentence, no trailing period needed; never contains a newline. */
  message: string;
  file?: string;
  node?: string;
  field?: string;
  chip?: string;
  core?: number | string;
  hint?: string;
  /** Defaults to 'error'. Warnings never fail a command. */
  severity?: 'error' | 'warning';
}

/** Exit codes (docs/semantics.md §7): each has one meaning. */
export const ExitCode = {
  ok: 0,
  counterexample: 1,
  /** the input, the options or the environment is at fault */
  badInput: 2,
  /** a bug in neuromesh or a crashed worker */
  runtime: 3,
  /** SIGINT (Ctrl-C) */
  interrupted: 130,
  /** SIGTERM */
  terminated: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The exit code of a set of diagnostics, from the codes' table: an interruption wins, then a bug
 * (3), then bad input (2). Warnings do not count.
 */
export function exitCodeFor(diagnostics: readonly Diagnostic[]): ExitCodeValue {
  const codes = diagnostics.filter(isError).map((d) => exitCodeOf(d.code));
  if (codes.includes(ExitCode.interrupted)) return ExitCode.interrupted;
  if (codes.includes(ExitCode.runtime)) return ExitCode.runtime;
  return ExitCode.badInput;
}

/** The error thrown at the public boundary; its exit code follows from its diagnostics' codes. */
export class NeuromeshError extends Error {
  readonly diagnostics: Diagnostic[];
  readonly exitCode: ExitCodeValue;
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'NeuromeshError';
    this.diagnostics = diagnostics;
    this.exitCode = exitCodeFor(diagnostics);
  }
}

export function diag(code: ErrorCode, message: string, extra: Omit<Diagnostic, 'code' | 'message'> = {}): Diagnostic {
  return { code, message, ...extra };
}

export function isError(d: Diagnostic): boolean {
  return (d.severity ?? 'error') === 'error';
}

/** Throws a NeuromeshError if any diagnostic is an error; returns the warnings otherwise. */
export function throwIfErrors(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.some(isError)) throw new NeuromeshError(diagnostics.filter(isError));
  return diagnostics;
}

/** One line: `error E_CODE file: node 'x' field 'w': message (hint: …)`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where: string[] = [];
  if (d.file) where.push(d.file);
  if (d.chip) where.push(`chip '${d.chip}'`);
  if (d.core !== undefined) where.push(`core ${d.core}`);
  if (d.node) where.push(`node '${d.node}'`);
  if (d.field) where.push(`field '${d.field}'`);
  const loc = where.length ? `${where.join(' ')}: ` : '';
  const hint = d.hint ? ` (hint: ${d.hint})` : '';
  const line = `${d.severity ?? 'error'} ${d.code} ${loc}${d.message}${hint}`;
  return line.replace(/[\r\n]+/g, ' ');
}

/** Turn anything thrown into diagnostics (unknown exceptions become E_INTERNAL, exit 3). */
export function toNeuromeshError(e: unknown): NeuromeshError {
  if (e instanceof NeuromeshError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new NeuromeshError([diag('E_INTERNAL', msg.split('\n')[0] ?? 'internal error', {
    hint: 'this is a bug in neuromesh; rerun with --debug for the stack trace',
  })]);
}
