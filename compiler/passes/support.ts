import { diag, NeuromeshError, type Diagnostic } from '../../src/errors.js';
import type { Graph } from '../../src/graph/graph.js';
import type { PassContext } from '../context.js';

/**
 * Every node's kind must be in the backend's `lower` table and pass its parameter check: one
 * Diagnostic per unsupported node, naming node and chip, before any work is done.
 */
export function supportCheck(graph: Graph, ctx: PassContext): { supported: number } {
  const { lower, id } = ctx.backend;
  const d: Diagnostic[] = [];
  const known = Object.keys(lower).join(', ');
  for (const node of graph.nodes) {
    const l = lower[node.kind];
    if (!l) {
      d.push(diag('E_UNSUPPORTED', `${node.kind} is not supported by chip '${id}'`, { node: node.name, chip: id, hint: `supported kinds: ${known}` }));
      continue;
    }
    if (l.check) d.push(...l.check(node, id).map((x) => ({ chip: id, node: node.name, ...x })));
  }
  const errors = d.filter((x) => (x.severity ?? 'error') === 'error').map((x) => (ctx.file ? { file: ctx.file, ...x } : x));
  if (errors.length) throw new NeuromeshError(errors);
  ctx.diagnostics.push(...d);
  return { supported: graph.nodes.length };
}
