/**
 * The CLI's one place for signals. A command runs in a worker thread (command-worker.ts) and the
 * main thread only waits for it, so a signal is seen at once even while the command is deep in
 * synchronous work (compile passes, the golden model, encoding a big model): on SIGINT or SIGTERM
 * the worker is terminated (V8 stops it between any two instructions, and its runtime workers
 * with it), the temporary files of outputs being written are removed, and the process exits 130
 * or 143 (docs/semantics.md §7), within a fraction of a second and with no output file left.
 */
import { Worker } from 'node:worker_threads';
import { ExitCode, formatDiagnostic, toNeuromeshError } from '../errors.js';
import { removePending } from '../io/pending-files.js';
import { isCommandWorkerMessage, type CommandWorkerData } from './command-messages.js';

/** Longest wait for the worker to stop after a signal before exiting anyway (ms). */
const STOP_GRACE_MS = 300;


/**
 * Run `main(argv)` of the module at `entry` in a worker thread and exit with its code; SIGINT and
 * SIGTERM stop it (exit 130 / 143) and remove partial outputs.
 */
export function runCommandInWorker(entry: string, argv: string[]): void {
  const pending = new Set<string>();
  let code: number | undefined;
  let stopping = false;
  const data: CommandWorkerData = {
    entry, argv, stderrTTY: Boolean(process.stderr.isTTY),
    ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
  };
  const worker = new Worker(new URL('./command-worker.js', import.meta.url), { workerData: data, stdout: true, stderr: true });
  // the worker's own streams are unused (its writes come as messages, in order); drain them anyway
  worker.stdout.pipe(process.stdout, { end: false });
  worker.stderr.pipe(process.stderr, { end: false });
  worker.on('message', (m: unknown) => {
    if (!isCommandWorkerMessage(m)) return;
    if (m.type === 'stdio') (m.fd === 1 ? process.stdout : process.stderr).write(m.data);
    else if (m.type === 'exit') code = m.code;
    else if (m.op === 'add') pending.add(m.path);
    else pending.delete(m.path);
  });
  worker.on('error', (e: unknown) => {
    if (stopping) return;
    process.stderr.write(`${formatDiagnostic(toNeuromeshError(e).diagnostics[0]!)}\n`);
    code = ExitCode.runtime;
  });
  const stop = (what: string, exit: number) => (): void => {
    if (stopping) return;
    stopping = true;
    const finish = (): void => {
      removePending(pending);
      // a progress bar may have hidden the cursor and left a partial line
      process.stderr.write(`${data.stderrTTY ? '\r\x1b[K\x1b[?25h' : ''}${what}\n`);
      process.exit(exit);
    };
    const timer = setTimeout(finish, STOP_GRACE_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      finish();
    });
    void worker.terminate();
  };
  const onInt = stop('interrupted', ExitCode.interrupted);
  const onTerm = stop('terminated', ExitCode.terminated);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  worker.on('exit', (c: number) => {
    if (stopping) return;
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onTerm);
    // the worker exits without an exit message only if it died (out of memory, a native crash)
    if (code === undefined) {
      process.stderr.write(`${formatDiagnostic(toNeuromeshError(new Error(`the command's thread stopped with code ${c} before finishing`)).diagnostics[0]!)}\n`);
      code = ExitCode.runtime;
    }
    // a failed stdout (stdio.ts) has already set exit 2
    if (!process.exitCode) process.exitCode = code;
  });
}
