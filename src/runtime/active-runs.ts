/**
 * Runs in progress in this process, so that a Ctrl-C handler can stop every worker:
 * `process.on('SIGINT', () => { abortActiveRuns('interrupted'); … exit 130 })`.
 */
export interface Abortable {
  abort(reason?: string): void;
}

const active = new Set<Abortable>();

export function trackRun(run: Abortable): () => void {
  active.add(run);
  return () => active.delete(run);
}

/** Abort every run in progress; returns how many there were. */
export function abortActiveRuns(reason = 'interrupted'): number {
  const runs = [...active];
  for (const r of runs) r.abort(reason);
  return runs.length;
}
