import type { Network } from '../../../src/chip/program.js';
import type { MappingContext } from '../../../src/chip/backend.js';
import { diag, NeuromeshError, type Diagnostic } from '../../../src/errors.js';

/** Per population activity arrays from the options; names and lengths are checked. */
export function activityOf(net: Network, ctx: MappingContext): (Float64Array | undefined)[] | undefined {
  const a = ctx.activity;
  if (!a) return undefined;
  const d: Diagnostic[] = [];
  const out = net.populations.map((p) => {
    const v = a.get(p.name);
    if (v === undefined) return undefined;
    if (typeof v === 'number') return new Float64Array(p.size).fill(v);
    if (v.length !== p.size) {
      d.push(diag('E_BAD_OPTION', `activity has ${v.length} values for ${p.size} neurons`, { node: p.name, field: 'rates', hint: 'give one spike count per neuron (a simulate run\'s counts) or one number' }));
      return undefined;
    }
    const f = Float64Array.from(v);
    if (f.some((x) => !(x >= 0) || !Number.isFinite(x))) d.push(diag('E_BAD_OPTION', 'activity values must be finite and ≥ 0', { node: p.name, field: 'rates' }));
    return f;
  });
  for (const name of a.keys())
    if (!net.populations.some((p) => p.name === name)) ctx.diagnostics.push(diag('W_RATES_UNUSED', 'activity given for a node that is not a population; ignored', { node: name, severity: 'warning' }));
  if (d.length) throw new NeuromeshError(d);
  return out;
}
