import { describe, expect, it } from 'vitest';
import { decodeNmp, encodeNmp } from '../../chips/index.js';
import { compile } from '../../compiler/index.js';
import type { RunConfig } from '../../src/chip/program.js';
import { backend, smallGraph } from './helpers.js';

describe('.nmp refractoryInput', () => {
  const compiled = (refractoryInput?: RunConfig['refractoryInput']) =>
    compile(smallGraph(5, 5), backend('spinnaker2'), { seed: 1, ...(refractoryInput ? { config: { refractoryInput } } : {}) }).program;

  it('the rule a program is compiled with comes back from its bytes (default integrate)', () => {
    expect(compiled().config.refractoryInput).toBe('integrate');
    for (const rule of ['integrate', 'drop'] as const) {
      const p = compiled(rule);
      expect(p.config.refractoryInput).toBe(rule);
      const bytes = encodeNmp(p);
      const back = decodeNmp(bytes);
      expect(back.config.refractoryInput).toBe(rule);
      expect(Buffer.from(encodeNmp(back)).equals(Buffer.from(bytes))).toBe(true);
    }
    expect(Buffer.from(encodeNmp(compiled('drop'))).equals(Buffer.from(encodeNmp(compiled('integrate'))))).toBe(false);
  });

  it('integrate is stored as an absent field: a default program keeps the bytes it had before the option existed', () => {
    const p = compiled();
    const { refractoryInput: _r, ...older } = p.config;
    expect(Buffer.from(encodeNmp({ ...p, config: older as RunConfig })).equals(Buffer.from(encodeNmp(p)))).toBe(true);
  });

  it('an unknown stored rule is E_CORRUPT, one diagnostic, with a hint to recompile', () => {
    const p = compiled();
    const bytes = encodeNmp({ ...p, config: { ...p.config, refractoryInput: 'block' as 'drop' } });
    let err: unknown;
    try {
      decodeNmp(bytes, 'x.nmp');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ exitCode: 2, diagnostics: [{ code: 'E_CORRUPT', file: 'x.nmp' }] });
    expect((err as { diagnostics: unknown[] }).diagnostics).toHaveLength(1);
    expect(String((err as Error).message)).toMatch(/config.refractory_input is 'block', not integrate or drop.*recompile/);
  });
});
