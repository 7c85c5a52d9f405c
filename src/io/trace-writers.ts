import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { diag, NeuromeshError } from '../errors.js';
import { numel } from '../graph/tensor.js';
import type { RunResult } from '../reference/simulate.js';
import { writeFileAtomic } from './atomic-write.js';
import { writeDirAtomic } from './atomic-dir.js';
import { writeNpy } from './npy.js';

/**
 * Where `simulate -o PATH` writes, chosen by PATH:
 *   *.json          the neuromesh/simulate@1 document (config, spikes, traces, counts, totals, host)
 *   *.csv           one row per value: `node,var,step,neuron,value`; spikes are rows with var `spike`
 *                   and value 1 (sorted by node, step, neuron), traces rows with var v/i/y/…;
 *                   the first line is a `# neuromesh/simulate@1 config={…}` comment
 *   *.npy           exactly one recorded array: a spike raster uint8 [steps, …node shape] or a
 *                   trace float64 [steps, neurons]; anything else is refused (record one thing,
 *                   or write a directory)
 *   DIR/ or an existing directory
 *                   simulate.json (the document) plus <node>.spikes.npy (uint8 [steps, …shape])
 *                   and <node>.<var>.npy (float64 [steps, neurons]) per recorded item
 */
export type OutputKind = 'json' | 'csv' | 'npy' | 'dir';

export function outputKind(path: string): OutputKind {
  if (path.endsWith('/') || path.endsWith('\\')) return 'dir';
  // a directory output says so with its trailing slash: `-o .` or `-o results` naming an existing
  // directory is more likely a slip than a wish to drop files into it (the parent, the root)
  if (existsSync(path) && statSync(path).isDirectory())
    throw new NeuromeshError([diag('E_IS_DIRECTORY', `-o ${path} is a directory`, { field: 'output', hint: `write -o ${path}/ to put simulate.json and one .npy per recorded item in it, or name a file (run.json, run.csv, run.npy)` })]);
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.csv') return 'csv';
  if (ext === '.npy') return 'npy';
  throw new NeuromeshError([diag('E_BAD_OPTION', `cannot tell the output format of '${path}'`, {
    field: 'output', hint: 'use -o run.json, run.csv, run.npy or a directory ending in /',
  })]);
}

/** Dense spike raster [steps, …shape] (1 where the node spiked) of one recorded node. */
export function spikeRaster(r: RunResult, node: string): { data: Uint8Array; shape: number[] } {
  const shape = r.shapes.get(node)!;
  const n = numel(shape);
  const s = r.spikes.get(node)!;
  const data = new Uint8Array(r.config.steps * n);
  for (let k = 0; k < s.steps.length; k++) data[s.steps[k]! * n + s.neurons[k]!] = 1;
  return { data, shape: [r.config.steps, ...shape] };
}

function fileSafe(name: string): string {
  return name.replace(/[\\/:*?"<>|\s]/g, '_');
}

function csvText(r: RunResult, header: string): string {
  const lines: string[] = [header, 'node,var,step,neuron,value'];
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (const [node, s] of r.spikes) for (let k = 0; k < s.steps.length; k++) lines.push(`${q(node)},spike,${s.steps[k]},${s.neurons[k]},1`);
  for (const [node, vars] of r.traces) {
    for (const [v, tr] of vars) {
      const k = tr.end - tr.start;
      const steps = tr.values.length / k;
      for (let t = 0; t < steps; t++) for (let j = 0; j < k; j++) lines.push(`${q(node)},${v},${t},${tr.start + j},${tr.values[t * k + j]}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Write the outputs of a run to `path` (format by outputKind). `docText` is the serialized JSON
 * document (also written into directories); `configLine` the JSON of the config for CSV headers.
 * Every file is written atomically. Returns the files written.
 */
export function writeSimulateOutputs(path: string, r: RunResult, docText: string, configJson: string, schema: string): string[] {
  const kind = outputKind(path);
  if (kind === 'json') {
    writeFileAtomic(path, docText);
    return [path];
  }
  if (kind === 'csv') {
    writeFileAtomic(path, csvText(r, `# ${schema} config=${configJson}`));
    return [path];
  }
  if (kind === 'npy') {
    const items = [...[...r.spikes.keys()].map((n) => `${n} spikes`), ...[...r.traces].flatMap(([n, vs]) => [...vs.keys()].map((v) => `${n}:${v}`))];
    if (items.length !== 1)
      throw new NeuromeshError([diag('E_BAD_OPTION', `an .npy file holds one array but ${items.length} items are recorded (${items.slice(0, 4).join(', ')}${items.length > 4 ? ', …' : ''})`, {
        file: path, field: 'output', hint: 'record exactly one thing (e.g. --record lif1:spikes), or write -o a directory/ or a .json file',
      })]);
    if (r.spikes.size === 1) {
      const { data, shape } = spikeRaster(r, [...r.spikes.keys()][0]!);
      writeFileAtomic(path, writeNpy(data, shape));
    } else {
      const tr = [...[...r.traces.values()][0]!.values()][0]!;
      const k = tr.end - tr.start;
      writeFileAtomic(path, writeNpy(tr.values, [tr.values.length / k, k]));
    }
    return [path];
  }
  // a directory: simulate.json plus one .npy per recorded item, all or nothing (writeDirAtomic)
  const items = new Map<string, () => string | Uint8Array>([['simulate.json', () => docText]]);
  for (const node of r.spikes.keys())
    items.set(`${fileSafe(node)}.spikes.npy`, () => {
      const { data, shape } = spikeRaster(r, node);
      return writeNpy(data, shape);
    });
  for (const [node, vars] of r.traces)
    for (const [v, tr] of vars)
      items.set(`${fileSafe(node)}.${fileSafe(v)}.npy`, () => {
        const k = tr.end - tr.start;
        return writeNpy(tr.values, [tr.values.length / k, k]);
      });
  return writeDirAtomic(path, [...items.keys()], (name) => items.get(name)!());
}
