import { diag, NeuromeshError } from '../errors.js';
import { DEFAULT_TOLERANCE, type Tolerance } from './types.js';

/**
 * `--tolerance` forms: `count=K` (absolute spikes per neuron), `rel=R` (fraction of the larger
 * count), both comma-separated (`count=1,rel=0.1`, the default), or `exact` (count=0,rel=0).
 */
export function parseTolerance(s: string | undefined): Tolerance {
  if (s === undefined) return { ...DEFAULT_TOLERANCE };
  if (s.trim() === 'exact') return { count: 0, rel: 0 };
  const t: Tolerance = { ...DEFAULT_TOLERANCE };
  for (const part of s.split(',')) {
    const m = /^\s*(count|rel)\s*=\s*([0-9]*\.?[0-9]+(?:e-?\d+)?)\s*$/.exec(part);
    if (!m) throw new NeuromeshError([diag('E_BAD_OPTION', `--tolerance ${s}: '${part}' is not count=K or rel=R`, { field: 'tolerance', hint: 'e.g. --tolerance count=1,rel=0.1 or --tolerance exact' })]);
    const v = Number(m[2]);
    if (m[1] === 'count') {
      if (!Number.isInteger(v)) throw new NeuromeshError([diag('E_BAD_OPTION', `--tolerance count=${m[2]} must be a whole number of spikes`, { field: 'tolerance' })]);
      t.count = v;
    } else t.rel = v;
  }
  return t;
}

export function formatTolerance(t: Tolerance): string {
  return `|Δspikes| ≤ ${t.count}${t.rel ? ` + ${t.rel}·max(chip, reference)` : ''} per neuron`;
}
