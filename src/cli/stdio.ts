import { formatDiagnostic } from '../errors.js';
import { fileWriteError } from '../io/file-error.js';

/**
 * A closed stdout or stderr (`neuromesh inspect m.nir --json | head -c 10`: the reader went away)
 * ends quietly: no stack trace and no error line. Writes after the pipe closed are dropped; the
 * command finishes (its files are still written atomically) and exits with its own code. Any other
 * failure of stdout (redirected to a full disk) is one E_WRITE line on stderr and exit 2.
 */

const GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END', 'ECONNRESET']);

function quiet(stream: NodeJS.WriteStream): void {
  let closed = false;
  const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (GONE.has(e.code ?? '')) {
      closed = true;
      return;
    }
    // any other failure (stdout redirected to a full disk): stop writing, say so once on the
    // other stream, and fail (exit 2: the environment is at fault), never a silent exit 0
    closed = true;
    if (!process.exitCode) process.exitCode = 2;
    if (stream === process.stdout) process.stderr.write(`${formatDiagnostic(fileWriteError('<stdout>', e, 'standard output'))}\n`);
  });
  (stream as { write: (...a: unknown[]) => boolean }).write = (...a: unknown[]): boolean => {
    const done = (): void => {
      // a caller waiting for its write callback is not left hanging
      const cb = a[a.length - 1];
      if (typeof cb === 'function') process.nextTick(cb as () => void);
    };
    if (closed) {
      done();
      return true;
    }
    try {
      return write(...a);
    } catch {
      closed = true;
      done();
      return true;
    }
  };
}

/** Make process.stdout and process.stderr end quietly when their reader closes (the CLI entry calls it once). */
export function quietOnClosedPipes(): void {
  quiet(process.stdout);
  quiet(process.stderr);
}
