import { renameSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { diag, NeuromeshError, throwIfErrors, type Diagnostic } from '../errors.js';
import { analyze, type Graph, type ShapeInfo } from '../graph/graph.js';
import { NIR_KINDS } from '../graph/registry.js';
import { fileAccessError, fileWriteError, systemCode } from './file-error.js';
import { guardOutput } from './output-guard.js';
import { tempSibling, tryRemove } from './atomic-write.js';
import { addPending, deletePending } from './pending-files.js';

/** Model file formats, chosen from the file extension. */
export type ModelFormat = 'nir' | 'nmg';

const EXTENSIONS: ReadonlyMap<string, ModelFormat> = new Map([['.nir', 'nir'], ['.nmg', 'nmg']]);
const FORMAT_HINT = 'model files end in .nir (NIR, HDF5) or .nmg (neuromesh protobuf graph)';

function fail(d: Diagnostic, cause?: unknown): never {
  const err = new NeuromeshError([d]);
  if (cause !== undefined) (err as Error & { cause?: unknown }).cause = cause;
  throw err;
}

/** The format of a model path from its extension (case-insensitive); a one-line Diagnostic otherwise. */
export function modelFormat(path: string): ModelFormat {
  const ext = extname(path).toLowerCase();
  const f = EXTENSIONS.get(ext);
  // a compiled program is a known file, just not a model: say so (only `run` takes a .nmp)
  if (!f && ext === '.nmp')
    fail(diag('E_UNKNOWN_FORMAT', 'is a compiled program (.nmp), not a model: this command needs the .nir or .nmg it was compiled from', { file: path, hint: 'only run takes a .nmp (neuromesh run x.nmp --chip …); compile, check, simulate, inspect and convert read models' }));
  if (!f)
    fail(diag('E_UNKNOWN_FORMAT', ext ? `unknown model file extension '${ext}'` : 'model file has no extension', { file: path, hint: FORMAT_HINT }));
  return f;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Refuses missing paths and directories before any reader sees them. */
function checkReadable(path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    fail(fileAccessError(path, e, 'model file'));
  }
  if (st.isDirectory()) fail(diag('E_IS_DIRECTORY', 'is a directory, not a model file', { file: path, hint: FORMAT_HINT }));
  if (!st.isFile()) fail(diag('E_READ', 'is not a regular file', { file: path, hint: FORMAT_HINT }));
}

/**
 * Any exception a reader lets escape that is not a NeuromeshError means the file broke the reader
 * in a way it did not anticipate: report it as bad input (exit 2) in one line, keeping the original
 * error as `cause` so that `--debug` can print its stack.
 */
function asReadError(path: string, format: ModelFormat, e: unknown): never {
  if (e instanceof NeuromeshError) throw e;
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] || 'unknown error';
  fail(diag('E_READ', `cannot read this ${format === 'nir' ? 'NIR' : '.nmg'} file: ${msg}`, {
    file: path, hint: 'the file may be truncated or corrupt; rerun with --debug for details',
  }), e);
}

/**
 * Load a model file into a flat Graph. The format comes from the extension: `.nir` (readNir) or
 * `.nmg` (readNmg). Unknown extensions, missing files and directories are refused with a one-line
 * Diagnostic before any reader runs. Readers are imported lazily so that a `.nmg` run never loads
 * the HDF5 WebAssembly module.
 */
export async function loadModel(path: string): Promise<Graph> {
  if (isDirectory(path)) fail(diag('E_IS_DIRECTORY', 'is a directory, not a model file', { file: path, hint: FORMAT_HINT }));
  const format = modelFormat(path);
  checkReadable(path);
  // importing a reader is not reading the file: a failure there is a bug (E_INTERNAL, exit 3)
  const read = format === 'nir' ? (await import('./nir.js')).readNir : (await import('./proto/graph-codec.js')).readNmg;
  try {
    return await read(path);
  } catch (e) {
    asReadError(path, format, e);
  }
}

/** A loaded and validated model: shapes inferred, warnings kept for the caller to print. */
export interface AnalyzedModel {
  graph: Graph;
  shapes: ShapeInfo;
  /** Non-fatal diagnostics (severity 'warning'). */
  warnings: Diagnostic[];
}

/** loadModel, then analyze(): structure, parameters, cycles, shapes. Throws on any error. */
export async function loadAnalyzed(path: string): Promise<AnalyzedModel> {
  const graph = await loadModel(path);
  const { shapes, diagnostics } = analyze(graph, path);
  const warnings = throwIfErrors(diagnostics);
  if (!shapes) fail(diag('E_INTERNAL', 'analysis returned no shapes and no error', { file: path }));
  return { graph, shapes, warnings };
}

export interface SaveOptions {
  /** gzip-compress the datasets of a `.nir` output (refused for `.nmg`). */
  gzip?: boolean;
}

/** Nodes that only `.nmg` can hold (neuromesh's own kinds). */
function nonNirNodes(graph: Graph): Graph['nodes'] {
  const nir = new Set<string>(NIR_KINDS);
  return graph.nodes.filter((n) => !nir.has(n.kind));
}

/**
 * Checks an output path before any work is done: a known extension, not a directory, options that
 * fit the format. Returns the format.
 */
export function checkOutputPath(path: string, opts: SaveOptions = {}): ModelFormat {
  if (isDirectory(path)) fail(diag('E_IS_DIRECTORY', 'output path is a directory', { file: path, hint: 'give a file name ending in .nir or .nmg' }));
  const format = modelFormat(path);
  if (opts.gzip && format !== 'nir')
    fail(diag('E_BAD_OPTION', '--gzip applies to .nir outputs only (.nmg arrays are stored raw)', { file: path, field: 'gzip', hint: 'drop --gzip or write a .nir file' }));
  return format;
}

/**
 * Write a graph to `path` in the format its extension names. Atomic: the writer writes a sibling
 * temp file (same extension), which is renamed over `path` only when writing succeeded; on any
 * failure the temp file is removed and an existing `path` is left untouched.
 */
export async function saveModel(graph: Graph, path: string, opts: SaveOptions = {}): Promise<void> {
  guardOutput(path);
  const format = checkOutputPath(path, opts);
  if (format === 'nir') {
    const own = nonNirNodes(graph);
    if (own.length)
      fail(diag('E_NOT_NIR', `NIR cannot hold a ${own[0]!.kind} node${own.length > 1 ? ` (nor ${own.length - 1} more of neuromesh's own kinds)` : ''}`, {
        file: path, node: own[0]!.name, hint: 'neuromesh kinds (SparseLinear, SpikeSource, CurrentLIF) need a .nmg output',
      }));
  }
  const ext = extname(path);
  const tmp = tempSibling(path.slice(0, path.length - ext.length), ext);
  addPending(tmp);
  const write: (g: Graph, p: string) => Promise<void> = format === 'nir'
    ? async (g, p) => (await import('./nir.js')).writeNir(g, p, { gzip: opts.gzip ?? false })
    : async (g, p) => (await import('./proto/graph-codec.js')).writeNmg(g, p);
  try {
    await write(graph, tmp);
    renameSync(tmp, path);
  } catch (e) {
    // diagnostics name the file the user asked for, not our temp file
    if (e instanceof NeuromeshError)
      throw new NeuromeshError(e.diagnostics.map((d) => (d.file === tmp ? { ...d, file: path } : d)));
    // file-system failures are about the output path the user gave (bad input); others are bugs
    if (systemCode(e)) fail(fileWriteError(path, e, 'output model'), e);
    throw e;
  } finally {
    deletePending(tmp);
    tryRemove(tmp);
  }
}
