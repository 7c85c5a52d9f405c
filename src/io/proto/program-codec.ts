import protobuf from 'protobufjs';
import { PROGRAM_SCHEMA_VERSION, type ChipProgram, type ModelStats, type PayloadCodec, type ProgramPopulation, type ProgramUnit, type ResourceRow, type RunConfig, type TimeModel } from '../../chip/program.js';
import { diag, NeuromeshError, type ErrorCode } from '../../errors.js';
import { writeFileAtomic } from '../atomic-write.js';
import { toLittleEndian } from './le-bytes.js';
import { PROGRAM_PROTO } from './program-schema.js';
import { readRegularFile } from '../read-file.js';
import { sha256Hex, verifyChecksum, withChecksum } from './checksum.js';
import { appendRecords } from './varint.js';
import { MAX_WEIGHT_SCALE } from '../../chip/weight-scale.js';
import { decodePopulations, type PopulationMsg } from './program-populations.js';

/** Field 1 of every .nmp file. */
export const PROGRAM_MAGIC = 'neuromesh.program';
const PAYLOAD_FIELD = 14;

let types: { ProgramFile: protobuf.Type; Header: protobuf.Type } | undefined;
function programTypes(): { ProgramFile: protobuf.Type; Header: protobuf.Type } {
  if (!types) {
    const { root } = protobuf.parse(PROGRAM_PROTO, { keepCase: true });
    root.resolveAll();
    const header = protobuf.parse('syntax = "proto3"; message H { string magic = 1; uint32 schema_version = 2; }', { keepCase: true }).root;
    types = { ProgramFile: root.lookupType('neuromesh.ProgramFile'), Header: header.lookupType('H') };
  }
  return types;
}

/** A chip's payload codec by family (the CLI passes the chip registry's; tests may pass their own chip's). */
export type CodecResolver = (family: string) => PayloadCodec<unknown> | undefined;

const le = toLittleEndian;
const MODEL_FIELDS = [
  ['neurons', 'neurons'], ['sources', 'sources'], ['relays', 'relays'], ['relaySynapses', 'relay_synapses'], ['biasInputs', 'bias_inputs'],
  ['synapses', 'synapses'], ['modelSynapses', 'model_synapses'], ['denseConnections', 'dense_connections'], ['storedWeights', 'stored_weights'],
] as const satisfies readonly (readonly [keyof ModelStats, string])[];

/** ChipProgram → .nmp bytes (program.proto around the chip codec's payload, with checksums). Equal programs give identical bytes. */
export function encodeProgram<P>(p: ChipProgram<P>, codec: PayloadCodec<P>): Uint8Array {
  const payload = codec.encode(p.payload);
  const msg = {
    magic: PROGRAM_MAGIC,
    schema_version: p.schemaVersion,
    graph_hash: p.graphHash,
    profile: { id: p.profile.id, family: p.profile.family, version: p.profile.version, mapping_hash: p.profile.mappingHash },
    config: { dt: p.config.dt, integrator: p.config.integrator, reset: p.config.reset, if_mode: p.config.ifMode, delay: p.config.delay,
      // absent means integrate, so programs compiled with the default keep their bytes
      ...(p.config.refractoryInput !== 'integrate' ? { refractory_input: p.config.refractoryInput } : {}) },
    seed: p.seed,
    // absent when 1, so a program that was not scaled has the same bytes as before the field existed
    ...(p.weightScale !== 1 ? { weight_scale: p.weightScale } : {}),
    populations: p.populations.map((q) => ({
      name: q.name, kind: q.kind, role: q.role, size: q.size, shape: q.shape,
      params: Object.keys(q.params).map((k) => ({ name: k, values: le(q.params[k]!), fixed: q.fixed[k] ? le(q.fixed[k]!) : new Uint8Array(0) })),
      bias: q.bias ? le(q.bias) : new Uint8Array(0),
      bias_fixed: q.fixedBias ? le(q.fixedBias) : new Uint8Array(0),
      receptors: q.receptors, spiking: q.spiking, output: q.output,
      coefficients: Object.keys(q.coefficients ?? {}).map((k) => ({ name: k, values: new Uint8Array(0), fixed: le(q.coefficients![k]!) })),
    })),
    model: Object.fromEntries(MODEL_FIELDS.map(([k, f]) => [f, p.model[k]])),
    units: p.units.map((u) => ({ kind: u.kind, label: u.label, node: u.node, has_grid: u.grid !== undefined, grid_x: u.grid?.[0] ?? 0, grid_y: u.grid?.[1] ?? 0 })),
    resources: p.resources.map((r) => ({ name: r.name, value: r.value, unit: r.unit, has_limit: r.limit !== undefined, limit: r.limit ?? 0 })),
    time: p.time.kind === 'tick' ? { kind: 'tick' } : { kind: 'event', lookahead: p.time.lookahead, unit: p.time.unit },
    payload_checksum: sha256Hex(payload),
  };
  const head = programTypes().ProgramFile.encode(msg).finish();
  return withChecksum(appendRecords(head, PAYLOAD_FIELD, [payload]));
}

interface Msg {
  graph_hash?: string;
  profile?: { id?: string; family?: string; version?: string; mapping_hash?: string };
  config?: { dt?: number; integrator?: string; reset?: string; if_mode?: string; delay?: number; refractory_input?: string };
  seed?: number;
  weight_scale?: number;
  populations?: PopulationMsg[];
  model?: Record<string, number>;
  units?: { kind?: string; label?: string; node?: string; has_grid?: boolean; grid_x?: number; grid_y?: number }[];
  resources?: { name?: string; value?: number; unit?: string; has_limit?: boolean; limit?: number }[];
  time?: { kind?: string; lookahead?: number; unit?: string };
  payload_checksum?: string;
  payload?: Uint8Array;
}

const UNIT_KINDS: ReadonlySet<string> = new Set(['core', 'tile', 'cell-group']);

/**
 * .nmp bytes → ChipProgram. Another file type, another schema version, a damaged file (checksum),
 * a chip family this neuromesh does not know, or any field out of range is a one-line Diagnostic (exit 2).
 */
export function decodeProgram(bytes: Uint8Array, codecFor: CodecResolver, file?: string): ChipProgram {
  const at = file ? { file } : {};
  const fail = (code: ErrorCode, message: string, hint?: string): never => {
    throw new NeuromeshError([diag(code, message, { ...at, ...(hint ? { hint } : {}) })]);
  };
  const recompile = 'recompile the model: neuromesh compile model --chip <profile> -o out.nmp';
  const sum = verifyChecksum(bytes);
  if (sum.kind === 'mismatch') fail('E_CORRUPT', `is damaged: its checksum does not match its contents (stored ${sum.stored.slice(0, 12)}…, computed ${sum.actual.slice(0, 12)}…)`, recompile);
  const { ProgramFile, Header } = programTypes();
  let header: { magic?: string; schema_version?: number };
  try {
    header = Header.toObject(Header.decode(bytes)) as typeof header;
  } catch {
    return fail('E_NOT_NMP', 'is not a neuromesh program (.nmp): not a protobuf file', 'a .nmp file is written by `neuromesh compile model --chip <profile> -o out.nmp`');
  }
  if (header.magic !== PROGRAM_MAGIC)
    return fail('E_NOT_NMP', typeof header.magic === 'string' && /^neuromesh\.[a-z]+$/.test(header.magic) ? `is a ${header.magic} file, not a neuromesh program (.nmp)` : 'is not a neuromesh program (.nmp): the identity field is missing');
  const version = header.schema_version ?? 0;
  if (version === 0) fail('E_VERSION', 'has no schema version');
  if (version > PROGRAM_SCHEMA_VERSION) fail('E_VERSION', `written by a newer neuromesh (schema ${version}, this reads ${PROGRAM_SCHEMA_VERSION})`, 'upgrade neuromesh');
  // schema 1 programs lack what a run now reads from the program (spike-source rates, model statistics)
  if (version < PROGRAM_SCHEMA_VERSION) fail('E_VERSION', `written by an older neuromesh (schema ${version}, this reads ${PROGRAM_SCHEMA_VERSION})`, recompile);
  if (sum.kind !== 'ok') return fail('E_CORRUPT', 'has no checksum (damaged, or written by a development build of neuromesh)', recompile);
  let m: Msg;
  try {
    m = ProgramFile.toObject(ProgramFile.decode(sum.body), { defaults: true, arrays: true }) as Msg;
  } catch (e) {
    return fail('E_CORRUPT', `truncated or corrupt .nmp file (${String((e as Error).message).split('\n')[0]})`);
  }
  try {
    const family = m.profile?.family ?? '';
    const codec = codecFor(family);
    if (!codec) return fail('E_UNKNOWN_CHIP', `was compiled for chip family '${family}', which this neuromesh does not have`, 'compile the model for one of the chips `neuromesh profiles` lists');
    const payloadBytes = m.payload ?? new Uint8Array(0);
    if (sha256Hex(payloadBytes) !== m.payload_checksum) fail('E_CORRUPT', 'corrupt .nmp file: the payload does not match its checksum', recompile);
    const cfg = m.config ?? {};
    const config: RunConfig = {
      dt: cfg.dt ?? 0, integrator: cfg.integrator === 'exact' ? 'exact' : 'euler', reset: cfg.reset === 'subtract' ? 'subtract' : 'zero',
      ifMode: cfg.if_mode === 'ode' ? 'ode' : 'step', delay: cfg.delay === 0 ? 0 : 1,
      refractoryInput: cfg.refractory_input === 'drop' ? 'drop' : 'integrate',
    };
    const ri = cfg.refractory_input ?? '';
    if (ri !== '' && ri !== 'integrate' && ri !== 'drop') fail('E_CORRUPT', `corrupt .nmp file: config.refractory_input is '${ri}', not integrate or drop`, recompile);
    if (!(config.dt > 0) || !Number.isFinite(config.dt)) fail('E_CORRUPT', `corrupt .nmp file: config.dt is ${config.dt}, not a positive number`);
    const populations: ProgramPopulation[] = decodePopulations(m.populations ?? [], fail);
    const model = {} as ModelStats;
    for (const [k, f] of MODEL_FIELDS) {
      const v = m.model?.[f] ?? 0;
      if (!Number.isSafeInteger(v) || v < 0) fail('E_CORRUPT', `corrupt .nmp file: model.${k} is ${v}, not a count`);
      model[k] = v;
    }
    const units: ProgramUnit[] = (m.units ?? []).map((u, i) => {
      if (!UNIT_KINDS.has(u.kind ?? '')) fail('E_CORRUPT', `corrupt .nmp file: unit ${i} has kind '${u.kind}'`);
      return { kind: u.kind as ProgramUnit['kind'], label: u.label ?? '', node: u.node ?? '', ...(u.has_grid ? { grid: [u.grid_x ?? 0, u.grid_y ?? 0] as [number, number] } : {}) };
    });
    const resources: ResourceRow[] = (m.resources ?? []).map((r) => ({ name: r.name ?? '', value: r.value ?? 0, unit: r.unit ?? '', ...(r.has_limit ? { limit: r.limit ?? 0 } : {}) }));
    const t = m.time ?? {};
    if (t.kind !== 'tick' && t.kind !== 'event') fail('E_CORRUPT', `corrupt .nmp file: time model '${t.kind}' (tick or event)`);
    const time: TimeModel = t.kind === 'event' ? { kind: 'event', lookahead: t.lookahead ?? 0, unit: t.unit ?? '' } : { kind: 'tick' };
    const seed = m.seed ?? 0;
    if (!Number.isSafeInteger(seed)) fail('E_CORRUPT', `corrupt .nmp file: seed ${seed} is not a safe integer`);
    const weightScale = m.weight_scale || 1;
    if (!(weightScale > 0 && weightScale <= MAX_WEIGHT_SCALE)) fail('E_CORRUPT', `corrupt .nmp file: weight scale ${weightScale} is not in (0, 10^6]`);
    return {
      schemaVersion: version, graphHash: m.graph_hash ?? '',
      profile: { id: m.profile?.id ?? '', family, version: m.profile?.version ?? '', mappingHash: m.profile?.mapping_hash ?? '' },
      config, seed, weightScale, populations, model, units, resources, time,
      payloadChecksum: m.payload_checksum ?? '',
      payload: codec.decode(payloadBytes, file),
    };
  } catch (e) {
    if (e instanceof NeuromeshError) throw e;
    return fail('E_CORRUPT', `corrupt .nmp file (${String((e as Error).message).split('\n')[0]})`);
  }
}

export function writeProgramFile<P>(p: ChipProgram<P>, codec: PayloadCodec<P>, path: string): number {
  const bytes = encodeProgram(p, codec);
  writeFileAtomic(path, bytes);
  return bytes.byteLength;
}

/** Largest .nmp file read (Node's readFile limit). */
export const MAX_NMP_BYTES = 2 ** 31 - 1;

export async function readProgramFile(path: string, codecFor: CodecResolver): Promise<ChipProgram> {
  return decodeProgram(await readRegularFile(path, 'program', MAX_NMP_BYTES), codecFor, path);
}
