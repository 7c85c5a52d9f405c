import { NeuromeshError } from '../../src/errors.js';
import { analyze, type Graph, type ShapeInfo } from '../../src/graph/graph.js';
import type { PassContext } from '../context.js';

/** Validate the graph and infer every node's shapes (errors name file and node). */
export function normalize(graph: Graph, ctx: PassContext): ShapeInfo {
  const { shapes, diagnostics } = analyze(graph, ctx.file);
  const errors = diagnostics.filter((d) => (d.severity ?? 'error') === 'error');
  if (errors.length || !shapes) throw new NeuromeshError(errors);
  ctx.diagnostics.push(...diagnostics);
  return shapes;
}
