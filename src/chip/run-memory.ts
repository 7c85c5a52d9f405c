/**
 * An up-front estimate of the memory a chip run records, so that a run that cannot fit is refused
 * before anything is allocated (issue 11, item 10; `--memory-budget`). What grows with the steps:
 * the per-tick latency of the report (8 bytes a tick), v traces (steps × neurons: 4-byte codes in
 * the worker, 8-byte values on the main thread, a second copy when voltages are scaled), dense
 * inputs (4 bytes per value, copied into shared memory), and, when a JSON document is written,
 * every one of those numbers as JSON (≈ 160 bytes each while it is being built and written). Spikes are kept in
 * growable buffers sized by the spikes that occur, so they are not part of the estimate.
 */
import { diag, NeuromeshError } from '../errors.js';
import type { StepInput } from '../io/spikes.js';
import type { ChipProgram } from './program.js';

/**
 * Bytes per number of a JSON document while it is built and written (the plain array, one string
 * per number, the joined text, the written buffer): measured, `run --steps 20000000 -o run.json`
 * on one neuron peaks at 3.4 GB against 0.28 GB without the document.
 */
export const JSON_BYTES_PER_NUMBER = 160;

export interface RunMemoryQuery {
  steps: number;
  /** Traced populations (names). */
  trace?: readonly string[];
  inputs?: ReadonlyMap<string, StepInput>;
  /** A JSON document with the per-tick latency and the traces will be written (-o or --json). */
  document?: boolean;
  /** Voltages are scaled (a second copy of every trace). */
  scaled?: boolean;
  /** The float64 reference runs too (--compare): inputs advanced one step are materialised. */
  compare?: boolean;
}

export interface RunMemoryEstimate {
  bytes: number;
  /** What the bytes are for, largest first. */
  parts: { what: string; bytes: number }[];
}

export function estimateRunMemory(program: Pick<ChipProgram, 'populations'>, q: RunMemoryQuery): RunMemoryEstimate {
  const parts: { what: string; bytes: number }[] = [];
  const json = q.document ? JSON_BYTES_PER_NUMBER : 0;
  parts.push({ what: `per-tick latency (${q.steps} ticks)`, bytes: q.steps * (8 + json) });
  let traced = 0;
  for (const name of new Set(q.trace ?? [])) {
    const p = program.populations.find((x) => x.name === name);
    if (p) traced += p.size;
  }
  if (traced) parts.push({ what: `v traces (${q.steps} ticks × ${traced} neuron${traced === 1 ? '' : 's'})`, bytes: q.steps * traced * (4 + 8 + (q.scaled ? 8 : 0) + json) });
  let inputValues = 0;
  for (const inp of q.inputs?.values() ?? []) if (inp.kind === 'dense') inputValues += inp.data.length;
  if (q.compare) for (const inp of q.inputs?.values() ?? []) inputValues += q.steps * inp.size;
  if (inputValues) parts.push({ what: `dense inputs (${inputValues} values)`, bytes: inputValues * 4 });
  parts.sort((a, b) => b.bytes - a.bytes);
  return { bytes: parts.reduce((a, p) => a + p.bytes, 0), parts };
}

/** 1536 → "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toPrecision(3)} ${units[i]}`;
}

/** Refuse (E_MEMORY_BUDGET, exit 2) a run whose estimate exceeds the budget, before it allocates. */
export function checkMemoryBudget(estimate: RunMemoryEstimate, budgetBytes: number): void {
  if (!(estimate.bytes > budgetBytes)) return;
  const top = estimate.parts.filter((p) => p.bytes > 0).slice(0, 2).map((p) => `${p.what}: ${formatBytes(p.bytes)}`).join(', ');
  throw new NeuromeshError([diag('E_MEMORY_BUDGET',
    `the run would need an estimated ${formatBytes(estimate.bytes)} (${top}), more than the memory budget of ${formatBytes(budgetBytes)}`,
    { field: 'memory-budget', hint: 'run fewer --steps, record fewer v traces, or raise --memory-budget (e.g. --memory-budget 16G)' })]);
}
