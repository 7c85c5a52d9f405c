/**
 * Errors are data inside neuromesh: every stage returns Diagnostic[]; only the public boundary
 * (API entry points, the CLI) throws a NeuromeshError wrapping them. semantics.md §7.
 */
export interface Diagnostic {
  /** Stable machine-readable code, e.g. `E_SHAPE_MISMATCH`. */
  code: string;
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

/** Exit codes of semantics.md §7. */
export const ExitCode = {
  ok: 0,
  counterexample: 1,
  badInput: 2,
  runtime: 3,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class NeuromeshError extends Error {
  readonly diagnostics: Diagnostic[];
  readonly exitCode: ExitCodeValue;
  constructor(diagnostics: Diagnostic[], exitCode: ExitCodeValue = ExitCode.badInput) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'NeuromeshError';
    this.diagnostics = diagnostics;
    this.exitCode = exitCode;
  }
}

export function diag(code: string, message: string, extra: Omit<Diagnostic, 'code' | 'message'> = {}): Diagnostic {
  return { code, message, ...extra };
}

export function isError(d: Diagnostic): boolean {
  return (d.severity ?? 'error') === 'error';
}

/** Throws a NeuromeshError if any diagnostic is an error; returns the warnings otherwise. */
export function throwIfErrors(diagnostics: Diagnostic[], exitCode: ExitCodeValue = ExitCode.badInput): Diagnostic[] {
  if (diagnostics.some(isError)) throw new NeuromeshError(diagnostics.filter(isError), exitCode);
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
  })], ExitCode.runtime);
}
