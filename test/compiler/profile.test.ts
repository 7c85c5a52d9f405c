import { describe, expect, it } from 'vitest';
import { resolveProfile, validateProfile, unverifiedFields } from '../../src/chip/profile.js';
import { quantize, dequantize, formatName } from '../../src/chip/number-format.js';
import { CHIPS, builtinProfiles } from '../../chips/index.js';

const builtin = (id: string): unknown => CHIPS.flatMap((c) => Object.entries(c.profiles)).find(([k]) => k === id)?.[1];
const base = { id: 't', family: 'spinnaker2', version: '1', name: 'test', machine: { layout: 'chip' } };

describe('chip profiles are data, validated on load', () => {
  it('every built-in profile is valid and every coefficient names its provenance', () => {
    const all = builtinProfiles();
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const p of all)
      for (const t of [p.chip, p.limits, p.energy, p.latency, p.placement])
        for (const c of Object.values(t)) expect([c.source, c.derived, c.assumed].filter(Boolean)).toHaveLength(1);
    // unverified figures are reported
    expect(unverifiedFields(all.find((p) => p.id === 'spinnaker2')!)).toContain('limits.dataSramPerPe');
  });

  it.each([
    [{ limits: { x: 3 } }, 'limits.x', /expected a coefficient/],
    [{ limits: { x: { value: 3, unit: 'B' } } }, 'limits.x', /exactly one of source, derived, assumed \(has none\)/],
    [{ limits: { x: { value: 3, unit: 'B', source: 'a', assumed: 'b' } } }, 'limits.x', /has source, assumed/],
    [{ limits: { x: { value: 'big', unit: 'B', source: 'a' } } }, 'limits.x', /finite number/],
    [{ energy: { e: { value: 1, source: 'a' } } }, 'energy.e', /no unit/],
    [{ machine: { layout: 'chip', side: 4 } }, 'machine.side', /bare number 4 has no source/],
    [{ formats: { state: { kind: 'fixed', signed: true, intBits: 16, fracBits: 15 } } }, 'formats.state', /must name its source/],
    [{ formats: { state: { kind: 'float', source: 'x' } } }, 'formats.state', /unknown format kind/],
    [{ id: '' }, 'id', /missing string field 'id'/],
  ])('refuses %j naming field %s', (over, field, msg) => {
    const r = validateProfile({ ...base, ...over }, 'my.json');
    expect(r.profile).toBeUndefined();
    const d = r.diagnostics.find((x) => x.field === field)!;
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(d.message).toMatch(msg);
    expect(d.file).toBe('my.json');
  });

  it('extends merges over a built-in, and refuses unknown bases and cycles', () => {
    const r = resolveProfile({ extends: 'spinnaker2-48', id: 'mine', version: '2', limits: { maxNeuronsPerCore: { value: 64, unit: 'neuron', assumed: 'x' } } }, builtin);
    expect(r.profile!.limits.maxNeuronsPerCore!.value).toBe(64);
    expect(r.profile!.machine.layout).toBe('board48');
    expect(r.profile!.chip.routerEntries!.value).toBe(16384);
    expect(resolveProfile({ extends: 'nope' }, builtin).diagnostics[0]!.message).toMatch(/unknown profile 'nope'/);
    const loop = (id: string): unknown => ({ a: { extends: 'b' }, b: { extends: 'a' } })[id];
    expect(resolveProfile({ extends: 'a' }, loop).diagnostics[0]!.message).toMatch(/cycle/);
  });
});

describe('number formats', () => {
  const s1615 = { kind: 'fixed', signed: true, intBits: 16, fracBits: 15 } as const;
  it('s16.15 rounds to nearest, saturates, and reports zeroing', () => {
    expect(formatName(s1615)).toBe('s16.15');
    expect(quantize(1, s1615).code).toBe(32768);
    expect(dequantize(quantize(0.1, s1615).code, s1615)).toBeCloseTo(0.1, 4);
    expect(quantize(1e9, s1615)).toEqual({ code: 2 ** 31 - 1, saturated: true, zeroed: false });
    expect(quantize(-1e9, s1615).code).toBe(-(2 ** 31));
    expect(quantize(1e-6, s1615)).toEqual({ code: 0, saturated: false, zeroed: true });
    expect(quantize(-2.5 / 32768, s1615).code).toBe(-3); // ties away from zero
  });
});
