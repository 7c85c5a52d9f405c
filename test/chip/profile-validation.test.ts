/**
 * Every field of a profile is validated at load time (issue 11, item 7): each bad profile of the
 * table gives exactly ONE one-line E_PROFILE diagnostic naming the field path with a hint, through
 * the API (loadProfileFile) and through the CLI (`profiles <file>` and `compile --chip <file>`,
 * exit 2, nothing written).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHIPS } from '../../chips/index.js';
import { loadProfileFile } from '../../src/chip/profile.js';
import { formatDiagnostic } from '../../src/errors.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, runCli } from '../e2e/cli.js';

const builtin = (id: string): unknown => CHIPS.flatMap((c) => Object.entries(c.profiles)).find(([k]) => k === id)?.[1];
const dir = mkdtempSync(join(tmpdir(), 'neuromesh-profile-valid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const coef = (value: number, unit = '1') => ({ value, unit, assumed: 'test' });
const extending = (over: Record<string, unknown>) => ({ extends: 'spinnaker2', id: 'mine', version: '1', ...over });

/** [name, profile JSON, field the one diagnostic names, what its message says]. */
const BAD: [string, unknown, string, RegExp][] = [
  ['negative core count', extending({ chip: { pesPerChip: coef(-4) } }), 'chip.pesPerChip', /-4 is out of range/],
  ['zero usable PEs', extending({ chip: { usablePesPerChip: coef(0) } }), 'chip.usablePesPerChip', /0 is out of range/],
  ['fractional core count', extending({ chip: { pesPerChip: coef(2.5) } }), 'chip.pesPerChip', /2\.5 is not an integer/],
  ['1e12 core count', extending({ chip: { pesPerChip: coef(1e12) } }), 'chip.pesPerChip', /1000000000000 is out of range/],
  ['1e12 neurons per core', extending({ limits: { maxNeuronsPerCore: coef(1e12) } }), 'limits.maxNeuronsPerCore', /1000000000000 is out of range/],
  ['zero neurons per core', extending({ limits: { maxNeuronsPerCore: coef(0) } }), 'limits.maxNeuronsPerCore', /0 is out of range/],
  ['frequency 0', extending({ dvfs: { low: { frequency: coef(0, 'Hz'), voltage: coef(0.5, 'V') } } }), 'dvfs.low.frequency', /0 must be ≥ 1/],
  ['negative frequency', extending({ dvfs: { low: { frequency: coef(-1, 'Hz'), voltage: coef(0.5, 'V') } } }), 'dvfs.low.frequency', /-1 must be ≥ 1/],
  ['voltage 0', extending({ dvfs: { low: { frequency: coef(1e8, 'Hz'), voltage: coef(0, 'V') } } }), 'dvfs.low.voltage', /0 must be ≥ 0.001/],
  ['-1 router entries', extending({ chip: { routerEntries: coef(-1) } }), 'chip.routerEntries', /-1 is out of range/],
  ['fractional router entries', extending({ chip: { routerEntries: coef(1.5) } }), 'chip.routerEntries', /1\.5 is not an integer/],
  ['energyModel magic', extending({ energyModel: 'magic' }), 'energyModel', /unknown energy model "magic"/],
  ['rounding banker', extending({ arithmetic: { parameterRounding: 'banker' } }), 'arithmetic.parameterRounding', /unknown rounding mode "banker"/],
  ['missing core count', extending({ chip: { pesPerChip: null } }), 'chip.pesPerChip', /missing coefficient/],
  ['negative SRAM', extending({ limits: { dataSramPerPe: coef(-5, 'B') } }), 'limits.dataSramPerPe', /-5 is out of range/],
  ['negative delay slots', extending({ limits: { maxDelaySteps: coef(-1) } }), 'limits.maxDelaySteps', /-1 is out of range/],
  ['99 neuron-index bits', extending({ limits: { neuronIndexBits: coef(99) } }), 'limits.neuronIndexBits', /99 is out of range/],
  ['energy 1e308 J per event (Infinity in a report)', extending({ energy: { synapticEvent: coef(1e308, 'J') } }), 'energy.synapticEvent', /1e\+308 must be ≤ 1000000/],
  ['negative energy', extending({ energy: { synapticEvent: coef(-1e-9, 'J') } }), 'energy.synapticEvent', /must be ≥ 0/],
  ['time scale 0', extending({ latency: { timeScaleFactor: coef(0) } }), 'latency.timeScaleFactor', /must be > 0/],
  ['fractional packet bits', extending({ energy: { packetBits: coef(40.5, 'bit') } }), 'energy.packetBits', /40\.5 is not an integer/],
  ['negative anneal budget', extending({ placement: { annealMaxMoves: coef(-3) } }), 'placement.annealMaxMoves', /-3 is out of range/],
  ['a 56-bit state format (cross-field, was refused only at compile)', extending({ formats: { state: { kind: 'fixed', signed: true, intBits: 40, fracBits: 15, assumed: 't' } } }), 'formats.state', /state format must fit 32 bits/],
  ['a 20-bit weight format (cross-field, was refused only at compile)', extending({ formats: { weight: { kind: 'int', signed: true, bits: 20, assumed: 't' } } }), 'formats.weight', /synapse word holds 16/],
  ['inexact state × coefficient products (cross-field)', extending({ formats: { coefficient: { kind: 'fixed', signed: true, intBits: 20, fracBits: 30, assumed: 't' } } }), 'formats.coefficient', /not exact in a 53-bit double/],
  ['usable PEs above PEs (cross-field)', extending({ chip: { usablePesPerChip: coef(200) } }), 'chip.usablePesPerChip', /200 usable PEs exceed the chip's 152 PEs/],
  ['PEs not whole quad-PEs (cross-field)', extending({ chip: { pesPerChip: coef(150), usablePesPerChip: coef(148) } }), 'chip.pesPerChip', /150 PEs is not chip\.qpesPerChip × chip\.pesPerQpe/],
  ['neurons per core beyond the index bits (cross-field)', extending({ limits: { maxNeuronsPerCore: coef(512) } }), 'limits.maxNeuronsPerCore', /512 neurons per core cannot be told apart by 8/],
  ['overhead eats the SRAM (cross-field)', extending({ limits: { coreOverheadBytes: coef(98304, 'B') } }), 'limits.coreOverheadBytes', /leaves nothing/],
];

let n = 0;
function write(json: unknown): string {
  const file = join(dir, `bad${n++}.json`);
  writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
}

describe('profile field validation (API)', () => {
  it('has at least 17 bad profiles in its table', () => expect(BAD.length).toBeGreaterThanOrEqual(17));

  it.each(BAD)('%s: one E_PROFILE naming the field, with a hint', (_, json, field, message) => {
    const file = write(json);
    const r = loadProfileFile(file, builtin, CHIPS);
    expect(r.profile).toBeUndefined();
    expect(r.diagnostics.map(formatDiagnostic)).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d.code).toBe('E_PROFILE');
    expect(d.field).toBe(field);
    expect(d.file).toBe(file);
    expect(d.message).toMatch(message);
    // the hint says what is allowed (an enum's message lists its choices itself)
    expect(d.hint ?? (/one of /.test(d.message) ? d.message : undefined)).toBeTruthy();
  });

  it('every built-in profile passes every rule', () => {
    for (const c of CHIPS)
      for (const id of Object.keys(c.profiles)) {
        const file = write(c.profiles[id]);
        expect(loadProfileFile(file, builtin, CHIPS).diagnostics.map(formatDiagnostic), id).toEqual([]);
      }
  });

  it('a profile nested 100,000 deep is one E_BAD_JSON line, not a stack overflow', () => {
    for (const text of ['{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), '['.repeat(100_000) + ']'.repeat(100_000)]) {
      const r = loadProfileFile(write(text), builtin, CHIPS);
      expect(r.diagnostics.map((d) => d.code)).toEqual(['E_BAD_JSON']);
      expect(r.diagnostics[0]!.message).toMatch(/nested more than 200 levels/);
    }
  });
});

describe('profile field validation (CLI)', () => {
  beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);

  it('`profiles <file>` and `compile --chip <file>` refuse a bad profile in one line, exit 2, writing nothing', async () => {
    const model = join(dir, 'model.nmg');
    const { network } = await import('../../src/graph/builder.js');
    const { lif } = await import('../../src/graph/builder-models.js');
    const { allToAll } = await import('../../src/graph/connectors.js');
    const { saveModel } = await import('../../src/io/load.js');
    const net = network({ name: 'm' });
    net.projection(net.input('in', 2), net.population('pop', 2, lif({ tau: 5e-3, v_threshold: 0.05 })), allToAll(), { weight: 0.2 });
    await saveModel(net.toGraph({ dt: 1e-4 }), model);
    for (const [name, json, field] of [BAD[0]!, BAD[6]!, BAD[11]!]) {
      const file = write(json);
      const shown = await runCli(['profiles', file]);
      expect(shown.code, name).toBe(2);
      expect(shown.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(shown.stderr).toContain(`field '${field}'`);
      const out = join(dir, `out${n}.nmp`);
      const compiled = await runCli(['compile', model, '--chip', file, '-o', out]);
      expect(compiled.code, name).toBe(2);
      expect(compiled.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(compiled.stderr).toContain(`field '${field}'`);
      expect(existsSync(out)).toBe(false);
    }
  }, 120_000);
});
