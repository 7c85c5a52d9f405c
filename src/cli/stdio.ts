/**
 * A closed stdout or stderr (`neuromesh inspect m.nir --json | head -c 10`: the reader went away)
 * ends quietly: no stack trace and no error line. Writes after the pipe closed are dropped; the
 * command finishes (its files are still written atomically) and exits with its own code.
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
    // any other failure of a standard stream: there is nowhere left to report it; stop writing
    closed = true;
    process.exitCode ??= 2;
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
