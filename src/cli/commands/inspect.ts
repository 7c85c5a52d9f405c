import { groupDigits } from '../../report/index.js';
import { Command } from 'commander';
import { graphStats, type GraphStats } from '../../graph/stats.js';
import { formatShape } from '../../graph/tensor.js';
import { loadAnalyzed, modelFormat } from '../../io/load.js';
import { guardOutput } from '../../io/output-guard.js';
import { printWarnings, processIO, type CliIO } from '../context.js';
import { hostSection, makeDoc, writeJsonOutput, type OutputDoc } from '../json.js';

/** Version of the `neuromesh/inspect` JSON schema (schemas/inspect.schema.json). */
export const INSPECT_SCHEMA_VERSION = 1;

interface InspectOptions {
  json?: boolean;
  output?: string;
}

/** 1234567 → "1,234,567" (fixed grouping, independent of the locale). */

/** The inspect document (docs/semantics.md §5) for a model path, without writing it anywhere. */
export async function inspectDoc(model: string, io: CliIO = processIO): Promise<{ doc: OutputDoc; stats: GraphStats }> {
  const t0 = performance.now();
  const { graph, shapes, warnings } = await loadAnalyzed(model);
  printWarnings(io, warnings);
  const t1 = performance.now();
  const stats = graphStats(graph, shapes);
  const t2 = performance.now();
  const doc = makeDoc(
    'inspect',
    INSPECT_SCHEMA_VERSION,
    { model, format: modelFormat(model) },
    { totals: stats.totals, nodes: stats.nodes, edges: stats.edges, nirVersion: stats.nirVersion },
    hostSection({ load: (t1 - t0) / 1000, stats: (t2 - t1) / 1000 }),
  );
  return { doc, stats };
}

/** The human-readable table: one row per node in evaluation order, then totals. */
export function formatInspectTable(model: string, stats: GraphStats): string {
  const header = ['node', 'kind', 'shape', 'neurons', 'synapses', 'stored', 'param bytes'];
  const rows = stats.nodes.map((n) => [
    n.name, n.kind, formatShape(n.shape), n.neurons ? groupDigits(n.neurons) : '-',
    n.synapses ? groupDigits(n.synapses.nonzero) : '-', n.synapses ? groupDigits(n.synapses.stored) : '-',
    n.parameterBytes ? groupDigits(n.parameterBytes) : '-',
  ]);
  const t = stats.totals;
  const total = ['total', '', '', groupDigits(t.neurons), groupDigits(t.synapses.nonzero), groupDigits(t.synapses.stored), groupDigits(t.parameterBytes)];
  const all = [header, ...rows, total];
  const width = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const numeric = (c: number): boolean => c >= 3;
  const line = (r: string[]): string => r.map((cell, c) => (numeric(c) ? cell.padStart(width[c]!) : cell.padEnd(width[c]!))).join('  ').trimEnd();
  const rule = width.map((w) => '-'.repeat(w)).join('  ');
  const version = stats.nirVersion ? `NIR ${stats.nirVersion}` : modelFormat(model) === 'nir' ? 'NIR file without a version attribute' : 'not from a NIR file';
  return [
    `${model}: ${stats.nodes.length} nodes, ${stats.edges.length} edges (${version})`,
    '',
    line(header), rule, ...rows.map(line), rule, line(total),
    '',
    `synapses: ${groupDigits(t.synapses.nonzero)} nonzero connections, ${groupDigits(t.synapses.dense)} in the equivalent dense matrices, ${groupDigits(t.synapses.stored)} stored weights`,
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('inspect')
    .description('Load a model (.nir or .nmg), validate it and print its nodes, neurons, synapses and parameter sizes.')
    .argument('<model>', 'model file: .nir (NIR, HDF5) or .nmg (neuromesh graph)')
    .option('--json', 'print the neuromesh/inspect@1 JSON document on stdout instead of the table')
    .option('-o, --output <file.json>', 'also write the JSON document to this file (atomically)')
    .addHelpText('after', `
Counts:
  neurons            elements of every neuron population (I, IF, LI, LIF, CubaLI, CubaLIF,
                     CurrentLIF, Threshold)
  synapses.nonzero   connections with a nonzero weight, a conv's kernel counted once per use
  synapses.dense     input × output pairs of the equivalent dense matrices
  synapses.stored    weights stored (a conv's shared kernel once)
  parameterBytes     bytes of every parameter array (dtype size × length)

Examples:
  $ neuromesh inspect cnn_sinabs.nir
  $ neuromesh inspect cnn_sinabs.nir --json | jq .totals
  $ neuromesh inspect model.nmg -o model.inspect.json`)
    .action(async (model: string, opts: InspectOptions) => {
      guardOutput(opts.output, { inputs: [[model, 'model file']] });
      // warnings go to stderr even with --quiet (they are diagnostics, not notes)
      const { doc, stats } = await inspectDoc(model, processIO);
      if (opts.output) writeJsonOutput(doc, { path: opts.output });
      if (opts.json) writeJsonOutput(doc, { stdout: true });
      else processIO.out(formatInspectTable(model, stats));
    });
}
