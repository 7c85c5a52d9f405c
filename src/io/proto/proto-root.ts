import protobuf from 'protobufjs';
import { GRAPH_PROTO } from './graph-schema.js';

/** The message types of graph.proto that the graph codec uses. */
export interface GraphTypes {
  root: protobuf.Root;
  GraphFile: protobuf.Type;
  FileHeader: protobuf.Type;
}

let cached: GraphTypes | undefined;

/**
 * Parse graph.proto once (keepCase: field names stay snake_case as in the schema). Other neuromesh
 * schemas (the compiled program) can be parsed into the same root with
 * `protobuf.parse(text, graphTypes().root, { keepCase: true })` to reuse TensorMsg and MetaMap.
 */
export function graphTypes(): GraphTypes {
  if (!cached) {
    const { root } = protobuf.parse(GRAPH_PROTO, { keepCase: true });
    root.resolveAll();
    cached = { root, GraphFile: root.lookupType('neuromesh.GraphFile'), FileHeader: root.lookupType('neuromesh.FileHeader') };
  }
  return cached;
}
