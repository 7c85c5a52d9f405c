/**
 * Worker-thread host of one CLI command (see command-process.ts): imports the CLI's entry module,
 * runs `main(argv)` and posts its exit code; temporary output paths are reported to the main
 * thread as they come and go, so that an interrupt can remove them.
 */
import { resolve } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { observePending } from '../io/pending-files.js';
import type { CommandWorkerData, CommandWorkerMessage } from './command-messages.js';

const data = workerData as CommandWorkerData;
const port = parentPort;
if (!port || !data?.entry) throw new Error('neuromesh command worker started without its data');
const post = (m: CommandWorkerMessage): void => port.postMessage(m);

/**
 * stdout and stderr go to the main thread as messages on the one port, so they keep the order in
 * which they were written (a progress bar's last redraw never lands after the summary) and all
 * arrive before the exit code. Progress bars ask whether the real stderr is a terminal.
 */
function relay(stream: NodeJS.WriteStream, fd: 1 | 2): void {
  const write = (chunk: unknown, encoding?: unknown, done?: unknown): boolean => {
    const cb = typeof encoding === 'function' ? encoding : typeof done === 'function' ? done : undefined;
    const bytes = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Uint8Array.from(chunk) : String(chunk);
    post({ type: 'stdio', fd, data: bytes });
    if (cb) queueMicrotask(() => (cb as (e?: Error | null) => void)(null));
    return true;
  };
  Object.assign(stream, { write });
}
relay(process.stdout, 1);
relay(process.stderr, 2);
if (data.stderrTTY) Object.assign(process.stderr, { isTTY: true, ...(data.columns ? { columns: data.columns } : {}) });
observePending((op, path) => post({ type: 'pending', op, path: resolve(path) }));

const mod = (await import(data.entry)) as { main(argv: string[]): Promise<number> };
const code = await mod.main(data.argv);
post({ type: 'exit', code });
