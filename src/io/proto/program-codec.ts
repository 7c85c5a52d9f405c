import protobuf from 'protobufjs';
import { PROGRAM_SCHEMA_VERSION, type ChipProgram, type CompileSummary, type ProgramCore, type ProgramPopulation, type RouterTable, type RunConfig } from '../../chip/program.js';
import type { NodeKind } from '../../graph/graph.js';
import { diag, NeuromeshError, type ErrorCode } from '../../errors.js';
import { writeFileAtomic } from '../atomic-write.js';
import { fromLittleEndian, toLittleEndian } from './le-bytes.js';
import { PROGRAM_PROTO } from './program-schema.js';
import { readRegularFile } from '../read-file.js';
import { setOwn } from '../../own.js';

/** Field 1 of every .nmp file. */
export const PROGRAM_MAGIC = 'neuromesh.program';

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

const le = (a: Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array): Uint8Array => toLittleEndian(a);

/** ChipProgram → .nmp bytes (program.proto). Equal programs give identical bytes. */
export function encodeProgram(p: ChipProgram): Uint8Array {
  const chips = new Int32Array(p.machine.chips.length * 2);
  p.machine.chips.forEach(([x, y], i) => {
    chips[2 * i] = x;
    chips[2 * i + 1] = y;
  });
  const msg = {
    magic: PROGRAM_MAGIC,
    schema_version: p.schemaVersion,
    graph_hash: p.graphHash,
    profile: { ...p.profile },
    config: { dt: p.config.dt, integrator: p.config.integrator, reset: p.config.reset, if_mode: p.config.ifMode, delay: p.config.delay },
    seed: p.seed,
    machine: {
      chips: le(chips), cores_per_chip: p.machine.coresPerChip, usable_cores_per_chip: p.machine.usableCoresPerChip,
      links_per_chip: p.machine.linksPerChip, neighbour: le(p.machine.neighbour),
    },
    populations: p.populations.map((q) => ({
      name: q.name, kind: q.kind, role: q.role, size: q.size, shape: q.shape,
      params: Object.keys(q.params).map((k) => ({ name: k, values: le(q.params[k]!), fixed: q.fixed[k] ? le(q.fixed[k]!) : new Uint8Array(0) })),
      bias: q.bias ? le(q.bias) : new Uint8Array(0),
      bias_fixed: q.fixedBias ? le(q.fixedBias) : new Uint8Array(0),
      receptors: q.receptors, spiking: q.spiking, output: q.output,
      coefficients: Object.keys(q.coefficients ?? {}).map((k) => ({ name: k, values: new Uint8Array(0), fixed: le(q.coefficients![k]!) })),
    })),
    routers: p.routers.map((r) => {
      const n = r.entries.length;
      const keys = new Uint32Array(n);
      const masks = new Uint32Array(n);
      const links = new Uint8Array(n);
      const start = new Uint32Array(n + 1);
      const cores: number[] = [];
      r.entries.forEach((e, i) => {
        keys[i] = e.key;
        masks[i] = e.mask;
        links[i] = e.links.reduce((a, l) => a | (1 << l), 0);
        cores.push(...e.cores);
        start[i + 1] = cores.length;
      });
      return { chip: r.chip, entries_before: r.entriesBefore, keys: le(keys), masks: le(masks), links, core_start: le(start), cores: le(Uint16Array.from(cores)) };
    }),
    summary_json: JSON.stringify(p.summary),
  };
  // the cores hold the bulk (synapse words): they are written by hand (protobufjs's writer copies
  // large nested messages several times) and appended as field 9 records, which any protobuf
  // reader merges into the repeated field
  const head = programTypes().ProgramFile.encode(msg).finish();
  const records = p.cores.map(encodeCore);
  let total = head.byteLength;
  for (const r of records) total += 1 + varintSize(r.byteLength) + r.byteLength;
  const out = new Uint8Array(total);
  out.set(head, 0);
  let pos = head.byteLength;
  for (const r of records) {
    out[pos++] = (9 << 3) | 2;
    pos = writeVarint(out, pos, r.byteLength);
    out.set(r, pos);
    pos += r.byteLength;
  }
  return out;
}

function varintSize(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function writeVarint(buf: Uint8Array, pos: number, v: number): number {
  while (v >= 128) {
    buf[pos++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

/** One ProgramCore message in protobuf wire format (proto3: zero scalars omitted). */
function encodeCore(c: ProgramCore): Uint8Array {
  const scalars: [number, number][] = [[1, c.chip], [2, c.pe], [3, c.slice], [4, c.pop], [5, c.lo], [6, c.hi], [7, c.key], [8, c.mask]];
  const bytes: [number, Uint8Array][] = [[10, le(c.rowKeys)], [11, le(c.rowStart)], [12, le(c.words)]];
  let shiftsLen = 0;
  for (const v of c.shifts) shiftsLen += varintSize(v);
  let size = 0;
  for (const [, v] of scalars) if (v) size += 1 + varintSize(v);
  if (c.shifts.length) size += 1 + varintSize(shiftsLen) + shiftsLen;
  for (const [, b] of bytes) if (b.byteLength) size += 1 + varintSize(b.byteLength) + b.byteLength;
  if (c.sramBytes) size += 1 + varintSize(c.sramBytes);
  const out = new Uint8Array(size);
  let pos = 0;
  for (const [f, v] of scalars)
    if (v) {
      out[pos++] = f << 3;
      pos = writeVarint(out, pos, v);
    }
  if (c.shifts.length) {
    out[pos++] = (9 << 3) | 2;
    pos = writeVarint(out, pos, shiftsLen);
    for (const v of c.shifts) pos = writeVarint(out, pos, v);
  }
  for (const [f, b] of bytes)
    if (b.byteLength) {
      out[pos++] = (f << 3) | 2;
      pos = writeVarint(out, pos, b.byteLength);
      out.set(b, pos);
      pos += b.byteLength;
    }
  if (c.sramBytes) {
    out[pos++] = 13 << 3;
    pos = writeVarint(out, pos, c.sramBytes);
  }
  return out;
}

interface Msg {
  magic?: string;
  schema_version?: number;
  graph_hash?: string;
  profile?: { id?: string; family?: string; version?: string };
  config?: { dt?: number; integrator?: string; reset?: string; if_mode?: string; delay?: number };
  seed?: number;
  machine?: { chips?: Uint8Array; cores_per_chip?: number; usable_cores_per_chip?: number; links_per_chip?: number; neighbour?: Uint8Array };
  populations?: {
    name?: string; kind?: string; role?: string; size?: number; shape?: number[]; receptors?: number; spiking?: boolean; output?: boolean;
    params?: { name?: string; values?: Uint8Array; fixed?: Uint8Array }[]; coefficients?: { name?: string; fixed?: Uint8Array }[]; bias?: Uint8Array; bias_fixed?: Uint8Array;
  }[];
  cores?: {
    chip?: number; pe?: number; slice?: number; pop?: number; lo?: number; hi?: number; key?: number; mask?: number; shifts?: number[];
    row_keys?: Uint8Array; row_start?: Uint8Array; words?: Uint8Array; sram_bytes?: number;
  }[];
  routers?: { chip?: number; entries_before?: number; keys?: Uint8Array; masks?: Uint8Array; links?: Uint8Array; core_start?: Uint8Array; cores?: Uint8Array }[];
  summary_json?: string;
}

/** .nmp bytes → ChipProgram; another file type, a newer schema or a corrupt file is one-line Diagnostic (exit 2). */
/** A spike source's data must fit its size: rates one per neuron, spikes whole steps of counts ≥ 0. */
function checkSource(p: ProgramPopulation, fail: (code: 'E_CORRUPT', message: string) => never): void {
  const { rate, spikes } = p.params;
  const bad = (what: string): never => fail('E_CORRUPT', `corrupt .nmp file: spike source '${p.name}' (${p.size} neurons) ${what}`);
  if ((rate === undefined) === (spikes === undefined)) bad('needs exactly one of rate and spikes');
  if (rate && (rate.length !== p.size || rate.some((r) => !(r >= 0) || !Number.isFinite(r)))) bad(`has ${rate.length} rates, not ${p.size} finite values ≥ 0`);
  if (spikes && (p.size === 0 || spikes.length % p.size !== 0 || spikes.some((c) => !(c >= 0)))) bad(`has ${spikes.length} spike counts, not whole steps of counts ≥ 0`);
}

export function decodeProgram(bytes: Uint8Array, file?: string): ChipProgram {
  const at = file ? { file } : {};
  const fail = (code: ErrorCode, message: string, hint?: string): never => {
    throw new NeuromeshError([diag(code, message, { ...at, ...(hint ? { hint } : {}) })]);
  };
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
  if (version < PROGRAM_SCHEMA_VERSION) fail('E_VERSION', `written by an older neuromesh (schema ${version}, this reads ${PROGRAM_SCHEMA_VERSION})`, 'recompile the model: neuromesh compile model --chip <profile> -o out.nmp');
  let m: Msg;
  try {
    m = ProgramFile.toObject(ProgramFile.decode(bytes), { defaults: true, arrays: true }) as Msg;
  } catch (e) {
    return fail('E_CORRUPT', `truncated or corrupt .nmp file (${String((e as Error).message).split('\n')[0]})`);
  }
  const arr = <T extends Float64Array | Int32Array | Uint32Array | Uint16Array>(b: Uint8Array | undefined, ctor: { new (buf: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, what: string): T => {
    const bytes = b ?? new Uint8Array(0);
    if (bytes.byteLength % ctor.BYTES_PER_ELEMENT !== 0) fail('E_CORRUPT', `corrupt .nmp file: ${what} has ${bytes.byteLength} bytes, not a multiple of ${ctor.BYTES_PER_ELEMENT}`);
    return fromLittleEndian(bytes, ctor);
  };
  try {
    const chipsFlat = arr(m.machine?.chips, Int32Array, 'machine.chips');
    const chips: [number, number][] = [];
    for (let i = 0; i + 1 < chipsFlat.length; i += 2) chips.push([chipsFlat[i]!, chipsFlat[i + 1]!]);
    const populations: ProgramPopulation[] = (m.populations ?? []).map((q, index) => {
      const params: Record<string, Float64Array> = {};
      const fixed: Record<string, Int32Array> = {};
      for (const pr of q.params ?? []) {
        setOwn(params, pr.name ?? '', arr(pr.values, Float64Array, `param ${pr.name}`));
        if (pr.fixed && pr.fixed.byteLength) setOwn(fixed, pr.name ?? '', arr(pr.fixed, Int32Array, `param ${pr.name}`));
      }
      const pop: ProgramPopulation = {
        index, name: q.name ?? '', kind: (q.kind ?? '') as NodeKind, role: q.role === 'source' ? 'source' : q.role === 'relay' ? 'relay' : 'neuron', size: q.size ?? 0, shape: q.shape ?? [],
        params, receptors: q.receptors ?? 1, spiking: q.spiking ?? false, output: q.output ?? false, fixed,
      };
      if (pop.kind === 'SpikeSource') checkSource(pop, fail);
      if (q.coefficients?.length) {
        const coefficients: Record<string, Int32Array> = {};
        for (const c of q.coefficients) setOwn(coefficients, c.name ?? '', arr(c.fixed, Int32Array, `coefficient ${c.name}`));
        pop.coefficients = coefficients;
      }
      if (q.bias && q.bias.byteLength) pop.bias = arr(q.bias, Float64Array, 'bias');
      if (q.bias_fixed && q.bias_fixed.byteLength) pop.fixedBias = arr(q.bias_fixed, Int32Array, 'bias_fixed');
      return pop;
    });
    const cores: ProgramCore[] = (m.cores ?? []).map((c) => ({
      chip: c.chip ?? 0, pe: c.pe ?? 0, slice: c.slice ?? 0, pop: c.pop ?? 0, lo: c.lo ?? 0, hi: c.hi ?? 0, key: c.key ?? 0, mask: c.mask ?? 0,
      shifts: c.shifts ?? [], rowKeys: arr(c.row_keys, Uint32Array, 'row_keys'), rowStart: arr(c.row_start, Uint32Array, 'row_start'),
      words: arr(c.words, Uint32Array, 'words'), sramBytes: c.sram_bytes ?? 0,
    }));
    const routers: RouterTable[] = (m.routers ?? []).map((r) => {
      const keys = arr(r.keys, Uint32Array, 'router keys');
      const masks = arr(r.masks, Uint32Array, 'router masks');
      const links = r.links ?? new Uint8Array(0);
      const start = arr(r.core_start, Uint32Array, 'router core_start');
      const pes = arr(r.cores, Uint16Array, 'router cores');
      if (masks.length !== keys.length || links.length !== keys.length || start.length !== keys.length + 1)
        fail('E_CORRUPT', `corrupt .nmp file: router of chip ${r.chip} has arrays of different lengths`);
      return {
        chip: r.chip ?? 0, entriesBefore: r.entries_before ?? 0,
        entries: Array.from(keys, (key, i) => ({
          key, mask: masks[i]!, links: [0, 1, 2, 3, 4, 5, 6, 7].filter((l) => links[i]! & (1 << l)), cores: Array.from(pes.subarray(start[i]!, start[i + 1]!)),
        })),
      };
    });
    const cfg = m.config ?? {};
    const config: RunConfig = {
      dt: cfg.dt ?? 0, integrator: cfg.integrator === 'exact' ? 'exact' : 'euler', reset: cfg.reset === 'subtract' ? 'subtract' : 'zero',
      ifMode: cfg.if_mode === 'ode' ? 'ode' : 'step', delay: cfg.delay === 0 ? 0 : 1,
    };
    return {
      schemaVersion: version, graphHash: m.graph_hash ?? '',
      profile: { id: m.profile?.id ?? '', family: m.profile?.family ?? '', version: m.profile?.version ?? '' },
      config, seed: m.seed ?? 0,
      machine: {
        chips, coresPerChip: m.machine?.cores_per_chip ?? 0, usableCoresPerChip: m.machine?.usable_cores_per_chip ?? 0,
        linksPerChip: m.machine?.links_per_chip ?? 0, neighbour: arr(m.machine?.neighbour, Int32Array, 'machine.neighbour'),
      },
      populations, cores, routers,
      summary: JSON.parse(m.summary_json || '{}') as CompileSummary,
    };
  } catch (e) {
    if (e instanceof NeuromeshError) throw e;
    return fail('E_CORRUPT', `corrupt .nmp file (${String((e as Error).message).split('\n')[0]})`);
  }
}

export function writeNmp(p: ChipProgram, path: string): number {
  const bytes = encodeProgram(p);
  writeFileAtomic(path, bytes);
  return bytes.byteLength;
}

/** Largest .nmp file read (Node's readFile limit). */
export const MAX_NMP_BYTES = 2 ** 31 - 1;

export async function readNmp(path: string): Promise<ChipProgram> {
  return decodeProgram(await readRegularFile(path, 'program', MAX_NMP_BYTES), path);
}
