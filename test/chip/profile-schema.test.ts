import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CHIPS, backendFor, builtinProfiles, loadProfile } from '../../chips/index.js';
import { compile } from '../../compiler/index.js';
import { smallGraph } from '../compiler/helpers.js';
import { SPINNAKER2_REQUIRED_FIELDS } from '../../chips/spinnaker2/profile-fields.js';
import {
  chipSections, coefficientSchema, loadProfileFile, mergeProfiles, profileValue, resolveProfile, validateProfile,
  type CoefficientPath, type ProfileFamilySpec,
} from '../../src/chip/profile.js';
import { formatDiagnostic, NeuromeshError, type Diagnostic } from '../../src/errors.js';

const builtin = (id: string): unknown => CHIPS.flatMap((c) => Object.entries(c.profiles)).find(([k]) => k === id)?.[1];
const spinnaker2 = CHIPS.find((c) => c.id === 'spinnaker2')!;
const dir = mkdtempSync(join(tmpdir(), 'neuromesh-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Write `text` as a profile file and load it the way `--chip ./file.json` does. */
function loadText(text: string): { profile?: unknown; diagnostics: Diagnostic[]; file: string } {
  const file = join(dir, `p${n++}.json`);
  writeFileSync(file, text);
  return { ...loadProfileFile(file, builtin, CHIPS), file };
}
const loadJson = (json: unknown) => loadText(JSON.stringify(json));
const extending = (over: Record<string, unknown>) => ({ extends: 'spinnaker2', id: 'mine', version: '1', ...over });

/** Exactly one one-line E_PROFILE diagnostic naming `field` in the file, for profile 'mine'. */
function expectOne(r: { profile?: unknown; diagnostics: Diagnostic[]; file: string }, field: string, message: RegExp): Diagnostic {
  expect(r.profile).toBeUndefined();
  expect(r.diagnostics.map(formatDiagnostic), 'one diagnostic').toHaveLength(1);
  const d = r.diagnostics[0]!;
  expect(d.code).toBe('E_PROFILE');
  expect(d.field).toBe(field);
  expect(d.file).toBe(r.file);
  expect(d.chip).toBe('mine');
  expect(d.message).toMatch(message);
  expect(formatDiagnostic(d)).not.toMatch(/[\r\n]|ZodError|\bat .*:\d+:\d+/);
  return d;
}

describe('built-in profiles', () => {
  it('every built-in profile loads, with every field its backend requires', () => {
    const all = builtinProfiles();
    expect(all.map((p) => p.id).sort()).toEqual(CHIPS.flatMap((c) => Object.keys(c.profiles)).sort());
    for (const p of all) {
      expect(loadProfile(p.id)).toEqual(p);
      const fam = CHIPS.find((c) => c.id === p.family)!;
      for (const f of fam.requiredFields) expect(typeof profileValue(p, f as CoefficientPath), `${p.id} ${f}`).toBe('number');
    }
    for (const f of ['limits.maxDelaySteps', 'limits.maxRingBufferShift', 'limits.exactRoutingBlocksPerSlice']) expect(SPINNAKER2_REQUIRED_FIELDS).toContain(f);
  });
});

describe('one E_PROFILE per mistake, naming the dotted field', () => {
  it('a coefficient without a unit', () => {
    const d = expectOne(loadJson(extending({ limits: { maxDelaySteps: { value: 15, derived: '4 delay bits' } } })), 'limits.maxDelaySteps', /coefficient has no unit/);
    expect(d.hint).toMatch(/"unit"/);
  });

  it('a coefficient with two provenance fields', () => {
    expectOne(
      loadJson(extending({ energy: { synapticEvent: { value: 1e-9, unit: 'J', source: 'paper', assumed: 'guess' } } })),
      'energy.synapticEvent',
      /exactly one of source, derived, assumed \(has source, assumed\)/,
    );
  });

  it('a bare number, in a table or elsewhere', () => {
    expectOne(loadJson(extending({ limits: { maxDelaySteps: 15 } })), 'limits.maxDelaySteps', /expected a coefficient/);
    expectOne(loadJson(extending({ machine: { layout: 'chip', side: 4 } })), 'machine.side', /bare number 4 has no source/);
    expectOne(loadJson(extending({ dvfs: { low: { frequency: { value: 1, unit: 'Hz', source: 'x' }, voltage: 0.5 } } })), 'dvfs.low.voltage', /expected a coefficient/);
  });

  it('an unknown top-level section', () => {
    const d = expectOne(loadJson(extending({ crossbar: { rows: { value: 128, unit: 'row', source: 'x' } } })), 'crossbar', /unknown section 'crossbar'/);
    expect(d.hint).toMatch(/limits/);
  });

  it('a required field removed by null in an extending profile', () => {
    const d = expectOne(loadJson(extending({ limits: { maxDelaySteps: null } })), 'limits.maxDelaySteps', /missing coefficient 'limits\.maxDelaySteps', which the spinnaker2 backend needs/);
    expect(d.hint).toMatch(/null removes/);
  });

  it('a required field missing from a profile that extends nothing', () => {
    const json = structuredClone(builtin('spinnaker2')) as { id: string; limits: Record<string, unknown> };
    json.id = 'mine';
    delete json.limits.exactRoutingBlocksPerSlice;
    expectOne(loadJson(json), 'limits.exactRoutingBlocksPerSlice', /missing coefficient/);
    // without extends, null is not a removal but a malformed coefficient
    json.limits.exactRoutingBlocksPerSlice = null;
    expectOne(loadJson(json), 'limits.exactRoutingBlocksPerSlice', /expected a coefficient/);
  });

  it('a __proto__ key is refused and never changes a prototype', () => {
    const top = loadText(`{"extends": "spinnaker2", "id": "mine", "version": "1", "__proto__": {"polluted": {"value": 1, "unit": "1", "assumed": "x"}}}`);
    expectOne(top, '__proto__', /'__proto__' is not allowed/);
    const nested = loadText(`{"extends": "spinnaker2", "id": "mine", "version": "1", "limits": {"__proto__": {"maxDelaySteps": {"value": 99, "unit": "step", "assumed": "x"}}}}`);
    expectOne(nested, 'limits.__proto__', /'__proto__' is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).maxDelaySteps).toBeUndefined();
    // merging keeps it a plain own key: no prototype changes
    const merged = mergeProfiles({ limits: {} }, JSON.parse('{"__proto__": {"x": 1}, "limits": {"__proto__": {"y": 2}}}')) as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(merged.limits)).toBe(Object.prototype);
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    expect(merged.x).toBeUndefined();
    expect(merged.limits!.y).toBeUndefined();
  });

  it('a constructor key is a plain key, not the prototype', () => {
    const r = resolveProfile(extending({ chip: { constructor: { value: 1, unit: '1', assumed: 'test' } } }), builtin, 'f.json', CHIPS);
    expect(r.diagnostics).toEqual([]);
    expect(profileValue(r.profile!, 'chip.constructor')).toBe(1);
    expect(() => profileValue(loadProfile('spinnaker2'), 'limits.constructor')).toThrow(/no coefficient 'limits\.constructor'/);
  });
});

describe('profileValue: one lookup, no silent defaults', () => {
  it('returns the value or throws E_PROFILE naming the field', () => {
    const p = loadProfile('spinnaker2');
    expect(profileValue(p, 'limits.maxDelaySteps')).toBe(15);
    expect(profileValue(p, 'dvfs.low.frequency')).toBe(150e6);
    let err: unknown;
    try {
      profileValue(p, 'limits.nope');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NeuromeshError);
    const d = (err as NeuromeshError).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: 'E_PROFILE', field: 'limits.nope', chip: 'spinnaker2' });
  });

  it('the compiler no longer defaults a missing limit: a profile validated without its family fails naming the field', () => {
    // generic validation only (no chip family given), so the required-field check does not run
    const r = resolveProfile(extending({ limits: { maxDelaySteps: null } }), builtin, 'f.json');
    expect(r.diagnostics).toEqual([]);
    expect(() => compile(smallGraph(), backendFor(r.profile!), { seed: 1 })).toThrow(/E_PROFILE .*field 'limits\.maxDelaySteps'/);
  });
});

describe('chip-owned profile sections', () => {
  const crossbar = z.object({
    crossbar: z
      .strictObject({ gMin: coefficientSchema, gMax: coefficientSchema })
      .refine((c) => c.gMin.value < c.gMax.value, { message: 'G_min must be below G_max', path: ['gMin'] }),
    notes: z.object({ rows: z.number() }).optional(),
  });
  const rram: ProfileFamilySpec = { id: 'rram', profileSchema: crossbar, requiredFields: ['chip.cells'] };
  const base = {
    id: 'mine', family: 'rram', version: '1', name: 'test crossbar', machine: { layout: 'chip' },
    chip: { cells: { value: 4096, unit: 'cell', assumed: 'test' } },
    crossbar: { gMin: { value: 1e-6, unit: 'S', assumed: 'test' }, gMax: { value: 1e-4, unit: 'S', assumed: 'test' } },
  };
  const load = (json: unknown) => ({ ...resolveProfile(json, builtin, 'x.json', [rram]), file: 'x.json' });

  it('are validated by the chip schema and kept, typed', () => {
    const r = load(base);
    expect(r.diagnostics).toEqual([]);
    expect(chipSections(r.profile!, crossbar).crossbar.gMax.value).toBe(1e-4);
  });
  it('a cross-field rule, a bad chip coefficient, a bare number in a chip section, an unknown section: one E_PROFILE each', () => {
    expectOne(load({ ...base, crossbar: { ...base.crossbar, gMin: { value: 1, unit: 'S', assumed: 'x' } } }), 'crossbar.gMin', /G_min must be below G_max/);
    expectOne(load({ ...base, crossbar: { ...base.crossbar, gMax: { value: 1, unit: 'S' } } }), 'crossbar.gMax', /exactly one of source, derived, assumed \(has none\)/);
    expectOne(load({ ...base, notes: { rows: 128 } }), 'notes.rows', /bare number 128 has no source/);
    expectOne(load({ ...base, crossbars: {} }), 'crossbars', /unknown section/);
    expectOne(load({ ...base, chip: {} }), 'chip.cells', /missing coefficient 'chip\.cells', which the rram backend needs/);
  });
  it('without the family, a chip section is unknown (never silently dropped)', () => {
    const r = validateProfile(base, 'x.json');
    expect(r.diagnostics.map((d) => d.field)).toEqual(['crossbar']);
  });
});

describe('random mutations of a valid profile load or give E_PROFILE only', () => {
  type Mutation = { at: number; op: 'set' | 'delete' | 'add'; key: string; value: unknown };
  const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'value', 'unit', 'source', 'derived', 'assumed', 'unverified', 'kind', 'extends', 'limits', 'layout', 'wrap'), fc.string({ maxLength: 6 }));
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(null, Infinity, -Infinity, Number.NaN, -0, '', [], {}, { value: 1 }, { value: 1, unit: 'x', source: 's' }, { kind: 'fixed' }),
  );
  const mutation: fc.Arbitrary<Mutation> = fc.record({ at: fc.nat(), op: fc.constantFrom('set', 'delete', 'add'), key, value });

  /** Every object or array in the JSON, with itself (the root) first. */
  function containers(v: unknown, out: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
    if (typeof v !== 'object' || v === null) return out;
    out.push(v as Record<string, unknown>);
    for (const k of Object.keys(v)) containers((v as Record<string, unknown>)[k], out);
    return out;
  }
  const put = (o: object, k: string, v: unknown): void => void Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  function mutate(json: unknown, ms: Mutation[]): unknown {
    for (const m of ms) {
      const cs = containers(json);
      const c = cs[m.at % cs.length]!;
      const keys = Object.keys(c);
      const k = m.op === 'add' || keys.length === 0 ? m.key : keys[m.at % keys.length]!;
      if (m.op === 'delete') delete (c as Record<string, unknown>)[k];
      else put(c, k, structuredClone(m.value));
    }
    return json;
  }
  function check(r: { profile?: unknown; diagnostics: Diagnostic[] }): void {
    if (r.profile) {
      expect(r.diagnostics).toEqual([]);
      const p = r.profile as Parameters<typeof profileValue>[0];
      if (p.family === 'spinnaker2') for (const f of spinnaker2.requiredFields) profileValue(p, f as CoefficientPath);
      return;
    }
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) {
      expect(d.code).toBe('E_PROFILE');
      expect(d.message.length).toBeGreaterThan(0);
      expect(formatDiagnostic(d)).not.toMatch(/[\r\n]/);
      if (d.field !== undefined) expect(typeof d.field).toBe('string');
    }
  }
  const pristine = Object.getOwnPropertyNames(Object.prototype).sort();

  it('a whole profile (validateProfile with the chip family)', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        const json = mutate(structuredClone(builtin('spinnaker2')), ms);
        check(validateProfile(json, 'f.json', spinnaker2));
        check(validateProfile(JSON.parse(JSON.stringify(json) ?? 'null'), 'f.json', spinnaker2));
      }),
      { numRuns: 300 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(pristine);
  });

  it('an extending profile (resolveProfile merges it over a built-in)', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        const over = mutate({ extends: 'spinnaker2-48', id: 'mine', version: '1', limits: { maxNeuronsPerCore: { value: 64, unit: 'neuron', assumed: 'x' } }, machine: { wrap: true } }, ms);
        check(resolveProfile(over, builtin, 'f.json', CHIPS));
      }),
      { numRuns: 300 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(pristine);
    // the built-ins themselves are untouched by merging
    expect(builtinProfiles().map((p) => p.id)).toContain('spinnaker2-48');
  });
});
