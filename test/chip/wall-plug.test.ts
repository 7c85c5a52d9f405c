import { describe, expect, it } from 'vitest';
import { estimateEnergy, perCount, perUnitPower, type CostModel } from '../../src/cost/index.js';

/** CostRecord energy: a chip may declare a wall-plug factor (SFQ: the cryocooler); it never enters totalJ. */
const ref = (name: string, value: number, unit: string) => ({ name, value, unit, provenance: 'assumed' as const, note: 'test' });
const table = { names: ['events'], values: Float64Array.from([3, 5]), cores: [{ label: 'u0', node: 'a' }, { label: 'u1', node: 'b' }] };
const base: CostModel = {
  energyModel: 'per-event', active: [perCount('cells', 'events', ref('energy.event', 2e-12, 'J'))],
  static: [perUnitPower('idle', ref('chip.idle', 1e-3, 'W'), 2)], tickPeriodS: 1e-3, dt: 1e-3, timeScaleFactor: 1,
};

describe('wall-plug energy', () => {
  it('absent unless declared; declared: wallPlugJ = totalJ × factor, the factor listed with the coefficients', () => {
    const plain = estimateEnergy(base, table, 10);
    expect(plain.wallPlugJ).toBeUndefined();
    expect(plain.totalJ).toBeCloseTo(8 * 2e-12 + 1e-3 * 2 * 10 * 1e-3, 18);
    const cold = estimateEnergy({ ...base, wallPlug: ref('chip.wallPlugFactor', 400, '1') }, table, 10);
    expect(cold.totalJ).toBe(plain.totalJ);
    expect(cold.wallPlugFactor).toBe(400);
    expect(cold.wallPlugJ).toBe(plain.totalJ * 400);
    expect(cold.coefficients.map((c) => c.name)).toContain('chip.wallPlugFactor');
  });
});
