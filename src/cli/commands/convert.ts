import { statSync } from 'node:fs';
import { Command } from 'commander';
import { graphStats } from '../../graph/stats.js';
import { checkOutputPath, loadAnalyzed, modelFormat, saveModel } from '../../io/load.js';
import { guardOutput } from '../../io/output-guard.js';
import { globalOptions, printWarnings, processIO } from '../context.js';
import { groupDigits } from '../../report/index.js';

const count = (n: number, unit: string): string => `${groupDigits(n)} ${unit}${n === 1 ? '' : 's'}`;

interface ConvertOptions {
  gzip?: boolean;
}

export function register(program: Command): void {
  program
    .command('convert')
    .description('Convert a model between NIR (.nir, HDF5) and the neuromesh graph format (.nmg, protobuf); the formats come from the extensions.')
    .argument('<in>', 'input model: .nir or .nmg')
    .argument('<out>', 'output model: .nir or .nmg (written atomically: no partial file on failure)')
    .option('--gzip', 'gzip-compress the datasets of a .nir output')
    .addHelpText('after', `
The input is validated (shapes, parameters) before anything is written. NIR cannot hold
neuromesh's own node kinds (SparseLinear, SpikeSource, CurrentLIF): keep those graphs in .nmg.

Examples:
  $ neuromesh convert cnn_sinabs.nir cnn.nmg
  $ neuromesh convert cnn.nmg cnn_copy.nir --gzip`)
    .action(async (input: string, output: string, opts: ConvertOptions, cmd: Command) => {
      // refuse a bad output path before reading a possibly large input
      const outFormat = checkOutputPath(output, { gzip: Boolean(opts.gzip) });
      const inFormat = modelFormat(input);
      guardOutput(output, { inputs: [[input, 'input model']], writable: true });
      const t0 = performance.now();
      const { graph, shapes, warnings } = await loadAnalyzed(input);
      printWarnings(processIO, warnings);
      await saveModel(graph, output, { gzip: Boolean(opts.gzip) });
      const ms = performance.now() - t0;
      const s = graphStats(graph, shapes);
      const size = statSync(output).size;
      const g = globalOptions(cmd);
      processIO.out(
        `${input} (${inFormat}) → ${output} (${outFormat}${opts.gzip ? ', gzip' : ''}): ${count(graph.nodes.length, 'node')}, ${count(graph.edges.length, 'edge')}, ` +
          `${count(s.totals.neurons, 'neuron')}, ${count(s.totals.parameterBytes, 'parameter byte')}, ${count(size, 'byte')} written` +
          (g.verbose ? ` in ${ms.toFixed(0)} ms` : ''),
      );
    });
}
