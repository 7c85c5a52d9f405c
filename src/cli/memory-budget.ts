/** `--memory-budget <size>`: the most memory a run may plan to record (default: half of physical memory). */
import { totalmem } from 'node:os';
import { diag, NeuromeshError } from '../errors.js';

const UNITS = new Map<string, number>([['', 1], ['b', 1], ['k', 2 ** 10], ['m', 2 ** 20], ['g', 2 ** 30], ['t', 2 ** 40]]);

/** The default budget: half of the machine's physical memory (bytes). */
export function defaultMemoryBudget(): number {
  return Math.floor(totalmem() / 2);
}

/** "512M", "4G", "1.5g", "2GiB", "1000000" (bytes) → bytes; K, M, G, T are powers of 1024. */
export function parseMemoryBudget(v: string | undefined): number {
  if (v === undefined) return defaultMemoryBudget();
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(v);
  const bytes = m ? Number(m[1]) * UNITS.get(m[2]!.toLowerCase())! : Number.NaN;
  if (!(Number.isFinite(bytes) && bytes >= 1))
    throw new NeuromeshError([diag('E_BAD_OPTION', `--memory-budget ${JSON.stringify(v)} is not a size`, { field: 'memory-budget', hint: 'give bytes or a size with K, M, G or T (powers of 1024), e.g. --memory-budget 512M or 4G' })]);
  return Math.floor(bytes);
}
