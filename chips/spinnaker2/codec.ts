import protobuf from 'protobufjs';
import type { PayloadCodec } from '../../src/chip/program.js';
import { diag, NeuromeshError, type ErrorCode } from '../../src/errors.js';
import { toLittleEndian } from '../../src/io/proto/le-bytes.js';
import { typedArrayOf } from '../../src/io/proto/program-populations.js';
import { appendRecords, varintSize, writeVarint } from '../../src/io/proto/varint.js';
import { SPINNAKER2_PAYLOAD_PROTO } from './payload-schema.js';
import type { CompileSummary, ProgramCore, RouterTable, Spinnaker2Payload } from './program-types.js';

let payloadType: protobuf.Type | undefined;
function payloadMessage(): protobuf.Type {
  if (!payloadType) {
    const { root } = protobuf.parse(SPINNAKER2_PAYLOAD_PROTO, { keepCase: true });
    root.resolveAll();
    payloadType = root.lookupType('neuromesh.spinnaker2.Payload');
  }
  return payloadType;
}

const le = toLittleEndian;
const CORES_FIELD = 2;

/** One Core message in protobuf wire format (proto3: zero scalars omitted), written by hand: the cores hold the bulk. */
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

function encode(p: Spinnaker2Payload): Uint8Array {
  const chips = new Int32Array(p.machine.chips.length * 2);
  p.machine.chips.forEach(([x, y], i) => {
    chips[2 * i] = x;
    chips[2 * i + 1] = y;
  });
  const msg = {
    machine: {
      chips: le(chips), cores_per_chip: p.machine.coresPerChip, usable_cores_per_chip: p.machine.usableCoresPerChip,
      links_per_chip: p.machine.linksPerChip, neighbour: le(p.machine.neighbour),
    },
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
  // cores are appended as field-2 records, which any protobuf reader merges into the repeated field
  return appendRecords(payloadMessage().encode(msg).finish(), CORES_FIELD, p.cores.map(encodeCore));
}

interface Msg {
  machine?: { chips?: Uint8Array; cores_per_chip?: number; usable_cores_per_chip?: number; links_per_chip?: number; neighbour?: Uint8Array };
  cores?: {
    chip?: number; pe?: number; slice?: number; pop?: number; lo?: number; hi?: number; key?: number; mask?: number; shifts?: number[];
    row_keys?: Uint8Array; row_start?: Uint8Array; words?: Uint8Array; sram_bytes?: number;
  }[];
  routers?: { chip?: number; entries_before?: number; keys?: Uint8Array; masks?: Uint8Array; links?: Uint8Array; core_start?: Uint8Array; cores?: Uint8Array }[];
  summary_json?: string;
}

function decode(bytes: Uint8Array, file?: string): Spinnaker2Payload {
  const fail = (code: ErrorCode, message: string): never => {
    throw new NeuromeshError([diag(code, message, file ? { file } : {})]);
  };
  let m: Msg;
  try {
    m = payloadMessage().toObject(payloadMessage().decode(bytes), { defaults: true, arrays: true }) as Msg;
  } catch (e) {
    return fail('E_CORRUPT', `corrupt .nmp file: spinnaker2 payload (${String((e as Error).message).split('\n')[0]})`);
  }
  const arr = <T extends Int32Array | Uint32Array | Uint16Array>(b: Uint8Array | undefined, ctor: { new (buf: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, what: string): T =>
    typedArrayOf(b, ctor, what, fail);
  const chipsFlat = arr(m.machine?.chips, Int32Array, 'machine.chips');
  const chips: [number, number][] = [];
  for (let i = 0; i + 1 < chipsFlat.length; i += 2) chips.push([chipsFlat[i]!, chipsFlat[i + 1]!]);
  const cores: ProgramCore[] = (m.cores ?? []).map((c) => {
    const core: ProgramCore = {
      chip: c.chip ?? 0, pe: c.pe ?? 0, slice: c.slice ?? 0, pop: c.pop ?? 0, lo: c.lo ?? 0, hi: c.hi ?? 0, key: c.key ?? 0, mask: c.mask ?? 0,
      shifts: c.shifts ?? [], rowKeys: arr(c.row_keys, Uint32Array, 'row_keys'), rowStart: arr(c.row_start, Uint32Array, 'row_start'),
      words: arr(c.words, Uint32Array, 'words'), sramBytes: c.sram_bytes ?? 0,
    };
    if (core.rowStart.length !== core.rowKeys.length + 1 || core.rowStart[core.rowKeys.length] !== core.words.length || core.hi < core.lo)
      fail('E_CORRUPT', `corrupt .nmp file: core ${core.chip}:${core.pe} has inconsistent rows`);
    return core;
  });
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
  let summary: CompileSummary;
  try {
    summary = JSON.parse(m.summary_json || '{}') as CompileSummary;
  } catch {
    return fail('E_CORRUPT', 'corrupt .nmp file: the spinnaker2 resource summary is not JSON');
  }
  return {
    machine: {
      chips, coresPerChip: m.machine?.cores_per_chip ?? 0, usableCoresPerChip: m.machine?.usable_cores_per_chip ?? 0,
      linksPerChip: m.machine?.links_per_chip ?? 0, neighbour: arr(m.machine?.neighbour, Int32Array, 'machine.neighbour'),
    },
    cores, routers, summary,
  };
}

/** The spinnaker2 payload inside the .nmp envelope (payload.proto). */
export const spinnaker2Codec: PayloadCodec<Spinnaker2Payload> = { encode, decode };
