/**
 * Base files of the hostile-input corpus (bench/hostile): small valid models, spike inputs and a
 * rates file, written into `<work>/base/`. Every case of cases.ts starts from these (copies,
 * corruptions, links). Only the graph codec and the .npy writer come from neuromesh; the `.nir`,
 * `.nmp` and `run.json` bases are made by the CLI itself (prepareBase), so they are whatever the
 * code under test writes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Graph } from '../../src/graph/graph.js';
import { f32, f64 } from '../../src/graph/tensor.js';
import { writeNpy } from '../../src/io/npy.js';
import { encodeGraph } from '../../src/io/proto/graph-codec.js';

/** Names that are keys of every plain JavaScript object (issue 11, class 3). */
export const OBJECT_KEY_NAMES = [
  'constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty', 'isPrototypeOf',
  'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__',
] as const;

const lif = (name: string, tau = 0.01): Graph['nodes'][number] => ({
  kind: 'LIF', name, tau: f32([tau]), r: f32([1]), v_leak: f32([0]), v_threshold: f32([1]),
});

/** Input 'in' [3] → Linear 'w' → LIF 'n' [2] → Output 'out': active under a 400 Hz Poisson input. */
export function smallGraph(): Graph {
  return {
    nodes: [
      { kind: 'Input', name: 'in', shape: [3] },
      { kind: 'Linear', name: 'w', weight: f32([150, 60, 20, 20, 90, 130], [2, 3]) },
      lif('n'),
      { kind: 'Output', name: 'out', shape: [2] },
    ],
    edges: [{ from: 'in', to: 'w' }, { from: 'w', to: 'n' }, { from: 'n', to: 'out' }],
  };
}

/**
 * A chain whose Input, populations and Output are named after object keys: `inName` → Linear →
 * LIF `names[0]` → Linear → LIF `names[1]` → … → Output `outName`.
 */
export function namedGraph(names: readonly string[], inName: string, outName: string): Graph {
  const nodes: Graph['nodes'] = [{ kind: 'Input', name: inName, shape: [2] }];
  const edges: Graph['edges'] = [];
  let prev = inName;
  names.forEach((name, k) => {
    const w = `w${k}`;
    nodes.push({ kind: 'Linear', name: w, weight: f32([150, 60, 70, 140], [2, 2]) }, lif(name));
    edges.push({ from: prev, to: w }, { from: w, to: name });
    prev = name;
  });
  nodes.push({ kind: 'Output', name: outName, shape: [2] });
  edges.push({ from: prev, to: outName });
  return { nodes, edges };
}

/** Input → Delay (`seconds`, float64) → Linear → LIF → Output; slow neurons so that dt = 1 s is sane. */
export function delayGraph(seconds: number): Graph {
  return {
    nodes: [
      { kind: 'Input', name: 'in', shape: [1] },
      { kind: 'Delay', name: 'd', delay: f64([seconds]) },
      { kind: 'Linear', name: 'w', weight: f32([2], [1, 1]) },
      lif('n', 100),
      { kind: 'Output', name: 'out', shape: [1] },
    ],
    edges: [{ from: 'in', to: 'd' }, { from: 'd', to: 'w' }, { from: 'w', to: 'n' }, { from: 'n', to: 'out' }],
  };
}

/** Input with a given shape (huge-integer cases put 2^32+5 here) → Output. */
export function shapeGraph(shape: number[]): Graph {
  return {
    nodes: [{ kind: 'Input', name: 'in', shape }, lif('n'), { kind: 'Output', name: 'out', shape }],
    edges: [{ from: 'in', to: 'n' }, { from: 'n', to: 'out' }],
  };
}

/** 64 LIF neurons driven by 16 inputs: `simulate --record all` of a few thousand steps is several MiB. */
export function wideGraph(): Graph {
  const w: number[] = [];
  for (let o = 0; o < 64; o++) for (let i = 0; i < 16; i++) w.push(((o * 7 + i * 13) % 17) * 10);
  return {
    nodes: [
      { kind: 'Input', name: 'in', shape: [16] },
      { kind: 'Linear', name: 'w', weight: f32(w, [64, 16]) },
      lif('n'),
      { kind: 'Output', name: 'out', shape: [64] },
    ],
    edges: [{ from: 'in', to: 'w' }, { from: 'w', to: 'n' }, { from: 'n', to: 'out' }],
  };
}

/** Node and spawn options of one CLI call. */
export interface Cli {
  node: string;
  main: string;
}

/** One CLI call making a base file; `required` ones stop the run, others only warn (their cases then fail). */
function cli(c: Cli, cwd: string, args: string[], required = true): void {
  const r = spawnSync(c.node, [c.main, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.status === 0) return;
  const msg = `base file: neuromesh ${args.join(' ')} exited ${r.status}: ${r.stderr.split('\n')[0]}`;
  if (required) throw new Error(msg);
  process.stderr.write(`warning: ${msg}\n`);
}

/** Dense 0/1 spikes [steps, size], deterministic. */
function spikes(steps: number, size: number): Float64Array {
  const a = new Float64Array(steps * size);
  for (let t = 0; t < steps; t++) for (let i = 0; i < size; i++) a[t * size + i] = (t * 3 + i * 5) % 4 === 0 ? 1 : 0;
  return a;
}

/** The base files, relative to `<work>/base`. */
export const BASE = {
  nmg: 'm.nmg', nir: 'm.nir', nmp: 'm.nmp', names: 'names.nmg', namesNmp: 'names.nmp', wide: 'wide.nmg',
  npy: 'in.npy', csv: 'in.csv', rates: 'run.json', profile: 'board.json',
} as const;

/**
 * Write the base files into `<work>/base` (a few CLI calls: convert, compile, simulate).
 * Returns the directory.
 */
export function prepareBase(work: string, c: Cli): string {
  const dir = join(work, 'base');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, BASE.nmg), encodeGraph(smallGraph()));
  writeFileSync(join(dir, BASE.names), encodeGraph(namedGraph(['constructor', 'toString', 'valueOf', 'hasOwnProperty'], '__proto__', 'isPrototypeOf')));
  writeFileSync(join(dir, BASE.wide), encodeGraph(wideGraph()));
  writeFileSync(join(dir, BASE.npy), writeNpy(spikes(40, 3), [40, 3]));
  writeFileSync(join(dir, BASE.csv), 'step,index\n1,0\n2,1\n3,2\n5,0\n8,1\n13,2\n21,0\n');
  writeFileSync(join(dir, BASE.profile), `${JSON.stringify({ extends: 'spinnaker2', id: 'board', version: '1' })}\n`);
  cli(c, dir, ['convert', BASE.nmg, BASE.nir, '-q']);
  cli(c, dir, ['compile', BASE.nmg, '--chip', 'spinnaker2', '-o', BASE.nmp, '-q']);
  cli(c, dir, ['compile', BASE.names, '--chip', 'spinnaker2', '-o', BASE.namesNmp, '-q'], false);
  cli(c, dir, ['simulate', BASE.nmg, '--input', 'poisson:rate=2000,seed=1', '--steps', '50', '-o', BASE.rates, '-q']);
  return dir;
}
