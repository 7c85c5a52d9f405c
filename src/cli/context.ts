import type { Command } from 'commander';
import { formatDiagnostic, type Diagnostic } from '../errors.js';

/** Options every command shares. */
export interface GlobalOptions {
  debug: boolean;
  verbose: boolean;
  quiet: boolean;
}

/** Where a command writes human-readable text: stdout for results, stderr for progress and warnings. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress bars only then). */
  tty: boolean;
  /** The stream behind err(), for terminal widgets (progress bars); process.stderr by default. */
  errStream?: NodeJS.WritableStream;
}

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  tty: Boolean(process.stderr.isTTY),
  errStream: process.stderr,
};

/** The global options (--debug, --verbose, --quiet) as seen from inside a command's action. */
export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<{ debug?: boolean; verbose?: boolean; quiet?: boolean }>();
  return { debug: Boolean(o.debug), verbose: Boolean(o.verbose), quiet: Boolean(o.quiet) };
}

export function printWarnings(io: CliIO, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) if (d.severity === 'warning') io.err(formatDiagnostic(d));
}
