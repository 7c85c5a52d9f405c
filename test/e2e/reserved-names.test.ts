/**
 * Node names are the user's: 'constructor' and '__proto__' are names like any other. They must
 * compile, run and appear in JSON outputs, and a cap or option naming them must act on them (or
 * be refused), never reach Object.prototype.
 */
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../chips/index.js';
import { spinnaker2Backend } from '../../chips/spinnaker2/backend.js';
import { compile } from '../../compiler/index.js';
import { parseCaps } from '../../chips/spinnaker2/contract.js';
import { network } from '../../src/graph/builder.js';
import { lif } from '../../src/graph/builder-models.js';
import { allToAll } from '../../src/graph/connectors.js';
import { simulate, simulateBody } from '../../src/reference/index.js';
import { serializeDoc } from '../../src/cli/json.js';

function graphWith(names: [string, string]) {
  const net = network({ name: 'names' });
  const src = net.spikeSource(names[0], 4, { rate: 500, seed: 2 });
  const pop = net.population(names[1], 6, lif({ tau: 5e-3, v_threshold: 0.05 }));
  net.projection(src, pop, allToAll(), { weight: 0.2 });
  return net.toGraph({ dt: 1e-4 });
}

describe('reserved-looking node names', () => {
  it("'constructor' and '__proto__' compile with a per-population cap that acts on them", () => {
    const g = graphWith(['__proto__', 'constructor']);
    const caps = parseCaps(['constructor=2', '__proto__=3']);
    expect(Object.keys(caps).sort()).toEqual(['__proto__', 'constructor']);
    const { program } = compile(g, spinnaker2Backend(loadProfile('spinnaker2')), { seed: 0, maxNeuronsPerCore: caps });
    const pop = program.populations.find((p) => p.name === 'constructor')!;
    expect(program.payload.cores.filter((c) => c.pop === pop.index).map((c) => c.hi - c.lo)).toEqual([2, 2, 2]);
  });

  it('appear as own keys in a simulate document', () => {
    const g = graphWith(['__proto__', 'constructor']);
    const r = simulate(g, { steps: 100, inputs: new Map() });
    const doc = JSON.parse(serializeDoc({ schema: 'neuromesh/simulate@1', config: {}, ...simulateBody(r) })) as { spikes: Record<string, unknown>; counts: Record<string, number[]> };
    expect(Object.hasOwn(doc.counts, 'constructor')).toBe(true);
    expect(Object.hasOwn(doc.counts, '__proto__')).toBe(true);
    expect(doc.counts['constructor']!.length).toBe(6);
  });
});
