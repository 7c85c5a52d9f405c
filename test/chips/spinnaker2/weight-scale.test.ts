import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/index.js';
import { CHIPS, loadProfile } from '../../../chips/index.js';
import { spinnaker2Backend } from '../../../chips/spinnaker2/backend.js';
import { spinnaker2Codec } from '../../../chips/spinnaker2/codec.js';
import { HEADROOM_BITS } from '../../../chips/spinnaker2/weight-scale.js';
import { decideWeightScale } from '../../../src/chip/weight-scale.js';
import { resolveProfile } from '../../../src/chip/profile.js';
import { decodeProgram, encodeProgram } from '../../../src/io/proto/program-codec.js';
import { scaleVoltages } from '../../../src/graph/weight-scale.js';
import { loadModel } from '../../../src/io/load.js';
import { NeuromeshError } from '../../../src/errors.js';
import { IDEAL_FAMILY } from '../../chips/ideal/index.js';
import { fixture } from '../../helpers/shared.js';
import { arbNetwork } from './arb-network.js';

const profile = loadProfile('spinnaker2');
const backend = spinnaker2Backend(profile);
const STATE_MAX = (2 ** 31 - 1) * 2 ** -15;

/** The bound the chooser must respect, computed here from the model itself (LIF fixture: one LIF fed by one Affine). */
async function lifBound(): Promise<{ bound: number; theta: number }> {
  const g = await loadModel(fixture('lif', 'lif_norse.nir'));
  const r = compile(g, backend, { config: { delay: 1 } });
  const pop = r.network.populations.find((p) => p.role === 'neuron')!;
  let v = 0;
  for (const [k, a] of Object.entries(pop.params)) if (/^v_|^threshold$/.test(k)) for (const x of a) v = Math.max(v, Math.abs(x));
  const sums = new Float64Array(pop.size);
  for (const q of r.network.projections.filter((q) => q.post === pop.index)) for (let s = 0; s < q.weight.length; s++) sums[q.target[s]!]! += Math.abs(q.weight[s]!);
  const bias = Math.max(0, ...Array.from(pop.bias ?? [], Math.abs));
  return { bound: v + Math.max(bias, ...sums), theta: Math.abs(pop.params.v_threshold![0]!) };
}

describe('automatic weight scale (spinnaker2)', () => {
  it('lif_norse (volts): the largest power of two that keeps |v| + one step of input below 1/16 of the s16.15 range, stored in the program', async () => {
    const g = await loadModel(fixture('lif', 'lif_norse.nir'));
    const { bound, theta } = await lifBound();
    const r = compile(g, backend, { config: { delay: 1 }, weightScale: 'auto' });
    const K = r.weightScale.scale;
    expect(r.weightScale.source).toBe('auto');
    expect(Number.isInteger(Math.log2(K))).toBe(true);
    expect(K * bound).toBeLessThanOrEqual(STATE_MAX / 2 ** HEADROOM_BITS);
    expect(2 * K * bound).toBeGreaterThan(STATE_MAX / 2 ** HEADROOM_BITS);
    expect(K).toBeGreaterThan(102.02);
    expect(r.program.weightScale).toBe(K);
    // the threshold is stored K times finer than at scale 1
    const pop = r.program.populations.find((p) => p.role === 'neuron')!;
    expect(pop.fixed.v_threshold![0]).toBe(Math.round(theta * K * 2 ** 15));
    // the resolution the note reports is no worse than the threshold's own LSB / θ
    expect(r.weightScale.worstResolution).toBeGreaterThanOrEqual(2 ** -15 / (K * theta));
    expect(r.weightScale.worstResolution).toBeLessThan(1e-3);
    expect(r.weightScale.why).toMatch(/2\^\d+ stays below 1\/16 of the s16\.15 range/);
  });

  it('an override is used as given and evaluated (resolution reported); 1 disables scaling', async () => {
    const g = await loadModel(fixture('lif', 'lif_norse.nir'));
    const given = compile(g, backend, { config: { delay: 1 }, weightScale: 102.02 });
    expect(given.weightScale).toMatchObject({ scale: 102.02, source: 'option' });
    expect(given.weightScale.worstResolution).toBeGreaterThan(0);
    const one = compile(g, backend, { config: { delay: 1 }, weightScale: 1 });
    const plain = compile(g, backend, { config: { delay: 1 } });
    expect(one.program.weightScale).toBe(1);
    expect(spinnaker2Codec.encode(one.program.payload)).toEqual(spinnaker2Codec.encode(plain.program.payload));
    // at scale 1 the threshold's LSB is 2048 times coarser than under the automatic scale
    const auto = compile(g, backend, { config: { delay: 1 }, weightScale: 'auto' });
    expect(one.weightScale.worstResolution!).toBeGreaterThan(auto.weightScale.worstResolution!);
  });

  it('compile(g, { weightScale: 2^k }) is the same program as compiling scaleVoltages(g, 2^k) (network-level and graph-level scaling agree)', () => {
    fc.assert(
      fc.property(arbNetwork({ referenceSafe: true }), fc.constantFrom(2, 64, 1024), (g, K) => {
        const a = compile(g, backend, { seed: 1, config: { delay: 1 }, weightScale: K });
        const b = compile(scaleVoltages(g, K), backend, { seed: 1, config: { delay: 1 } });
        expect(spinnaker2Codec.encode(a.program.payload)).toEqual(spinnaker2Codec.encode(b.program.payload));
        for (let i = 0; i < a.program.populations.length; i++) expect(a.program.populations[i]!.fixed).toEqual(b.program.populations[i]!.fixed);
      }),
      { numRuns: 20, seed: 5 },
    );
  });

  it('a given scale that saturates the state or rounds the threshold to 0 is a W_WEIGHT_SCALE warning; the automatic one and a sane one are not', async () => {
    const g = await loadModel(fixture('lif', 'lif_norse.nir'));
    const codes = (k: number | 'auto'): string[] => compile(g, backend, { config: { delay: 1 }, weightScale: k }).diagnostics.filter((d) => d.code === 'W_WEIGHT_SCALE').map((d) => d.message);
    expect(codes(1e6)).toEqual([expect.stringMatching(/--weight-scale 1000000: .* the state saturates$/)]);
    expect(codes(1e-6)).toEqual([expect.stringMatching(/threshold of 1 is below one step of its format .* rounds to 0 on the chip$/)]);
    expect(codes('auto')).toEqual([]);
    expect(codes(102.02)).toEqual([]);
  });

  it('a model already near the state range is not scaled down (auto K ≥ 1)', () => {
    fc.assert(
      fc.property(arbNetwork({ referenceSafe: true }), (g) => {
        const r = compile(g, backend, { seed: 1, config: { delay: 1 }, weightScale: 'auto' });
        expect(r.weightScale.scale).toBeGreaterThanOrEqual(1);
        expect(r.weightScale.scale).toBeLessThanOrEqual(2 ** 19);
      }),
      { numRuns: 20, seed: 6 },
    );
  });

  it('the float64 ideal chip chooses 1; a chip without the hook compiles at 1', async () => {
    const g = await loadModel(fixture('lif', 'lif_norse.nir'));
    const rp = resolveProfile(IDEAL_FAMILY.profiles.ideal, (b) => IDEAL_FAMILY.profiles[b], 'ideal', [...CHIPS, IDEAL_FAMILY]);
    const ideal = IDEAL_FAMILY.backend(rp.profile!);
    const r = compile(g, ideal, { config: { delay: 1 }, weightScale: 'auto' });
    expect(r.weightScale).toMatchObject({ scale: 1, worstResolution: null, source: 'auto' });
    expect(decideWeightScale(r.network, {}, r.program.config, profile, 'auto').scale).toBe(1);
    expect(decideWeightScale(r.network, {}, r.program.config, profile, 8).scale).toBe(8);
  });
});

describe('.nmp weight scale', () => {
  it('is stored and read back; a scale-1 program has no field (its bytes are as before) and reads as 1; a bad stored scale is E_CORRUPT', async () => {
    const g = await loadModel(fixture('lif', 'lif_norse.nir'));
    const codecFor = () => spinnaker2Codec as never;
    const auto = compile(g, backend, { config: { delay: 1 }, weightScale: 'auto' }).program;
    expect(decodeProgram(encodeProgram(auto, spinnaker2Codec), codecFor).weightScale).toBe(auto.weightScale);
    const one = compile(g, backend, { config: { delay: 1 } }).program;
    const bytes = encodeProgram(one, spinnaker2Codec);
    expect(decodeProgram(bytes, codecFor).weightScale).toBe(1);
    // field 16 (double): tag 0x81 0x01 would precede it; absent at scale 1
    const withField = encodeProgram({ ...one, weightScale: 2 }, spinnaker2Codec);
    expect(withField.length).toBe(bytes.length + 10);
    let err: unknown;
    try {
      decodeProgram(encodeProgram({ ...one, weightScale: -4 }, spinnaker2Codec), codecFor, 'bad.nmp');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NeuromeshError);
    expect((err as NeuromeshError).diagnostics[0]!.code).toBe('E_CORRUPT');
    expect((err as NeuromeshError).diagnostics[0]!.message).toMatch(/weight scale -4/);
  });
});
