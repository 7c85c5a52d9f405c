import { checkFinite, checkInt } from '../number-intake.js';
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
    if (m[1] === 'count') {
      const c = checkInt(m[2], { what: '--tolerance count=', min: 0, max: 2 ** 31 - 1, where: { field: 'tolerance', hint: 'a whole number of spikes, e.g. --tolerance count=1' } });
      if (typeof c !== 'number') throw new NeuromeshError([c]);
      t.count = c;
    } else {
      const r = checkFinite(m[2], { what: '--tolerance rel=', min: 0, max: 1e6, where: { field: 'tolerance', hint: 'a fraction of the larger count, e.g. --tolerance rel=0.1' } });
      if (typeof r !== 'number') throw new NeuromeshError([r]);
      t.rel = r;
    }
  }
  return t;
}

export function formatTolerance(t: Tolerance): string {
  return `|Δspikes| ≤ ${t.count}${t.rel ? ` + ${t.rel}·max(chip, reference)` : ''} per neuron`;
}
