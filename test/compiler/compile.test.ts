import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { unpackSynapse } from '../../chips/spinnaker2/program-types.js';
import { NeuromeshError } from '../../src/errors.js';
import { f64 } from '../../src/graph/tensor.js';
import type { Graph } from '../../src/graph/graph.js';
import { backend, profileWith, smallGraph } from './helpers.js';
import { backendFor, loadProfile } from '../../chips/index.js';
import { spinnaker2Backend } from '../../chips/spinnaker2/backend.js';
import { asSpinnaker2Program } from '../../chips/spinnaker2/program-types.js';
import { buildCuba } from '../../examples/cuba.js';
import { checkRouting } from './checks.js';

describe('compile', () => {
  it('compiles a small network: neurons and synapses in = placed', () => {
    const g = smallGraph(4, 3);
    const { program, trace } = compile(g, backend());
    const nonzero = Array.from((g.nodes[1] as { weight: { data: Float64Array } }).weight.data).filter((w) => w !== 0).length;
    expect(program.payload.summary.neurons).toBe(3);
    expect(program.payload.summary.sources).toBe(4);
    expect(program.payload.summary.synapses).toBe(nonzero);
    expect(program.payload.cores.reduce((a, c) => a + c.words.length, 0)).toBe(nonzero);
    expect(program.payload.cores.reduce((a, c) => a + (c.hi - c.lo), 0)).toBe(7);
    expect(trace.map((t) => t.pass)).toEqual(['normalize', 'support', 'lower', 'delays', 'quantize', 'partition', 'place', 'route', 'emit', 'summarize']);
  });

  it('composes Linear → Scale → Linear into one projection whose weights are the matrix product', () => {
    const g: Graph = {
      nodes: [
        { kind: 'Input', name: 'in', shape: [2] },
        { kind: 'Linear', name: 'a', weight: f64([1, 2, 3, 4, 5, 6], [3, 2]) },
        { kind: 'Scale', name: 's', scale: f64([1, -1, 0.5]) },
        { kind: 'Affine', name: 'b', weight: f64([1, 1, 1, 0, 1, 0], [2, 3]), bias: f64([0.25, 0]) },
        { kind: 'CubaLIF', name: 'n', tau_syn: f64([0.01]), tau_mem: f64([0.02]), r: f64([1]), v_leak: f64([0]), v_threshold: f64([1]) },
      ],
      edges: [{ from: 'in', to: 'a' }, { from: 'a', to: 's' }, { from: 's', to: 'b' }, { from: 'b', to: 'n' }],
    };
    const { program } = compile(g, backend('spinnaker2'));
    // W = B · diag(s) · A = [[1,1,1],[0,1,0]]·diag(1,−1,.5)·[[1,2],[3,4],[5,6]] = [[0.5, 1], [−3, −4]]
    const words = program.payload.cores.flatMap((c) => Array.from(c.words, (w) => ({ ...unpackSynapse(w), shift: c.shifts[0]! })));
    const ws = words.map((w) => w.weight * 2 ** (w.shift - 15)).sort((a, b) => a - b);
    expect(ws).toEqual([-4, -3, 0.5, 1]);
    const n = program.populations.find((p) => p.name === 'n')!;
    expect(Array.from(n.bias!)).toEqual([0.25, 0]);
  });

  it('refuses an unsupported kind before any work, naming node and chip', () => {
    const be = backend('spinnaker2');
    const { Conv1d: _c, ...lower } = be.lower;
    const g: Graph = {
      nodes: [
        { kind: 'Input', name: 'in', shape: [1, 8] },
        { kind: 'Conv1d', name: 'conv', weight: f64([1, 1], [1, 1, 2]), bias: f64([0]), stride: [1], padding: [0], dilation: [1], groups: 1 },
        { kind: 'IF', name: 'if', r: f64([1]), v_threshold: f64([1]) },
      ],
      edges: [{ from: 'in', to: 'conv' }, { from: 'conv', to: 'if' }],
    };
    try {
      compile(g, { ...be, lower });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NeuromeshError);
      const d = (e as NeuromeshError).diagnostics[0]!;
      expect(d.code).toBe('E_UNSUPPORTED');
      expect(d.node).toBe('conv');
      expect(d.chip).toBe('spinnaker2');
    }
  });

  it('a graded LI output feeding a neuron is a Diagnostic naming the LI node', () => {
    const g: Graph = {
      nodes: [
        { kind: 'Input', name: 'in', shape: [2] },
        { kind: 'LI', name: 'li', tau: f64([0.01]), r: f64([1]), v_leak: f64([0]) },
        { kind: 'Linear', name: 'w', weight: f64([1, 1, 1, 1], [2, 2]) },
        { kind: 'LIF', name: 'lif', tau: f64([0.01]), r: f64([1]), v_leak: f64([0]), v_threshold: f64([1]) },
      ],
      edges: [{ from: 'in', to: 'li' }, { from: 'li', to: 'w' }, { from: 'w', to: 'lif' }],
    };
    expect(() => compile(g, backend('spinnaker2'))).toThrow(/li/);
    try {
      compile(g, backend('spinnaker2'));
    } catch (e) {
      const d = (e as NeuromeshError).diagnostics[0]!;
      expect(d.code).toBe('E_GRADED_VALUE');
      expect(d.node).toBe('li');
    }
  });
});

describe('.nmp codec', () => {
  it('round-trips a program: decode(encode(p)) re-encodes to the same bytes and keeps every core, word and route', async () => {
    const { encodeNmp, decodeNmp } = await import('../../chips/index.js');
    const { program } = compile(smallGraph(20, 30), backend('spinnaker2-48'), { seed: 3, maxNeuronsPerCore: { lif: 7 } });
    const bytes = encodeNmp(program);
    const back = asSpinnaker2Program(decodeNmp(bytes));
    expect(Buffer.from(encodeNmp(back)).equals(Buffer.from(bytes))).toBe(true);
    expect(back.payload.cores.length).toBe(program.payload.cores.length);
    back.payload.cores.forEach((c, i) => {
      const o = program.payload.cores[i]!;
      expect([c.chip, c.pe, c.lo, c.hi, c.key, c.mask, c.sramBytes]).toEqual([o.chip, o.pe, o.lo, o.hi, o.key, o.mask, o.sramBytes]);
      expect(Array.from(c.words)).toEqual(Array.from(o.words));
      expect(Array.from(c.rowKeys)).toEqual(Array.from(o.rowKeys));
    });
    expect(back.payload.routers).toEqual(program.payload.routers);
    expect(back.payload.summary).toEqual(program.payload.summary);
    expect(back.config).toEqual(program.config);
    expect(back.populations.map((p) => [p.name, p.size, p.role])).toEqual(program.populations.map((p) => [p.name, p.size, p.role]));
  });

  it('refuses other files and newer schemas in one line', async () => {
    const { decodeNmp } = await import('../../chips/index.js');
    expect(() => decodeNmp(new Uint8Array([0x0a, 0x0f, ...Buffer.from('neuromesh.graph'), 0x10, 0x01]))).toThrow(/is a neuromesh.graph file, not a neuromesh program/);
    expect(() => decodeNmp(new Uint8Array([0x0a, 0x11, ...Buffer.from('neuromesh.program'), 0x10, 0x09]))).toThrow(/newer neuromesh \(schema 9/);
    expect(() => decodeNmp(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(/not a neuromesh program/);
  });

  it('refuses a schema 1 program with a hint to recompile (it lacks what runs now read from the program)', async () => {
    const { decodeNmp, encodeNmp } = await import('../../chips/index.js');
    const { program } = compile(smallGraph(5, 5), backend('spinnaker2'), { seed: 1 });
    const v1 = encodeNmp({ ...program, schemaVersion: 1 });
    let err: unknown;
    try {
      decodeNmp(v1, 'old.nmp');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ exitCode: 2, diagnostics: [{ code: 'E_VERSION', file: 'old.nmp' }] });
    expect(String((err as Error).message)).toMatch(/older neuromesh \(schema 1, this reads 2\).*recompile/);
  });

  it('program.proto and the embedded schema text agree', async () => {
    const { readFileSync } = await import('node:fs');
    const { PROGRAM_PROTO } = await import('../../src/io/proto/program-schema.js');
    const { REPO } = await import('../helpers/shared.js');
    expect(PROGRAM_PROTO).toBe(readFileSync(`${REPO}/src/io/proto/program.proto`, 'utf8'));
    const { SPINNAKER2_PAYLOAD_PROTO } = await import('../../chips/spinnaker2/payload-schema.js');
    expect(SPINNAKER2_PAYLOAD_PROTO).toBe(readFileSync(`${REPO}/chips/spinnaker2/payload.proto`, 'utf8'));
  });

  it('a program runs with a profile of the same mapping sections (energy may differ), and is refused with one whose machine, limits or formats differ', async () => {
    const { acceptProgram } = await import('../../src/chip/accept.js');
    const { mappingDifferences, mappingHash } = await import('../../src/chip/profile-hash.js');
    const { program } = compile(smallGraph(6, 5), backend('spinnaker2'), { seed: 1 });
    expect(program.profile.mappingHash).toMatch(/^[0-9a-f]{32}$/);
    const cheaper = profileWith('spinnaker2', { energy: { synapticEvent: { value: 1e-12, unit: 'J', assumed: 'test: a cost sweep' } } });
    expect(mappingHash(cheaper)).toBe(program.profile.mappingHash);
    expect(() => acceptProgram(program, spinnaker2Backend(cheaper), 'p.nmp')).not.toThrow();
    const smaller = profileWith('spinnaker2', { chip: { routerEntries: { value: 64, unit: 'entry', assumed: 'test' } } });
    expect(mappingDifferences(loadProfile('spinnaker2'), smaller)).toEqual(['chip']);
    let err: unknown;
    try {
      acceptProgram(program, spinnaker2Backend(smaller), 'p.nmp');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ exitCode: 2, diagnostics: [{ code: 'E_PROFILE_MISMATCH', file: 'p.nmp', field: 'chip' }] });
    expect(() => acceptProgram(program, backend('spinnaker2-48'), 'p.nmp')).toThrow(/compiled for 'spinnaker2'.*maps differently/);
  });
});

describe('activity-weighted placement', () => {
  it('traffic and link loads follow the given spike counts; silent sources cost nothing', () => {
    const g = smallGraph(40, 30);
    const be = backend('spinnaker2-48');
    const base = compile(g, be, { maxNeuronsPerCore: { '*': 4 } }).program.payload.summary;
    const loud = compile(g, be, { maxNeuronsPerCore: { '*': 4 }, activity: { in: 10, lif: 10 } }).program.payload.summary;
    const silent = compile(g, be, { maxNeuronsPerCore: { '*': 4 }, activity: { in: 0, lif: 0 } }).program.payload.summary;
    expect(loud.traffic.meshHops).toBeCloseTo(10 * base.traffic.meshHops, 6);
    expect(loud.placement.naiveCost).toBeCloseTo(10 * base.placement.naiveCost, 6);
    expect(silent.placement.naiveCost).toBe(0);
    expect(silent.traffic.meshHops).toBe(0);
    expect(() => compile(g, be, { activity: { in: [1, 2, 3] } })).toThrow(/3 values for 40 neurons/);
  });
});

describe('delay extension', () => {
  it('synapses with delays past the ring buffer arrive through IF relays at the same step', () => {
    const pre = 6;
    const delays = [0, 3, 15, 16, 17, 31, 32, 33, 47, 50];
    const indptr = new Uint32Array(pre + 1);
    const indices: number[] = [];
    const delay: number[] = [];
    const weight: number[] = [];
    for (let i = 0; i < pre; i++) {
      for (let k = 0; k < delays.length; k++) {
        indices.push((i + k) % 4);
        delay.push(delays[(i * 3 + k) % delays.length]!);
        weight.push(0.25 * (k + 1));
      }
      indptr[i + 1] = indices.length;
    }
    const g: Graph = {
      nodes: [
        { kind: 'Input', name: 'in', shape: [pre] },
        { kind: 'SparseLinear', name: 'syn', in_size: pre, out_size: 4, indptr, indices: Uint32Array.from(indices), weight: f64(weight), delay: Uint32Array.from(delay), receptor: 0 },
        { kind: 'LIF', name: 'lif', tau: f64([0.01]), r: f64([1]), v_leak: f64([0]), v_threshold: f64([1]) },
      ],
      edges: [{ from: 'in', to: 'syn' }, { from: 'syn', to: 'lif' }],
    };
    const { program, network } = compile(g, backend('spinnaker2'));
    expect(program.payload.summary.synapses).toBe(indices.length);
    expect(program.payload.summary.relays).toBe(3 * pre); // 50 needs ⌈(50 − 15) / 16⌉ = 3 hops
    expect(program.payload.summary.relaySynapses).toBe(3 * pre);
    // follow every placed synapse back to the input neuron, adding 16 steps per relay hop
    const depth = (p: number): [number, number] => {
      let d = 0;
      let cur = p;
      while (network.populations[cur]!.role === 'relay') {
        const feed = network.projections.find((x) => x.post === cur && x.relay)!;
        expect(Array.from(feed.delay!)).toEqual(new Array(pre).fill(15));
        d += 16;
        cur = feed.pre;
      }
      return [cur, d];
    };
    const got: string[] = [];
    for (const pr of network.projections) {
      if (pr.relay) continue;
      const [src, extra] = depth(pr.pre);
      expect(network.populations[src]!.name).toBe('in');
      for (let i = 0; i < pre; i++)
        for (let s = pr.indptr[i]!; s < pr.indptr[i + 1]!; s++) {
          expect(pr.delay![s]!).toBeLessThanOrEqual(15);
          got.push(`${i}>${pr.target[s]} d${pr.delay![s]! + extra} w${pr.weight[s]}`);
        }
    }
    const want: string[] = [];
    for (let i = 0; i < pre; i++) for (let s = indptr[i]!; s < indptr[i + 1]!; s++) want.push(`${i}>${indices[s]} d${delay[s]} w${weight[s]}`);
    expect(got.sort()).toEqual(want.sort());
  });
});

describe('resource limits are Diagnostics naming what does not fit', () => {
  const diagOf = (f: () => unknown): { code: string; message: string; node?: string; chip?: string } => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(NeuromeshError);
      expect((e as NeuromeshError).exitCode).toBe(2);
      return (e as NeuromeshError).diagnostics[0]!;
    }
    throw new Error('expected a NeuromeshError');
  };

  it('a neuron whose synapses exceed a core is E_CORE_FULL naming the node', () => {
    const n = 30_000;
    const g: Graph = {
      nodes: [
        { kind: 'Input', name: 'in', shape: [n] },
        { kind: 'SparseLinear', name: 'fan', in_size: n, out_size: 1, indptr: Uint32Array.from({ length: n + 1 }, (_, i) => i), indices: new Uint32Array(n), weight: f64(new Float64Array(n).fill(0.1)), receptor: 0 },
        { kind: 'LIF', name: 'big', tau: f64([0.01]), r: f64([1]), v_leak: f64([0]), v_threshold: f64([1]) },
      ],
      edges: [{ from: 'in', to: 'fan' }, { from: 'fan', to: 'big' }],
    };
    const d = diagOf(() => compile(g, backend('spinnaker2')));
    expect(d.code).toBe('E_CORE_FULL');
    expect(d.node).toBe('big');
    expect(d.message).toMatch(/30000 incoming synapses/);
  });

  it('more slices than cores is E_MACHINE_FULL with the counts', () => {
    const d = diagOf(() => compile(smallGraph(200, 200), backend('spinnaker2'), { maxNeuronsPerCore: { '*': 1 } }));
    expect(d.code).toBe('E_MACHINE_FULL');
    expect(d.message).toMatch(/needs 400 cores but 'spinnaker2' has 148 usable cores/);
  });

  it('a router table that cannot be compressed enough is E_ROUTER_FULL naming the chip and its entries', () => {
    const be = backendFor(profileWith('spinnaker2', { chip: { routerEntries: { value: 1, unit: 'entry', assumed: 'test' } } }));
    const d = diagOf(() => compile(smallGraph(8, 8, 1), be, { maxNeuronsPerCore: { '*': 1 } }));
    expect(d.code).toBe('E_ROUTER_FULL');
    expect(d.message).toMatch(/1-entry router after compression: chip \(0, 0\): \d+ entries/);
  });

  it('CUBA 4000 × 80 on spinnaker2-48 (reported E_INVARIANT after route): every key of every slice reaches its targets, slice and exact routing, on one chip and spread over chips', () => {
    const g = buildCuba({ n: 4000, fanout: 80 });
    const spread = spinnaker2Backend(profileWith('spinnaker2-48', { chip: { usablePesPerChip: { value: 4, unit: 'PE', assumed: 'test: spread over chips' } } }));
    for (const [be, caps, chips] of [[backend('spinnaker2-48'), {}, 1], [spread, { '*': 100 }, 10]] as const)
      for (const routing of ['slice', 'exact'] as const) {
        const r = compile(g, be, { routing, maxNeuronsPerCore: caps });
        if (chips === 1) expect(r.program.payload.summary.chips).toBe(1);
        else expect(r.program.payload.summary.chips).toBeGreaterThanOrEqual(chips); // 40 slices, 4 cores per chip
        const s = checkRouting(r.program); // random fan-out: slices need more than 16 blocks, so exact routing falls back per slice
        expect(s.keys).toBe(4000);
        if (chips > 1) expect(s.maxLinks).toBeGreaterThanOrEqual(2);
      }
  });
});

describe('weight format against the synapse word', () => {
  it('a profile whose weight format is wider than the 16-bit weight field is refused naming the format (codes would wrap)', async () => {
    const { profileWith } = await import('./helpers.js');
    const { backendFor } = await import('../../chips/index.js');
    const wide = profileWith('spinnaker2', {
      formats: { w24: { kind: 'int', signed: true, bits: 24, assumed: 'test: wider than the synapse word' } },
      arithmetic: { weight: 'w24' },
    });
    expect(() => compile(smallGraph(5, 5), backendFor(wide), { seed: 1 })).toThrow(/E_PROFILE .*field 'formats\.w24'.*24 bits; a synapse word holds 16/);
  });
});

describe('.nmp spike sources', () => {
  it('a damaged spike source (no rate, or rates that do not fit its size) is E_CORRUPT, exit 2, not a crash or a silent run', async () => {
    const { decodeNmp, encodeNmp } = await import('../../chips/index.js');
    const { network } = await import('../../src/graph/builder.js');
    const { lif } = await import('../../src/graph/builder-models.js');
    const { allToAll } = await import('../../src/graph/connectors.js');
    const net = network({ name: 's' });
    const src = net.spikeSource('stim', 20, { rate: 300, seed: 1 });
    net.projection(src, net.population('p', 4, lif({ tau: 5e-3, v_threshold: 0.1 })), allToAll(), { weight: 0.1 });
    const { program } = compile(net.toGraph({ dt: 1e-4 }), backend('spinnaker2'), { seed: 0 });
    const srcPop = program.populations.findIndex((p) => p.name === 'stim');
    expect(program.populations[srcPop]!.params.rate!.length).toBe(20);
    const damaged = (params: Record<string, Float64Array>) => {
      const populations = program.populations.map((p, i) => (i === srcPop ? { ...p, params } : p));
      return () => decodeNmp(encodeNmp({ ...program, populations }), 'x.nmp');
    };
    expect(damaged({})).toThrow(/E_CORRUPT x\.nmp: corrupt \.nmp file: spike source 'stim' \(20 neurons\) needs exactly one of rate and spikes/);
    expect(damaged({ rate: new Float64Array(3) })).toThrow(/has 3 rates, not 20/);
    expect(damaged({ spikes: new Float64Array(30) })).toThrow(/not whole steps/);
    expect(decodeNmp(encodeNmp(program)).populations[srcPop]!.params.rate!.length).toBe(20);
  });
});

describe('generic mapping checks', () => {
  it('every neuron needs exactly one owning unit, and every synapse must be stored as often as the chip declares', async () => {
    const { verifyOwners, verifyStored } = await import('../../compiler/verify.js');
    const { network: net } = compile(smallGraph(6, 4), backend('spinnaker2'), { seed: 1 });
    const sizes = net.populations.map((p) => p.size);
    const owners = sizes.map((n) => new Int32Array(n));
    expect(() => verifyOwners(net, { units: 1, owner: owners })).not.toThrow();
    owners[owners.length - 1]![0] = 1; // a unit that does not exist
    expect(() => verifyOwners(net, { units: 1, owner: owners })).toThrow(/E_INVARIANT after partition: neuron 0 of .* has no owning unit/);
    expect(() => verifyOwners(net, { units: 1, owner: owners.slice(1) })).toThrow(/owner tables/);
    const synapses = net.projections.reduce((a, p) => a + p.target.length, 0);
    expect(() => verifyStored(net, { synapses, copies: 1 })).not.toThrow();
    expect(() => verifyStored(net, { synapses: synapses - 1, copies: 1 })).toThrow(/E_INVARIANT after emit: .* synapses stored/);
  });
});

describe('no quantization at run time', () => {
  it('the program holds the decay and gain codes; a run reads them and refuses a program without them (E_CORRUPT)', async () => {
    const { decodeNmp, encodeNmp } = await import('../../chips/index.js');
    const { prepareRun } = await import('../../chips/spinnaker2/run.js');
    const b = backend('spinnaker2');
    const { program } = compile(smallGraph(5, 5), b, { seed: 1 });
    const lif = program.populations.find((p) => p.kind === 'LIF')!;
    expect(Object.keys(lif.coefficients!).sort()).toEqual(['a', 'g']);
    const back = decodeNmp(encodeNmp(program));
    expect(back.populations.find((p) => p.kind === 'LIF')!.coefficients).toEqual(lif.coefficients);
    const stripped = { ...program, populations: program.populations.map((p) => ({ ...p, coefficients: {} })) };
    expect(() => prepareRun(stripped, b.profile, { steps: 1 })).toThrow(/E_CORRUPT .*lacks coefficient 'a'.*recompile/);
  });
});
