import { intakeInt } from '../src/number-intake.js';
/**
 * Sparse linear maps used while composing chains of stateless nodes into one projection.
 * A SparseRows is row-major: row r (an element of the signal) is Σ over its entries of
 * val · (source neuron col, delayed by delay steps).
 */
export interface SparseRows {
  rows: number;
  cols: number;
  rowPtr: Uint32Array;
  col: Uint32Array;
  val: Float64Array;
  /** Per entry delay in steps (absent: all 0). */
  delay?: Uint32Array;
}

export function identity(n: number): SparseRows {
  const rowPtr = new Uint32Array(n + 1);
  const col = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    rowPtr[i + 1] = i + 1;
    col[i] = i;
  }
  return { rows: n, cols: n, rowPtr, col, val: new Float64Array(n).fill(1) };
}

/**
 * Apply a linear operator given by its contributions: for output row r, `each(r, emit)` calls
 * emit(inRow, coef) for every input row feeding it. Entries that sum to exactly 0 are dropped
 * (they are not synapses). `addDelay` (per output row) shifts the delays of that row.
 */
export function applyOp(
  x: SparseRows, outRows: number, each: (r: number, emit: (inRow: number, coef: number, delay?: number) => void) => void, addDelay?: (r: number) => number, emitsDelays = false,
): SparseRows {
  const hasDelay = x.delay !== undefined || addDelay !== undefined || emitsDelays;
  const rowPtr = new Uint32Array(outRows + 1);
  let col: number[] = [];
  let val: number[] = [];
  let del: number[] = [];
  const dense = new Float64Array(hasDelay ? 0 : x.cols);
  const mark = new Int32Array(hasDelay ? 0 : x.cols).fill(-1);
  const touched: number[] = [];
  const map = new Map<number, number>();
  for (let r = 0; r < outRows; r++) {
    const extra = addDelay ? addDelay(r) : 0;
    touched.length = 0;
    map.clear();
    each(r, (inRow, coef, synDelay = 0) => {
      if (coef === 0) return;
      for (let e = x.rowPtr[inRow]!; e < x.rowPtr[inRow + 1]!; e++) {
        const c = x.col[e]!;
        const v = coef * x.val[e]!;
        if (hasDelay) {
          const k = delaySum((x.delay ? x.delay[e]! : 0) + extra + synDelay) * x.cols + c;
          if (!Number.isSafeInteger(k)) delaySum(Infinity);
          map.set(k, (map.get(k) ?? 0) + v);
        } else if (mark[c] !== r) {
          mark[c] = r;
          dense[c] = v;
          touched.push(c);
        } else dense[c]! += v;
      }
    });
    if (hasDelay) {
      const keys = [...map.keys()].sort((a, b) => a - b);
      for (const k of keys) {
        const v = map.get(k)!;
        if (v === 0) continue;
        col.push(k % x.cols);
        del.push(Math.floor(k / x.cols));
        val.push(v);
      }
    } else {
      touched.sort((a, b) => a - b);
      for (const c of touched) {
        if (dense[c] === 0) continue;
        col.push(c);
        val.push(dense[c]!);
      }
    }
    rowPtr[r + 1] = col.length;
  }
  const out: SparseRows = { rows: outRows, cols: x.cols, rowPtr, col: Uint32Array.from(col), val: Float64Array.from(val) };
  if (hasDelay) out.delay = Uint32Array.from(del);
  col = val = del = [];
  return out;
}

/**
 * A composed delay (a chain's delays added up, plus a back edge's lag), refused when the 32-bit
 * delay fields cannot hold it (never wrapped: 2^32 + 5 steps is not 5).
 */
export function delaySum(steps: number, node?: string): number {
  return intakeInt(steps, {
    what: 'a composed delay of', unit: 'steps', target: 'uint32', code: 'E_DELAY_RANGE',
    where: { ...(node ? { node } : {}), field: 'delay', hint: 'shorten the delays of the chain or use a larger dt' },
  });
}

/** The same map with every entry delayed by `by` more steps. */
export function delayed(x: SparseRows, by: number): SparseRows {
  const delay = new Uint32Array(x.col.length);
  for (let e = 0; e < delay.length; e++) delay[e] = delaySum((x.delay ? x.delay[e]! : 0) + by);
  return { ...x, delay };
}

/** Sum of maps with the same rows and cols (entries concatenated per row, merged). */
export function addRows(a: SparseRows, b: SparseRows): SparseRows {
  // concatenate as a 2×rows operator over stacked inputs
  const stacked: SparseRows = {
    rows: a.rows * 2,
    cols: a.cols,
    rowPtr: new Uint32Array(a.rows * 2 + 1),
    col: new Uint32Array(a.col.length + b.col.length),
    val: new Float64Array(a.val.length + b.val.length),
  };
  if (a.delay || b.delay) stacked.delay = new Uint32Array(a.col.length + b.col.length);
  let k = 0;
  for (let r = 0; r < a.rows * 2; r++) {
    const src = r < a.rows ? a : b;
    const rr = r < a.rows ? r : r - a.rows;
    for (let e = src.rowPtr[rr]!; e < src.rowPtr[rr + 1]!; e++, k++) {
      stacked.col[k] = src.col[e]!;
      stacked.val[k] = src.val[e]!;
      if (stacked.delay) stacked.delay[k] = src.delay ? src.delay[e]! : 0;
    }
    stacked.rowPtr[r + 1] = k;
  }
  return applyOp(stacked, a.rows, (r, emit) => {
    emit(r, 1);
    emit(r + a.rows, 1);
  });
}

/** Pre-major CSR (what a Projection stores) from post-major rows. */
export function toPreMajor(x: SparseRows): { indptr: Uint32Array; target: Uint32Array; weight: Float64Array; delay?: Uint32Array } {
  const nnz = x.col.length;
  const indptr = new Uint32Array(x.cols + 1);
  for (let e = 0; e < nnz; e++) indptr[x.col[e]! + 1]!++;
  for (let c = 0; c < x.cols; c++) indptr[c + 1]! += indptr[c]!;
  const fill = indptr.slice(0, x.cols);
  const target = new Uint32Array(nnz);
  const weight = new Float64Array(nnz);
  const delay = x.delay ? new Uint32Array(nnz) : undefined;
  for (let r = 0; r < x.rows; r++)
    for (let e = x.rowPtr[r]!; e < x.rowPtr[r + 1]!; e++) {
      const s = fill[x.col[e]!]!++;
      target[s] = r;
      weight[s] = x.val[e]!;
      if (delay) delay[s] = x.delay![e]!;
    }
  return delay ? { indptr, target, weight, delay } : { indptr, target, weight };
}
