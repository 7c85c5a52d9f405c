import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runGolden } from '../../../chips/spinnaker2/golden.js';
import { runChip } from '../../../chips/spinnaker2/run.js';
import { arbNetwork } from './arb-network.js';
import { profileWith } from '../../compiler/helpers.js';
import { REPO } from '../../helpers/shared.js';
import { buildCuba } from '../../../examples/cuba.js';
import { scaleVoltages } from '../../../src/graph/weight-scale.js';
import { buildKernels, expectKernelsEqualGolden, tryCompile } from './helpers.js';

/**
 * The 48-chip board with 3 usable cores per chip and ≤ 5 neurons per core: every population
 * spreads over several cores and chips, so spikes cross chip links through multicast trees.
 */
const spread = profileWith('spinnaker2-48', {
  chip: { usablePesPerChip: { value: 3, unit: 'PE', assumed: 'test: spread over chips' } },
  limits: { maxNeuronsPerCore: { value: 5, unit: 'neuron', assumed: 'test: many slices' } },
  placement: { annealMovesPerSlice: { value: 5, unit: 'move', assumed: 'test' } },
});

function localImports(file: string): string[] {
  const text = readFileSync(join(REPO, 'chips', 'spinnaker2', file), 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*from\s+['"](\.[^'"]+)['"]/g)].map((m) => m[1]!);
}

/** Every file of chips/spinnaker2 a file reaches through relative imports (transitively). */
function reach(file: string, seen = new Set<string>()): Set<string> {
  for (const imp of localImports(file)) {
    if (!imp.startsWith('./')) continue; // ../../src is shared code, allowed
    const f = imp.slice(2).replace(/\.js$/, '.ts');
    if (!seen.has(f)) {
      seen.add(f);
      reach(f, seen);
    }
  }
  return seen;
}

describe('golden model independence', () => {
  it('kernels.ts and golden.ts share no code: neither reaches the other through imports', () => {
    expect(reach('golden.ts').has('kernels.ts')).toBe(false);
    expect(reach('kernels.ts').has('golden.ts')).toBe(false);
    // and golden does not reach the main-thread run path (run.ts imports the kernels)
    expect(reach('golden.ts').has('run.ts')).toBe(false);
    expect(localImports('kernels.ts').length + localImports('golden.ts').length).toBeGreaterThanOrEqual(0);
  });
});

describe('kernels ≡ golden model (bit-exact)', () => {
  beforeAll(() => buildKernels());

  it('random networks and inputs: same spikes, same v codes every step, same synaptic events', async () => {
    let ran = 0;
    let spikesSeen = 0;
    let multiChip = 0;
    await fc.assert(
      fc.asyncProperty(arbNetwork(), fc.integer({ min: 0, max: 1000 }), fc.boolean(), async (g, seed, subtract) => {
        const r = await expectKernelsEqualGolden(g, spread, { seed, subtract, steps: 40 });
        ran++;
        if (r.chips > 1) multiChip++;
        spikesSeen += r.spikes;
      }),
      { numRuns: 12, seed: 20261127, endOnFailure: true },
    );
    expect(ran).toBe(12);
    expect(spikesSeen).toBeGreaterThan(0);
    expect(multiChip).toBeGreaterThan(3); // spikes cross chip links in most samples
  });

  it('CUBA (CurrentLIF, the kernels’ specialised loop): same spikes and v codes as the golden model, under both refractory input rules', async () => {
    const g = scaleVoltages(buildCuba({ n: 150, fanout: 30, seed: 5 }), 1000);
    const steps = 300;
    const trains: string[] = [];
    for (const refractoryInput of ['integrate', 'drop'] as const) {
      // the integrator shapes the decay coefficients, which the program holds: compile with it
      const c = tryCompile(g, spread, { integrator: 'exact', refractoryInput })!;
      const cfg = c.program.config;
      expect(cfg.refractoryInput).toBe(refractoryInput);
      const program = c.program;
      const chip = await runChip(program, spread, { steps, trace: ['P'], workers: 2 });
      const gold = runGolden(c.network, spread, cfg, { steps });
      expect(gold.spikes.get('P')!.steps.length).toBeGreaterThan(20);
      expect(Array.from(chip.spikes.get('P')!.steps)).toEqual(gold.spikes.get('P')!.steps);
      expect(Array.from(chip.spikes.get('P')!.neurons)).toEqual(gold.spikes.get('P')!.neurons);
      const tr = chip.traces.get('P')!;
      const rows = gold.v.get('P')!;
      for (let t = 0; t < steps; t += 7) for (let k = 0; k < 150; k++) expect(Math.round(tr[t * 150 + k]! * 2 ** 15)).toBe(rows[t]![k]);
      trains.push(JSON.stringify([gold.spikes.get('P')!.steps, gold.spikes.get('P')!.neurons]));
    }
    // the rule reaches the chip through the program: recurrent input during refractoriness changes the spikes
    expect(trains[1]).not.toEqual(trains[0]);
  });

  // CurrentLIF last (t_ref 0–10 steps, per neuron or shared), both rules, both loops: the specialised
  // one (the profile's round-half-up arithmetic) and the generic one (floor multiplies)
  const floorArith = profileWith('spinnaker2-48', {
    chip: { usablePesPerChip: { value: 3, unit: 'PE', assumed: 'test: spread over chips' } },
    limits: { maxNeuronsPerCore: { value: 5, unit: 'neuron', assumed: 'test: many slices' } },
    placement: { annealMovesPerSlice: { value: 5, unit: 'move', assumed: 'test' } },
    arithmetic: { multiply: { decay: 'floor', input: 'floor' } },
  });
  for (const [label, profile] of [['specialised loop', spread], ['generic loop', floorArith]] as const)
    it(`CurrentLIF networks, --refractory-input integrate and drop (${label}): kernels ≡ golden`, async () => {
      expect(profile.arithmetic!.multiply.decay).toBe(label === 'generic loop' ? 'floor' : 'nearest-up');
      const seen = { integrate: 0, drop: 0 };
      let spikes = 0;
      await fc.assert(
        fc.asyncProperty(arbNetwork({ lastKinds: ['CurrentLIF'] }), fc.integer({ min: 0, max: 1000 }), fc.boolean(), fc.constantFrom('integrate' as const, 'drop' as const), async (g, seed, subtract, refractoryInput) => {
          const r = await expectKernelsEqualGolden(g, profile, { seed, subtract, steps: 40, refractoryInput });
          seen[refractoryInput]++;
          spikes += r.spikes;
        }),
        { numRuns: 10, seed: 20261202, endOnFailure: true },
      );
      expect(seen.integrate).toBeGreaterThan(0);
      expect(seen.drop).toBeGreaterThan(0);
      expect(spikes).toBeGreaterThan(0);
    });
});
