/** Messages between the CLI's main thread (command-process.ts) and its command worker (command-worker.ts). */

/** What the main thread hands to the command worker. */
export interface CommandWorkerData {
  /** file: URL of a module exporting `main(argv): Promise<number>` (src/cli/main.ts). */
  entry: string;
  argv: string[];
  /** The real stderr is a terminal (a worker's own stdio are pipes to the main thread). */
  stderrTTY: boolean;
  columns?: number;
}

/** Worker → main thread. */
export type CommandWorkerMessage =
  | { type: 'pending'; op: 'add' | 'delete'; path: string }
  | { type: 'stdio'; fd: 1 | 2; data: string | Uint8Array }
  | { type: 'exit'; code: number };

export function isCommandWorkerMessage(m: unknown): m is CommandWorkerMessage {
  const t = (m as { type?: unknown } | null)?.type;
  return t === 'pending' || t === 'stdio' || t === 'exit';
}
