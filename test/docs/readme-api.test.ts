import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { network } from '../../src/graph/builder.js';
import { fixedProbability } from '../../src/graph/connectors.js';
import { currentLIF } from '../../src/graph/builder-models.js';
import { analyze } from '../../src/graph/graph.js';
import { simulate } from '../../src/reference/index.js';
import { REPO } from '../helpers/shared.js';

/** The README's first lines and its API example must stay true. */
describe('README', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

  it('starts with exactly the two commands: the demo and the tests', () => {
    const first = readme.split('```')[1]!.trim().split('\n').slice(1);
    expect(first).toEqual(['npm ci && npm run demo', 'npm test']);
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.demo).toBeDefined();
    expect(pkg.scripts.test).toBeDefined();
  });

  it('the API example builds a valid graph that simulates', () => {
    const net = network({ name: 'demo' });
    const stim = net.spikeSource('stim', 100, { rate: 20 });
    const pop = net.population('pop', 400, currentLIF({ tau_mem: 20e-3, v_rest: -49e-3, v_reset: -60e-3,
      v_threshold: -50e-3, t_ref: 5e-3, tau_syn: { exc: 5e-3, inh: 10e-3 } }));
    net.projection(stim, pop, fixedProbability(0.1, 7), { weight: 2e-3, receptor: 'exc' });
    const graph = net.toGraph({ dt: 1e-4 });
    const { diagnostics } = analyze(graph);
    expect(diagnostics.filter((d) => (d.severity ?? 'error') === 'error')).toEqual([]);
    const res = simulate(graph, { steps: 200, inputs: new Map() });
    expect(res.totals.neuronUpdates).toBe(400 * 200);
    expect(res.spikes.get('stim')!.steps.length).toBeGreaterThan(0);
    expect(res.totals.synapticEvents).toBeGreaterThan(0);
  });

  it('.ci/run runs the README test command', () => {
    const ci = readFileSync(join(REPO, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/npm ci/);
    expect(ci).toMatch(/npm test/);
  });
});
