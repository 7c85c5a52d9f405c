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

// the worker's stdio are pipes to the main thread: progress bars ask whether the real one is a terminal
if (data.stderrTTY) Object.assign(process.stderr, { isTTY: true, ...(data.columns ? { columns: data.columns } : {}) });
observePending((op, path) => post({ type: 'pending', op, path: resolve(path) }));

const mod = (await import(data.entry)) as { main(argv: string[]): Promise<number> };
const code = await mod.main(data.argv);
post({ type: 'exit', code });
