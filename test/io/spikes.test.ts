import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import { allToAll, lif, network } from '../../src/graph/builder.js';
import { analyze, type Graph, type ShapeInfo } from '../../src/graph/graph.js';
import { writeNpy } from '../../src/io/npy.js';
import { inputAt, parseInputSpecs, poissonDraw, type StepInput } from '../../src/io/spikes.js';
import { fixture } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'nm-spikes-'));
function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Input nodes of the given shapes, each → LIF population → Output. */
function graphWith(inputs: Record<string, number[]>): { g: Graph; shapes: ShapeInfo } {
  const net = network();
  for (const [name, shape] of Object.entries(inputs)) {
    const x = net.input(name, shape);
    const n = shape.reduce((a, b) => a * b, 1);
    const p = net.population(`${name}_pop`, n, lif({ tau: 0.01, v_threshold: 1 }));
    net.projection(x, p, allToAll(), { weight: 1 });
    net.output(`${name}_out`, p);
  }
  const g = net.toGraph();
  return { g, shapes: analyze(g).shapes! };
}

async function parse(specs: string[], inputs: Record<string, number[]> = { x: [2, 3] }, opts: { dt?: number } = {}): Promise<Map<string, StepInput>> {
  const { g, shapes } = graphWith(inputs);
  return parseInputSpecs(specs, g, shapes, { cwd: dir, ...opts });
}

async function failure(specs: string[], inputs?: Record<string, number[]>, opts?: { dt?: number }): Promise<NeuromeshError> {
  try {
    await parse(specs, inputs, opts);
  } catch (e) {
    if (e instanceof NeuromeshError) {
      expect(e.message).not.toContain('\n');
      return e;
    }
    throw e;
  }
  throw new Error('expected a NeuromeshError');
}

function at(inp: StepInput, step: number, dt = 1e-4): number[] {
  const out = new Float64Array(inp.size).fill(-1);
  inputAt(inp, step, dt, out);
  return Array.from(out);
}

describe('file.npy: dense [T, …shape]', () => {
  it('reads float32 [T, 2, 3] and gives zeros after T', async () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => (i % 5 === 0 ? 1 : i % 7 === 0 ? 2 : 0));
    file('a.npy', writeNpy(data, [2, 2, 3]));
    const m = await parse(['a.npy']);
    const x = m.get('x')!;
    expect(x).toMatchObject({ kind: 'dense', node: 'x', size: 6, steps: 2 });
    expect(at(x, 0)).toEqual(Array.from(data.subarray(0, 6)));
    expect(at(x, 1)).toEqual(Array.from(data.subarray(6, 12)));
    expect(at(x, 2)).toEqual([0, 0, 0, 0, 0, 0]);
  });
  it('accepts a flat [T, 6] array and uint8 counts for a [2, 3] Input', async () => {
    file('flat.npy', writeNpy(Uint8Array.of(0, 1, 2, 3, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 5), [3, 6]));
    const x = (await parse(['flat.npy'])).get('x')!;
    expect(x.kind === 'dense' && x.steps).toBe(3);
    expect(at(x, 2)).toEqual([0, 0, 0, 0, 0, 5]);
  });
  it('refuses a shape mismatch, giving both shapes', async () => {
    file('bad.npy', writeNpy(new Float32Array(12), [2, 3, 2]));
    const e = await failure(['bad.npy']);
    expect(e.diagnostics[0]).toMatchObject({ code: 'E_SHAPE_MISMATCH', file: 'bad.npy', node: 'x' });
    expect(e.message).toMatch(/\[2, 3, 2\].*Input node shape \[2, 3\]/);
    file('bad2.npy', writeNpy(new Float32Array(10), [2, 5]));
    expect((await failure(['bad2.npy'])).message).toMatch(/\[2, 5\]/);
  });
  it('refuses negative or non-finite values, and bad NPY headers, naming the file', async () => {
    file('neg.npy', writeNpy(Float32Array.of(0, 0, 0, 0, -1, 0), [1, 6]));
    expect((await failure(['neg.npy'])).message).toMatch(/neg\.npy.*value -1 at step 0, index 4/);
    file('nan.npy', writeNpy(Float64Array.of(0, 0, 0, 0, 0, Number.NaN), [1, 6]));
    expect((await failure(['nan.npy'])).diagnostics[0]!.field).toBe('data');
    file('junk.npy', 'definitely not numpy');
    expect((await failure(['junk.npy'])).diagnostics[0]).toMatchObject({ code: 'E_BAD_NPY', file: 'junk.npy' });
    const c16 = writeNpy(new Float64Array(12), [6, 2]);
    const at8 = new TextDecoder('latin1').decode(c16.subarray(0, 64)).indexOf('<f8');
    c16[at8 + 1] = 'c'.charCodeAt(0); // descr '<f8' → '<c8' (complex)
    file('c16.npy', c16);
    expect((await failure(['c16.npy'])).message).toMatch(/unsupported dtype/);
  });
});

describe('file.csv: step,index events', () => {
  it('reads rows with and without a header; repeated events are counts', async () => {
    file('ev.csv', 'step,index\n0,5\n2,0\n2,0\n2,3\n');
    const x = (await parse(['ev.csv'])).get('x')!;
    expect(x).toMatchObject({ kind: 'dense', steps: 3, size: 6 });
    expect(at(x, 0)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(at(x, 1)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(at(x, 2)).toEqual([2, 0, 0, 1, 0, 0]);
    file('ev2.csv', '# comment\n1, 1\n\n0,2\n');
    const y = (await parse(['ev2.csv'])).get('x')!;
    expect(at(y, 0)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(at(y, 1)).toEqual([0, 1, 0, 0, 0, 0]);
  });
  it('refuses out-of-range indices with the line number and the shape', async () => {
    file('oor.csv', 'step,index\n0,1\n3,6\n');
    const e = await failure(['oor.csv']);
    expect(e.diagnostics[0]).toMatchObject({ code: 'E_INDEX_RANGE', file: 'oor.csv', field: 'index' });
    expect(e.message).toMatch(/line 3: index 6 is out of range: it must be an integer from 0 to 5; Input node shape \[2, 3\] has 6 neurons/);
  });
  it('refuses malformed rows and negative steps with the line number', async () => {
    file('mal.csv', '0,1\n1;2\n');
    expect((await failure(['mal.csv'])).message).toMatch(/line 2: expected 'step,index'/);
    file('mal2.csv', '0,1\n1,2,3\n');
    expect((await failure(['mal2.csv'])).message).toMatch(/line 2/);
    file('mal3.csv', '0,1.5\n');
    expect((await failure(['mal3.csv'])).diagnostics[0]!.code).toBe('E_BAD_CSV');
    file('mal4.csv', '1,a\n0,1\n');
    expect((await failure(['mal4.csv'])).message).toMatch(/line 1: expected 'step,index'/);
        file('negstep.csv', '0,1\n\n-1,2\n');
    expect((await failure(['negstep.csv'])).message).toMatch(/line 3: step -1 is out of range: it must be an integer from 0 /);
  });
});

describe('trace:file.csv (NIR-paper traces)', () => {
  it('takes column 0 of lif_exact.csv as the stimulus of a 1-neuron Input', async () => {
    const path = fixture('lif', 'lif_exact.csv');
    const x = (await parse([`trace:${path}`], { x: [1] })).get('x')!;
    expect(x).toMatchObject({ kind: 'dense', size: 1, steps: 1000 });
    // independent read of the stimulus column of another platform's file (the README says it is shared)
    const col0 = readFileSync(fixture('lif', 'lif_norse.csv'), 'utf8').trim().split('\n').map((l) => Number(l.split(',')[0]));
    const got = Array.from({ length: 1000 }, (_, t) => at(x, t)[0]);
    expect(got).toEqual(col0);
    expect(col0.filter((v) => v === 1).length).toBeGreaterThan(0);
    expect(at(x, 1000)).toEqual([0]);
  });
  it('refuses a trace for an Input of more than one neuron, giving its shape', async () => {
    const e = await failure([`trace:${fixture('lif', 'lif_exact.csv')}`]);
    expect(e.diagnostics[0]).toMatchObject({ code: 'E_SHAPE_MISMATCH', node: 'x' });
    expect(e.message).toMatch(/Input node shape is \[2, 3\]/);
  });
  it('skips a header row of column names', async () => {
    file('trh.csv', 'input,v,spike\n0,0.1,0\n1,0.2,0\n');
    const x = (await parse(['trace:trh.csv'], { x: [1] })).get('x')!;
    expect([at(x, 0), at(x, 1), at(x, 2)]).toEqual([[0], [1], [0]]);
    expect(x.kind === 'dense' && x.steps).toBe(2);
  });
  it('refuses a non-numeric column 0 with the line number', async () => {
    file('tr.csv', '0,0,0\n1,0,0\nx,0,0\n');
    expect((await failure(['trace:tr.csv'], { x: [1] })).message).toMatch(/tr\.csv.*line 3: column 0/);
  });
});

describe('poisson:rate=HZ,seed=S', () => {
  it('draws Bernoulli(rate·dt) per neuron and step from the counter RNG, shared with poissonDraw', async () => {
    const x = (await parse(['poisson:rate=200,seed=7'], { x: [50] })).get('x')!;
    expect(x).toEqual({ kind: 'poisson', node: 'x', size: 50, rateHz: 200, seed: 7 });
    const dt = 1e-3;
    let spikes = 0;
    let differ = 0;
    const steps = 400;
    for (let t = 0; t < steps; t++) {
      const row = at(x, t, dt);
      row.forEach((v, i) => { if (v !== (poissonDraw(7, 'x', i, t, 0.2) ? 1 : 0)) differ++; });
      spikes += row.reduce((a, b) => a + b, 0);
    }
    expect(differ).toBe(0);
    const n = steps * 50;
    expect(Math.abs(spikes / n - 0.2)).toBeLessThan(5 * Math.sqrt(0.2 * 0.8 / n));
    // deterministic, seed-dependent
    expect(at(x, 3, dt)).toEqual(at(x, 3, dt));
    const y: StepInput = { kind: 'poisson', node: 'x', size: 50, rateHz: 200, seed: 8 };
    expect([0, 1, 2, 3, 4].map((t) => at(y, t, dt).join(''))).not.toEqual([0, 1, 2, 3, 4].map((t) => at(x, t, dt).join('')));
  });
  it('defaults seed to 0 and refuses bad rates and keys', async () => {
    expect((await parse(['poisson:rate=5'])).get('x')).toMatchObject({ seed: 0, rateHz: 5 });
    expect((await failure(['poisson:rate=-3'])).diagnostics[0]!.field).toBe('rate');
    expect((await failure(['poisson:rate=abc'])).diagnostics[0]!.field).toBe('rate');
    expect((await failure(['poisson:seed=1'])).message).toMatch(/has no rate/);
    expect((await failure(['poisson:rate=1,speed=2'])).message).toMatch(/unknown key 'speed'/);
    expect((await failure(['poisson:rate=1,seed=1.5'])).diagnostics[0]!.field).toBe('seed');
    expect((await failure(['poisson:rate=20000'], undefined, { dt: 1e-4 })).message).toMatch(/p = 2 > 1/);
  });
});

describe('name=<form> and node selection', () => {
  it('feeds several Input nodes by name', async () => {
    file('one.csv', '0,0\n');
    const m = await parse(['a=poisson:rate=10,seed=1', 'b=one.csv'], { a: [3], b: [2] });
    expect(m.get('a')).toMatchObject({ kind: 'poisson', node: 'a', size: 3 });
    expect(m.get('b')).toMatchObject({ kind: 'dense', node: 'b', size: 2, steps: 1 });
  });
  it('refuses an unnamed input when there are several Input nodes, listing them', async () => {
    const e = await failure(['poisson:rate=10'], { a: [3], b: [2] });
    expect(e.message).toMatch(/2 Input nodes.*names: a, b/);
  });
  it('refuses an unknown Input node name, listing the known ones', async () => {
    const e = await failure(['c=poisson:rate=1'], { a: [3], b: [2] });
    expect(e.message).toMatch(/unknown Input node 'c'.*Input nodes: a, b/);
  });
  it('refuses two inputs for one node', async () => {
    expect((await failure(['x=poisson:rate=1', 'x=poisson:rate=2'])).message).toMatch(/two inputs/);
  });
  it('a file whose name contains = is still a file', async () => {
    file('r=1.csv', '0,1\n');
    expect((await parse(['r=1.csv'])).get('x')).toMatchObject({ kind: 'dense', steps: 1 });
  });
  it('refuses an input for a graph without Input nodes', async () => {
    const net = network();
    net.spikeSource('s', 2, { rate: 5 });
    const g = net.toGraph();
    await expect(parseInputSpecs(['poisson:rate=1'], g, analyze(g).shapes!)).rejects.toThrow(/no Input node/);
  });
});

describe('unreadable files and unknown forms', () => {
  it('names the missing file', async () => {
    const e = await failure(['missing.npy']);
    expect(e.diagnostics[0]).toMatchObject({ code: 'E_NOT_FOUND', file: 'missing.npy' });
    expect(e.message).toMatch(/input file not found/);
    expect((await failure(['trace:nope.csv'], { x: [1] })).diagnostics[0]!.file).toBe('nope.csv');
  });
  it('names a file that is a directory', async () => {
    mkdirSync(join(dir, 'folder.npy'), { recursive: true });
    const e = await failure(['folder.npy']);
    expect(e.diagnostics[0]).toMatchObject({ code: 'E_IS_DIRECTORY', file: 'folder.npy' });
    expect(e.message).toMatch(/input file is a directory/);
  });
  it('refuses an unknown form with a hint', async () => {
    expect((await failure(['spikes.txt'])).message).toMatch(/cannot tell the input form.*poisson:rate=HZ/);
  });
});
