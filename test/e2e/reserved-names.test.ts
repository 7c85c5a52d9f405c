/**
 * Node names are the user's: 'constructor' and '__proto__' are names like any other. They must
 * compile, run and appear in JSON outputs, and a cap or option naming them must act on them (or
 * be refused), never reach Object.prototype.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESERVED_NAMES } from '../arbitraries/draw.js';
import { saveModel } from '../../src/io/load.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, runCli } from './cli.js';
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
    expect([...caps.keys()].sort()).toEqual(['__proto__', 'constructor']);
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

describe('reserved-looking population names through the CLI', () => {
  const NAMES = ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty'] as const;
  let dir = '';
  beforeAll(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'neuromesh-names-'));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function model(file: string, input: string, pop: string): Promise<string> {
    const net = network({ name: 'names' });
    net.projection(net.input(input, 3), net.population(pop, 4, lif({ tau: 5e-3, v_threshold: 0.05 })), allToAll(), { weight: 0.2 });
    const path = join(dir, file);
    await saveModel(net.toGraph({ dt: 1e-4 }), path);
    return path;
  }

  it.each(NAMES)("a population named '%s' compiles, runs, takes a cap and appears in the run document", async (name) => {
    const input = name === 'valueOf' ? 'toString' : 'valueOf';
    const m = await model(`${name}.nmg`, input, name);
    const nmp = join(dir, `${name}.nmp`);
    const c = await runCli(['compile', m, '--chip', 'spinnaker2', '--max-neurons-per-core', `${name}=2`, '-o', nmp, '--quiet']);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    const r = await runCli(['run', nmp, '--chip', 'spinnaker2', '--input', `${input}=poisson:rate=800,seed=1`, '--steps', '50', '--json', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { counts: Record<string, number[]>; energy: { byNode: Record<string, unknown> } };
    expect(Object.hasOwn(doc.counts, name)).toBe(true);
    // the energy per node is a number under its own key (a plain-object sum once made 'function Object() …0.1')
    expect(Object.hasOwn(doc.energy.byNode, name)).toBe(true);
    expect(typeof Object.getOwnPropertyDescriptor(doc.energy.byNode, name)!.value).toBe('number');
    expect(Object.getOwnPropertyDescriptor(doc.counts, name)!.value).toHaveLength(4);
    const cmp = await runCli(['run', m, '--chip', 'spinnaker2', '--input', `${input}=poisson:rate=800,seed=1`, '--steps', '50', '--compare']);
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toMatch(new RegExp(`${name}: \\d+ spikes \\(reference \\d+`));
  }, 60_000);

  it.each(NAMES)("--max-neurons-per-core %s=4 names no population of a model without one: E_UNKNOWN_NODE, exit 2", async (name) => {
    const m = await model(`plain-${name}.nmg`, 'in', 'pop');
    const r = await runCli(['compile', m, '--chip', 'spinnaker2', '--max-neurons-per-core', `${name}=4`, '-o', join(dir, `plain-${name}.nmp`)]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('E_UNKNOWN_NODE');
    expect(r.stderr).toContain(`'${name}'`);
  }, 60_000);
});

describe('reserved-looking names (property)', () => {
  it('any two distinct names, reserved or not, compile with a per-population cap that acts on the named population only', () => {
    const name = fc.oneof(fc.constantFrom(...RESERVED_NAMES), fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && !/[=,:[\]()/\\]/.test(s) && s !== '*'));
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 2, maxLength: 2 }), fc.integer({ min: 1, max: 6 }), ([a, b], cap) => {
        const g = graphWith([a!, b!]);
        const { program } = compile(g, spinnaker2Backend(loadProfile('spinnaker2')), { seed: 0, maxNeuronsPerCore: new Map([[b!, cap]]) });
        const pop = program.populations.find((p) => p.name === b)!;
        const sizes = program.payload.cores.filter((c) => c.pop === pop.index).map((c) => c.hi - c.lo);
        expect(sizes.reduce((x, y) => x + y, 0)).toBe(6);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(cap);
      }),
      { numRuns: 25, seed: 11 },
    );
  });
});
