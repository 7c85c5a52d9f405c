import { analyze, type Edge, type FlatNode, type Graph } from '../../graph/graph.js';
import { isFlatKind, PRIMITIVES } from '../../graph/registry.js';
import { diag, isError, NeuromeshError, throwIfErrors, type Diagnostic, type ErrorCode } from '../../errors.js';
import { writeFileAtomic } from '../atomic-write.js';
import { FIELD_CODECS } from './field-codecs.js';
import type { FieldObj, GraphFileObj, NodeObj } from './graph-messages.js';
import { decodeMetadata, encodeMetadata } from './metadata-codec.js';
import { graphTypes } from './proto-root.js';
import { hasControl, printable } from './printable.js';
import { readRegularFile } from '../read-file.js';
import { verifyChecksum, withChecksum } from './checksum.js';

/** Version of graph.proto this build writes and the newest it reads. */
export const GRAPH_SCHEMA_VERSION = 2;

/** Field 1 of every .nmg file. */
export const GRAPH_MAGIC = 'neuromesh.graph';

/** Largest .nmg file readNmg accepts (refused before reading). */
export const MAX_NMG_BYTES = 2 ** 31 - 1;

/** At most this many diagnostics are reported for one file. */
const MAX_DIAGNOSTICS = 20;

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Graph → .nmg bytes (graph.proto, GraphFile). Node fields follow PRIMITIVES[kind].fields in table
 * order, so equal graphs give identical bytes. Throws NeuromeshError (exit 2) when a value cannot be
 * written faithfully (unknown kind, missing required field, wrong type, tensor shape ≠ data); it does
 * not run analyze() (writeNmg does).
 */
export function encodeGraph(g: Graph): Uint8Array {
  const d: Diagnostic[] = [];
  const nodes: NodeObj[] = g.nodes.map((n) => encodeNode(n, d));
  for (const e of g.edges)
    if (hasControl(e.from) || hasControl(e.to)) d.push(diag('E_BAD_NAME', `edge ${printable(e.from)} → ${printable(e.to)} names a node with a control character`));
  throwIfErrors(d.slice(0, MAX_DIAGNOSTICS));
  const msg: GraphFileObj = {
    magic: GRAPH_MAGIC,
    schema_version: GRAPH_SCHEMA_VERSION,
    nodes,
    edges: g.edges.map((e: Edge) => ({ source: e.from, target: e.to })),
  };
  if (g.nirVersion !== undefined) msg.nir_version = g.nirVersion;
  if (g.metadata !== undefined) msg.metadata = encodeMetadata(g.metadata);
  const { GraphFile } = graphTypes();
  const problem = GraphFile.verify(msg);
  if (problem) throw new NeuromeshError([diag('E_BAD_GRAPH', `cannot encode graph: ${problem}`)]);
  return withChecksum(GraphFile.encode(msg).finish());
}

function encodeNode(n: FlatNode, d: Diagnostic[]): NodeObj {
  const name = typeof n.name === 'string' ? n.name : String(n.name);
  const kind: string = n.kind;
  if (hasControl(name)) d.push(diag('E_BAD_NAME', 'node name contains a control character', { node: printable(name) }));
  if (!isFlatKind(kind)) {
    d.push(diag('E_UNKNOWN_KIND', `cannot encode unknown node type '${printable(String(kind))}'`, { node: printable(name) }));
    return { kind, name };
  }
  const rec = n as unknown as Record<string, unknown>;
  const fields: FieldObj[] = [];
  for (const spec of PRIMITIVES[kind].fields) {
    const v = rec[spec.name];
    if (v === undefined) {
      if (!spec.optional) d.push(diag('E_MISSING_FIELD', `required field of ${kind} is missing`, { node: name, field: spec.name }));
      continue;
    }
    const r = FIELD_CODECS[spec.type].encode(v, { node: name, field: spec.name });
    if ('code' in r) d.push(r as Diagnostic);
    else fields.push({ name: spec.name, ...r });
  }
  const out: NodeObj = { kind, name, fields };
  if (n.metadata !== undefined) out.metadata = encodeMetadata(n.metadata);
  return out;
}

/**
 * .nmg bytes → Graph. Checks, in order: the header (magic and schema version, so that another
 * file type or a newer schema is refused by name), the protobuf structure (protobufjs decode and
 * verify()), then every node against PRIMITIVES[kind].fields: known kind, required fields present,
 * no unknown or repeated field, the right value type, tensor byte lengths matching dtype × shape
 * (checked before any typed array is made). Does not run analyze() (readNmg does).
 * Throws NeuromeshError (exit 2) whose diagnostics are one line each.
 */
export function decodeGraph(bytes: Uint8Array, file?: string): Graph {
  const at = file ? { file } : {};
  const fail = (code: ErrorCode, message: string, hint?: string): never => {
    throw new NeuromeshError([diag(code, message, { ...at, ...(hint ? { hint } : {}) })]);
  };
  if (!(bytes instanceof Uint8Array)) fail('E_NOT_NMG', 'input is not a byte array');
  if (bytes.byteLength === 0) fail('E_NOT_NMG', 'file is empty, not a neuromesh graph (.nmg)');
  if (HDF5_SIGNATURE.every((b, i) => bytes[i] === b))
    fail('E_NOT_NMG', 'is an HDF5 file (a NIR model?), not a neuromesh graph (.nmg)', 'give NIR models the .nir extension');
  const sum = verifyChecksum(bytes);
  if (sum.kind === 'mismatch') fail('E_CORRUPT', `is damaged: its checksum does not match its contents (stored ${sum.stored.slice(0, 12)}…, computed ${sum.actual.slice(0, 12)}…)`, 'write the file again: neuromesh convert model.nir model.nmg');
  const { GraphFile, FileHeader } = graphTypes();
  const looksLikeNmg = startsWithMagic(bytes);

  let header: { magic?: string; schema_version?: number };
  try {
    header = FileHeader.toObject(FileHeader.decode(bytes)) as typeof header;
  } catch (e) {
    return looksLikeNmg
      ? fail('E_CORRUPT', `truncated or corrupt .nmg file (${firstLine(e)})`)
      : fail('E_NOT_NMG', 'is not a neuromesh graph (.nmg): not a protobuf file', 'a .nmg file is written by `neuromesh convert model.nir model.nmg`');
  }
  if (header.magic !== GRAPH_MAGIC) {
    const m = typeof header.magic === 'string' && /^neuromesh\.[a-z]+$/.test(header.magic) ? header.magic : undefined;
    return m
      ? fail('E_NOT_NMG', `is a ${m} file, not a neuromesh graph (.nmg)`)
      : fail('E_NOT_NMG', 'is not a neuromesh graph (.nmg): the identity field is missing', 'a .nmg file is written by `neuromesh convert model.nir model.nmg`');
  }
  const version = header.schema_version ?? 0;
  if (version === 0) fail('E_VERSION', 'has no schema version', 'the file is corrupt or was not written by neuromesh');
  if (version > GRAPH_SCHEMA_VERSION)
    fail('E_VERSION', `written by a newer neuromesh (schema ${version}, this reads ≤ ${GRAPH_SCHEMA_VERSION})`, 'upgrade neuromesh');
  // schema 1 files have no checksum; from schema 2 on it is required
  if (version >= 2 && sum.kind !== 'ok') fail('E_CORRUPT', 'has no checksum (the file is damaged)', 'write the file again: neuromesh convert model.nir model.nmg');

  let msg: GraphFileObj;
  try {
    const decoded = GraphFile.decode(sum.kind === 'ok' ? sum.body : bytes);
    const problem = GraphFile.verify(decoded);
    if (problem) return fail('E_CORRUPT', `corrupt .nmg file (${problem})`);
    msg = GraphFile.toObject(decoded, { longs: String, enums: Number, arrays: true, oneofs: true, defaults: false }) as GraphFileObj;
  } catch (e) {
    return fail('E_CORRUPT', `truncated or corrupt .nmg file (${firstLine(e)})`);
  }
  return fromMessage(msg, at);
}

function fromMessage(msg: GraphFileObj, at: { file?: string }): Graph {
  const d: Diagnostic[] = [];
  const nodes: FlatNode[] = [];
  for (const [i, n] of (msg.nodes ?? []).entries()) {
    const node = decodeNode(n, i, at, d);
    if (node) nodes.push(node);
    if (d.length >= MAX_DIAGNOSTICS) break;
  }
  const edges: Edge[] = (msg.edges ?? []).map((e) => ({ from: e.source ?? '', to: e.target ?? '' }));
  for (const e of edges)
    if (hasControl(e.from) || hasControl(e.to)) {
      d.push(diag('E_BAD_NAME', `edge ${printable(e.from)} → ${printable(e.to)} names a node with a control character`, at));
      break;
    }
  const g: Graph = { nodes, edges };
  if (msg.nir_version !== undefined) g.nirVersion = msg.nir_version;
  if (msg.metadata) g.metadata = decodeMetadata(msg.metadata, at, d);
  throwIfErrors(d.slice(0, MAX_DIAGNOSTICS));
  return g;
}

function decodeNode(n: NodeObj, i: number, at: { file?: string }, d: Diagnostic[]): FlatNode | undefined {
  const name = n.name ?? '';
  const label = name ? printable(name) : `#${i}`;
  const kind = n.kind ?? '';
  if (hasControl(name)) d.push(diag('E_BAD_NAME', 'node name contains a control character', { ...at, node: label }));
  if (!isFlatKind(kind)) {
    d.push(diag('E_UNKNOWN_KIND', `unknown node type '${printable(kind, 40)}'`, { ...at, node: label, hint: 'supported: NIR 0.1–1.x primitives and SparseLinear, SpikeSource, CurrentLIF' }));
    return undefined;
  }
  const specs = PRIMITIVES[kind].fields;
  const given = new Map<string, FieldObj>();
  for (const f of n.fields ?? []) {
    const fname = f.name ?? '';
    if (!specs.some((s) => s.name === fname)) d.push(diag('E_UNKNOWN_FIELD', `${kind} has no field '${printable(fname, 40)}'`, { ...at, node: label, field: printable(fname, 40), hint: `fields: ${specs.map((s) => s.name).join(', ')}` }));
    else if (given.has(fname)) d.push(diag('E_BAD_FIELD', 'field given twice', { ...at, node: label, field: fname }));
    else given.set(fname, f);
  }
  const node: Record<string, unknown> = { kind, name };
  for (const spec of specs) {
    const f = given.get(spec.name);
    const where = { ...at, node: label, field: spec.name };
    if (!f) {
      if (!spec.optional) d.push(diag('E_MISSING_FIELD', `required field of ${kind} is missing`, where));
      continue;
    }
    const codec = FIELD_CODECS[spec.type];
    if (f.value !== codec.member) {
      d.push(diag('E_WRONG_TYPE', `expected ${spec.type}, found ${f.value ?? 'no value'}`, where));
      continue;
    }
    const v = codec.decode(f, where);
    if (typeof v === 'object' && v !== null && 'code' in v && 'message' in v) d.push(v as Diagnostic);
    else node[spec.name] = v;
  }
  if (n.metadata) node.metadata = decodeMetadata(n.metadata, { ...at, node: label }, d);
  return node as unknown as FlatNode;
}

function startsWithMagic(bytes: Uint8Array): boolean {
  // field 1, wire type 2 (0x0a), length, then the magic string
  if (bytes[0] !== 0x0a || bytes[1] !== GRAPH_MAGIC.length) return false;
  for (let i = 0; i < GRAPH_MAGIC.length; i++) if (bytes[2 + i] !== GRAPH_MAGIC.charCodeAt(i)) return false;
  return true;
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split('\n')[0] ?? 'decode failed').slice(0, 200);
}

/**
 * Read a .nmg file: size checked before reading, decoded (decodeGraph), then validated with
 * analyze(); every error names the file. Throws NeuromeshError (exit 2).
 */
export async function readNmg(path: string): Promise<Graph> {
  const g = decodeGraph(await readRegularFile(path, '.nmg file', MAX_NMG_BYTES), path);
  throwIfErrors(analyze(g, path).diagnostics.filter(isError).slice(0, MAX_DIAGNOSTICS));
  return g;
}

/**
 * Write a graph as .nmg, atomically (a temp file renamed into place). The graph is validated with
 * analyze() first, so every file written reads back with readNmg. Throws NeuromeshError (exit 2).
 */
export async function writeNmg(g: Graph, path: string): Promise<void> {
  throwIfErrors(analyze(g, path).diagnostics.filter(isError).slice(0, MAX_DIAGNOSTICS));
  writeFileAtomic(path, encodeGraph(g));
}
