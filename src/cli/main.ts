#!/usr/bin/env node
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { Command, CommanderError } from 'commander';
import { guardOutput, stopTrackingInputs, trackInputs } from '../io/output-guard.js';
import { diag, ExitCode, formatDiagnostic, NeuromeshError, toNeuromeshError } from '../errors.js';
import type { ErrorCode } from '../error-codes.js';
import { runCommandInWorker } from './command-process.js';
import { COMMANDS, type Register } from './commands/index.js';
import { stopAllProgress } from './progress.js';
import { quietOnClosedPipes } from './stdio.js';

const USAGE: ErrorCode = 'E_USAGE';

/** commander's usage error as the one line every error is: `error E_USAGE <message> (hint: …)`. */
function usageLine(text: string): string {
  const message = text.replace(/\s*[\r\n]+\s*/g, ' ').trim().replace(/^error:\s*/i, '');
  return `error ${USAGE} ${message} (hint: run with --help for usage)`;
}

/** neuromesh's version from the nearest package.json above this file (src/cli or dist/src/cli). */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (!existsSync(p)) continue;
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'neuromesh' && pkg.version) return pkg.version;
    } catch {
      /* not ours */
    }
  }
  return 'unknown';
}

/** Stack of an error and of its `cause` chain (printed only with --debug). */
function stacks(e: unknown): string {
  const out: string[] = [];
  const seen = new Set<unknown>();
  for (let cur: unknown = e; cur instanceof Error && !seen.has(cur); cur = (cur as { cause?: unknown }).cause) {
    seen.add(cur);
    out.push(`${out.length ? 'caused by: ' : ''}${cur.stack ?? String(cur)}`);
  }
  return out.join('\n');
}

/**
 * A value option that takes one value (no collector) given twice with different values is an
 * error, not "the last one wins" (`--steps 10 --steps 20` would otherwise run 20 steps silently).
 */
function refuseRepeatedValues(root: Command): void {
  const walk = (cmd: Command): void => {
    const seen = new Map<string, string>();
    for (const o of cmd.options) {
      if (!(o.required || o.optional) || o.parseArg) continue;
      const name = o.name();
      cmd.on(`option:${name}`, (v: unknown) => {
        const value = String(v);
        const first = seen.get(name);
        if (first !== undefined && first !== value)
          throw new NeuromeshError([diag('E_BAD_OPTION', `--${name} is given twice ('${first}' and '${value}'); it takes one value`, { field: name, hint: `give --${name} once` })]);
        seen.set(name, value);
      });
    }
    for (const sub of cmd.commands) walk(sub);
  };
  walk(root);
}

/** The `neuromesh` command: wires src/, compiler/ and chips/ together (the only place that may). */
export async function main(argv: string[], commands: (() => Promise<{ register: Register }>)[] = COMMANDS): Promise<number> {
  const program = new Command();
  program
    .name('neuromesh')
    .description('Compile spiking neural networks onto emulated neuromorphic chips and report what they would cost.')
    .version(packageVersion(), '-V, --version', 'print the neuromesh version')
    .option('--debug', 'print stack traces of internal errors')
    .option('-v, --verbose', 'print per-stage timings and details')
    .option('-q, --quiet', 'no progress bars or notes on stderr')
    // a usage error is ONE line: commander's message with the hint on the same line
    .configureOutput({ outputError: (text, write) => write(`${usageLine(text)}\n`) })
    .addHelpText('after', `
Exit codes: 0 ok, 1 a check found a counterexample, 2 bad input/options/environment, 3 a bug in
neuromesh or a crashed worker, 130/143 interrupted. Step semantics, options, input formats and
outputs: docs/semantics.md; every error code: docs/errors.md (both in the neuromesh package).`)
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();
  for (const load of commands) (await load()).register(program);
  refuseRepeatedValues(program);
  // every file the command reads is recorded, so that no output can overwrite one (io/output-guard.ts);
  // `-o ''` names no file: a usage error, never an exit 0 that wrote nothing
  program.hook('preAction', (_top, action) => {
    trackInputs();
    const output = action.opts<{ output?: unknown }>().output;
    if (typeof output === 'string') guardOutput(output, { writable: true });
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; usage errors are bad input (exit 2)
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    }
    stopAllProgress();
    const err = toNeuromeshError(e);
    for (const d of err.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (program.opts<{ debug?: boolean }>().debug && e instanceof Error) process.stderr.write(`${stacks(e)}\n`);
    return err.exitCode;
  } finally {
    // the files of this command are no one's inputs afterwards (in-process callers, tests)
    stopTrackingInputs();
  }
}

function isEntry(): boolean {
  try {
    return process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
}
if (isMainThread && isEntry()) {
  // a closed stdout (| head) ends quietly; the real stdout is this thread's
  quietOnClosedPipes();
  // the command runs in a worker thread; this thread handles SIGINT/SIGTERM (exit 130/143, no partial output)
  runCommandInWorker(import.meta.url, process.argv.slice(2));
}
