import cliProgress from 'cli-progress';
import type { CliIO } from './context.js';

/** A progress indicator for long stages (simulate, compile, run). */
export interface Progress {
  /** Advance by n (default 1). */
  tick(n?: number): void;
  /** Set the absolute number of units done. */
  update(done: number): void;
  /** Remove the bar and restore the cursor; safe to call twice. */
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  /** --quiet: never draw. */
  quiet?: boolean;
}

const NOOP: Progress = { tick() {}, update() {}, stop() {} };

/** Bars currently drawn, so that an interrupt can restore the terminal (see stopAllProgress). */
const active = new Set<Progress>();

/**
 * A cli-progress bar on stderr when stderr is a terminal and not --quiet; a no-op otherwise, so
 * piped or redirected output never receives control sequences. The bar is cleared when stopped.
 */
export function createProgress(io: CliIO, opts: ProgressOptions): Progress {
  const stream = io.errStream;
  if (!io.tty || opts.quiet || !stream || !(opts.total > 0)) return NOOP;
  const label = opts.label.replace(/[{}\r\n]/g, '');
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      stopOnComplete: false,
      etaBuffer: 50,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  let stopped = false;
  bar.start(opts.total, 0);
  const p: Progress = {
    tick(n = 1) {
      if (stopped) return;
      done = Math.min(opts.total, done + n);
      bar.update(done);
    },
    update(value) {
      if (stopped) return;
      done = Math.max(0, Math.min(opts.total, value));
      bar.update(done);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      active.delete(p);
      bar.stop();
    },
  };
  active.add(p);
  return p;
}

/** Stop every bar in progress (the CLI calls it on SIGINT and before printing an error). */
export function stopAllProgress(): void {
  for (const p of [...active]) p.stop();
}
