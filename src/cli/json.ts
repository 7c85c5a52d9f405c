import { statSync } from 'node:fs';
import { cpus } from 'node:os';
import { NeuromeshError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { fileWriteError, systemCode } from '../io/file-error.js';
import { setOwn } from '../own.js';

/**
 * JSON outputs of every command (docs/semantics.md §5): `{ schema, config, …body, host }`.
 *
 * Determinism: everything except `host` is byte-identical across runs with the same inputs.
 * To get there the serializer below fixes the key order (top level: schema, config, body keys
 * sorted, host last; every nested object: keys sorted), turns typed arrays into arrays and Maps
 * into objects, and formats numbers with JavaScript's shortest round-trip representation.
 * Wall-clock timings and host details belong under `host` only.
 */

export type JsonScalar = string | number | boolean | null;
export type JsonValue = JsonScalar | JsonValue[] | { [key: string]: JsonValue };

/** Host details and wall-clock timings (ignored by determinism checks). */
export interface HostSection {
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  /** Wall-clock seconds per stage, e.g. { load: 0.12, total: 0.3 }. */
  timings: Record<string, number>;
  [extra: string]: unknown;
}

export interface OutputDoc {
  schema: string;
  config: Record<string, unknown>;
  host?: HostSection;
  [key: string]: unknown;
}

/** Host section with the Node version, platform and the given timings (in seconds). */
export function hostSection(timings: Record<string, number> = {}, extra: Record<string, unknown> = {}): HostSection {
  return { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, timings, ...extra };
}

/**
 * Build an output document: `schema: "neuromesh/<kind>@<version>"`, the run configuration, the
 * command's body fields, and the host section. Body keys `schema`, `config` and `host` are refused
 * (they would silently shadow the envelope).
 */
export function makeDoc(kind: string, version: number, config: Record<string, unknown>, body: Record<string, unknown>, host?: HostSection): OutputDoc {
  for (const k of ['schema', 'config', 'host']) if (k in body) throw new Error(`output body must not contain '${k}'`);
  if (!/^[a-z][a-z0-9-]*$/.test(kind)) throw new Error(`bad output kind '${kind}'`);
  return { schema: `neuromesh/${kind}@${version}`, config, ...body, ...(host ? { host } : {}) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof Map);
}

/** Convert a value to plain JSON data: typed arrays → arrays, Maps → objects, bigint → number. */
export function toJsonValue(v: unknown, path = '$'): JsonValue | undefined {
  if (v === null) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`non-finite number ${v} at ${path} cannot be written as JSON`);
      return Object.is(v, -0) ? 0 : v;
    case 'bigint':
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(-Number.MAX_SAFE_INTEGER)) return v.toString();
      return Number(v);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const arr = v as unknown as ArrayLike<number | bigint>;
    // a packed array, and an element's path only for the rare element that needs a check (large traces)
    const out: JsonValue[] = [];
    for (let i = 0; i < arr.length; i++) {
      const x = arr[i]!;
      out.push(typeof x === 'number' && Number.isFinite(x) ? (x === 0 ? 0 : x) : toJsonValue(x, `${path}[${i}]`)!);
    }
    return out;
  }
  if (Array.isArray(v)) return v.map((x, i) => toJsonValue(x, `${path}[${i}]`) ?? null);
  const entries: [string, unknown][] = v instanceof Map ? [...v.entries()].map(([k, x]) => [String(k), x]) : isPlainObject(v) ? Object.entries(v) : [];
  if (!(v instanceof Map) && !isPlainObject(v)) throw new Error(`cannot write ${Object.prototype.toString.call(v)} at ${path} as JSON`);
  const out: { [key: string]: JsonValue } = {};
  for (const [k, x] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const j = toJsonValue(x, `${path}.${k}`);
    if (j !== undefined) setOwn(out, k, j);
  }
  return out;
}

function isScalar(v: JsonValue): v is JsonScalar {
  return v === null || typeof v !== 'object';
}

/**
 * Indented JSON where arrays of scalars stay on one line (spike trains, shapes, edges as pairs):
 * readable, diff-friendly and much smaller than one number per line.
 */
export function formatJson(v: JsonValue, indent = ''): string {
  if (isScalar(v)) return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every(isScalar)) return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
    return `[\n${v.map((x) => inner + formatJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${formatJson(v[k]!, inner)}`).join(',\n')}\n${indent}}`;
}

/** The canonical text of a document: envelope order schema, config, body (sorted), host; newline at the end. */
export function serializeDoc(doc: OutputDoc): string {
  const { schema, config, host, ...body } = doc;
  const top: { [key: string]: JsonValue } = { schema, config: toJsonValue(config, '$.config') ?? {} };
  const sortedBody = toJsonValue(body) as { [key: string]: JsonValue };
  for (const k of Object.keys(sortedBody)) setOwn(top, k, sortedBody[k]!);
  if (host) top.host = toJsonValue(host, '$.host') ?? {};
  return `${formatJson(top)}\n`;
}

export interface JsonOutputOptions {
  /** Write the document to this file (atomically). */
  path?: string;
  /** Write the document to stdout. */
  stdout?: boolean;
  /** Where stdout goes (tests); defaults to process.stdout. */
  out?: (text: string) => void;
}

/** Serialize a document and write it to a file (atomic) and/or stdout. Returns the text. */
export function writeJsonOutput(doc: OutputDoc, opts: JsonOutputOptions): string {
  const text = serializeDoc(doc);
  if (opts.path) {
    try {
      if (statSync(opts.path, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      writeFileAtomic(opts.path, text, 'JSON output');
    } catch (e) {
      // a path the user gave that cannot be written is bad input (exit 2), not a bug
      if (e instanceof NeuromeshError || !systemCode(e)) throw e;
      throw new NeuromeshError([fileWriteError(opts.path, e, 'JSON output')]);
    }
  }
  if (opts.stdout) (opts.out ?? ((t: string) => process.stdout.write(t)))(text);
  return text;
}

/** The document without its host section, as determinism checks compare it. */
export function withoutHost(text: string): string {
  const doc = JSON.parse(text) as Record<string, unknown>;
  delete doc.host;
  return JSON.stringify(doc);
}
