import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, configDoc, resolveConfig } from '../../src/reference/config.js';
import { parseRecordSpecs } from '../../src/reference/record.js';

describe('run configuration', () => {
  it('defaults are those of docs/semantics.md §1', () => {
    expect(DEFAULT_CONFIG).toMatchObject({ dt: 1e-4, integrator: 'euler', reset: 'zero', ifMode: 'step', delay: 0, seed: 0 });
    const { config } = resolveConfig({ steps: 10 });
    expect(config).toEqual({ dt: 1e-4, integrator: 'euler', reset: 'zero', ifMode: 'step', refractoryInput: 'integrate', delay: 0, steps: 10, seed: 0 });
  });

  it('parses CLI strings and reports every bad option at once', () => {
    expect(resolveConfig({ steps: '5', dt: '2e-4', delay: '1', seed: '9', integrator: 'exact', reset: 'subtract', ifMode: 'ode', refractoryInput: 'drop' }).config)
      .toEqual({ dt: 2e-4, integrator: 'exact', reset: 'subtract', ifMode: 'ode', refractoryInput: 'drop', delay: 1, steps: 5, seed: 9 });
    const bad = resolveConfig({ steps: '0', dt: 'abc', delay: '0.5', seed: '1.5', integrator: 'rk4', reset: 'x', ifMode: '', refractoryInput: 'block' });
    expect(bad.config).toBeUndefined();
    expect(bad.diagnostics.map((d) => d.field)).toEqual(['dt', 'integrator', 'reset', 'ifMode', 'refractoryInput', 'delay', 'steps', 'seed']);
    expect(bad.diagnostics[4]!.message).toBe("--refractory-input 'block' is not known");
    expect(bad.diagnostics.every((d) => d.code === 'E_BAD_OPTION' && d.hint)).toBe(true);
    expect(resolveConfig({}).diagnostics.map((d) => d.field)).toEqual(['steps']);
    expect(resolveConfig({}, { requireSteps: false }).diagnostics).toEqual([]);
  });

  it('the output config names the engine and spells out the integration', () => {
    const doc = configDoc({ ...DEFAULT_CONFIG, steps: 3, integrator: 'exact' });
    expect(doc.engine).toBe('reference-float64');
    expect(doc.refractoryInput).toBe('integrate');
    expect(configDoc({ ...DEFAULT_CONFIG, steps: 3, refractoryInput: 'drop' }).refractoryInput).toBe('drop');
    expect(doc.integration).toMatch(/exp\(−dt\/τ\)/);
    expect(doc.integration).toMatch(/τ_r\/\(τ_r − τ_mem\)/);
  });
});

describe('--record parsing', () => {
  it('nodes, variables, ranges and all', () => {
    const { spec, diagnostics } = parseRecordSpecs(['lif1.lif:v[0:10],lif2', 'x:spikes', 'all', 'n:v[3]', 'n:i[:5], n:y[2:]']);
    expect(diagnostics).toEqual([]);
    expect(spec).toEqual({
      all: true,
      auto: ['lif2'],
      spikes: ['x'],
      traces: [
        { node: 'lif1.lif', var: 'v', start: 0, end: 10 },
        { node: 'n', var: 'v', start: 3, end: 4 },
        { node: 'n', var: 'i', end: 5 },
        { node: 'n', var: 'y', start: 2 },
      ],
    });
  });

  it('refuses malformed items', () => {
    for (const bad of ['a:v[0:', 'a:v[x]', 'a[0]', ':v']) {
      const r = parseRecordSpecs([bad]);
      expect(r.spec, bad).toBeUndefined();
      expect(r.diagnostics[0]!.code).toBe('E_BAD_OPTION');
    }
  });
});
