/**
 * `--stall-timeout <seconds>` of the commands that run a chip (run, check). Default: the stall
 * watchdog is on, and a worker that spends longer than max(10 s, 100 × the median tick so far)
 * in one tick ends the run (E_WORKER_STALLED, exit 3). A positive number of seconds is a fixed
 * limit instead; 0 turns the watchdog off.
 */
import type { StallLimit } from '../chip/run-record.js';
import { diag, NeuromeshError } from '../errors.js';
import { decimalNumber } from '../number-intake.js';
import { DEFAULT_STALL_FACTOR } from '../runtime/stall-watchdog.js';

export const DEFAULT_STALL_FLOOR_MS = 10_000;
export { DEFAULT_STALL_FACTOR };

export const STALL_TIMEOUT_HELP = 'end the run (exit 3) when a worker spends longer than this many seconds in one tick; 0 = never (default: the larger of 10 s and 100 × the median tick so far)';

/** The default floor; tests may lower it with NEUROMESH_TEST_STALL_FLOOR_MS (a positive integer). */
function defaultFloorMs(): number {
  const v = process.env.NEUROMESH_TEST_STALL_FLOOR_MS;
  return v && /^[1-9]\d{0,8}$/.test(v) ? Number(v) : DEFAULT_STALL_FLOOR_MS;
}

/** The watchdog limit for `--stall-timeout` (undefined: off). */
export function parseStallTimeout(v: string | undefined): StallLimit | undefined {
  if (v === undefined) return { floorMs: defaultFloorMs(), factor: DEFAULT_STALL_FACTOR };
  const n = decimalNumber(v);
  if (!(Number.isFinite(n) && n >= 0))
    throw new NeuromeshError([diag('E_BAD_OPTION', `--stall-timeout ${JSON.stringify(v)} must be a number of seconds ≥ 0`, { field: 'stall-timeout', hint: 'e.g. --stall-timeout 60, or 0 to turn the stall watchdog off' })]);
  if (n === 0) return undefined;
  return { floorMs: Math.max(1, n * 1000), factor: 0 };
}
