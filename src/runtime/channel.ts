/**
 * Packet exchange between workers on SharedArrayBuffers, double-buffered by tick parity.
 *
 * For every ordered pair (src worker, dst worker), including src = dst, and each parity p of the
 * tick number there is one segment: a growable SharedArrayBuffer of packet records
 * `[src core, dest core, payload…]`. During tick t worker s appends to segments (p = t&1, s, ·);
 * at the end of the tick it publishes the record counts; after the tick barrier, during tick t+1,
 * worker d reads segments (t&1, ·, d) while writers fill the other parity. One barrier per tick
 * therefore separates every write from its read: no locks, no messages, no allocation per packet.
 *
 * Overflow: a segment that fills up grows in place (SharedArrayBuffer.grow, doubling; the reader
 * re-views it after the barrier when the published count exceeds its view) up to
 * `maxSegmentBytes`; beyond that the run fails with E_RING_OVERFLOW naming both workers and the
 * tick. Packets are never dropped.
 */
import { diag, NeuromeshError } from '../errors.js';
import { CTRL_SLOTS, SLOT_CORE, SLOT_STRIDE } from './barrier.js';
import { ANY_CORE, MAX_PAYLOAD_WORDS, PACKET_PAYLOAD, type PacketBatch, type PacketSink } from './kernel.js';

export interface ChannelBuffers {
  workerCount: number;
  /** Int32 record counts, index `segmentIndex(W, parity, src, dst)`. */
  counts: SharedArrayBuffer;
  /** Growable segments, same index. */
  segments: SharedArrayBuffer[];
  maxSegmentBytes: number;
}

/** Growable SharedArrayBuffer (ES2024; in Node ≥ 20, not yet in the ES2022 lib typings). */
interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  grow(newByteLength: number): void;
}
const GrowableSAB = SharedArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => GrowableSharedArrayBuffer;

export function segmentIndex(workerCount: number, parity: number, src: number, dst: number): number {
  return (parity * workerCount + src) * workerCount + dst;
}

export const DEFAULT_SEGMENT_BYTES = 64 * 1024;
export const DEFAULT_MAX_SEGMENT_BYTES = 256 * 1024 * 1024;

export function createChannels(
  workerCount: number,
  initialBytes = DEFAULT_SEGMENT_BYTES,
  maxSegmentBytes = DEFAULT_MAX_SEGMENT_BYTES,
): ChannelBuffers {
  const init = Math.min(roundUp16(initialBytes), roundUp16(maxSegmentBytes));
  const segments: SharedArrayBuffer[] = [];
  for (let i = 0; i < 2 * workerCount * workerCount; i++)
    segments.push(new GrowableSAB(init, { maxByteLength: roundUp16(maxSegmentBytes) }));
  return {
    workerCount,
    counts: new SharedArrayBuffer(4 * 2 * workerCount * workerCount),
    segments,
    maxSegmentBytes: roundUp16(maxSegmentBytes),
  };
}

function roundUp16(n: number): number {
  return Math.max(16, Math.ceil(n / 16) * 16);
}

/**
 * A fixed-length view of a (growable) segment's current size. Length-tracking views of growable
 * buffers are ~20× slower per element access in V8 11; views are recreated after a grow.
 */
function fixedView(sab: SharedArrayBuffer): Uint32Array {
  return new Uint32Array(sab, 0, sab.byteLength >>> 2);
}

/** Words per packet record for a payload size. */
export function recordStride(payloadWords: number): number {
  return PACKET_PAYLOAD + payloadWords;
}

/** The writing side of one worker: implements the kernel's PacketSink. */
export class OutChannel implements PacketSink {
  private readonly views: Uint32Array[][];
  private readonly counts: Int32Array;
  private readonly offsets: Int32Array;
  private cur: Uint32Array[];
  private parity = 0;
  private step = 0;
  private src = -1;
  private srcLocal = -1;
  /** Packets sent by the current core since the last flush into sentPerCore. */
  private pendingSent = 0;
  readonly stride: number;
  /** Packets sent by each owned core (in `cores` order) over the whole run. */
  readonly sentPerCore: Float64Array;
  private readonly localIndex: Int32Array;

  constructor(
    private readonly bufs: ChannelBuffers,
    private readonly me: number,
    private readonly coreToWorker: Int32Array,
    cores: Int32Array,
    private readonly payloadWords: number,
    private readonly ctrl: Int32Array,
  ) {
    if (!(payloadWords >= 0 && payloadWords <= MAX_PAYLOAD_WORDS && Number.isInteger(payloadWords)))
      throw new NeuromeshError([diag('E_RUNTIME_SPEC', `payloadWords must be an integer 0…${MAX_PAYLOAD_WORDS}, got ${payloadWords}`)]);
    const W = bufs.workerCount;
    this.stride = recordStride(payloadWords);
    this.views = [0, 1].map((p) => {
      const row: Uint32Array[] = [];
      for (let d = 0; d < W; d++) row.push(fixedView(bufs.segments[segmentIndex(W, p, me, d)]!));
      return row;
    });
    this.cur = this.views[0]!;
    this.counts = new Int32Array(bufs.counts);
    this.offsets = new Int32Array(W);
    this.sentPerCore = new Float64Array(cores.length);
    this.localIndex = new Int32Array(coreToWorker.length).fill(-1);
    cores.forEach((c, i) => (this.localIndex[c] = i));
  }

  beginTick(step: number): void {
    this.step = step;
    this.parity = step & 1;
    this.cur = this.views[this.parity]!;
    this.offsets.fill(0);
    this.src = -1;
    this.srcLocal = -1;
  }

  /** Publish this tick's record counts (made visible to readers by the barrier that follows). */
  endTick(): void {
    this.flushSent();
    const W = this.bufs.workerCount;
    const base = (this.parity * W + this.me) * W;
    for (let d = 0; d < W; d++) this.counts[base + d] = this.offsets[d]! / this.stride;
  }

  setCore(core: number): void {
    const li = this.localIndex[core];
    if (li === undefined || li < 0)
      throw new NeuromeshError([diag('E_KERNEL_CORE', `worker ${this.me} kernel called setCore(${core}) for a core it does not own (tick ${this.step})`, {
        hint: 'a kernel may only act for the cores listed in init.cores',
      })]);
    this.flushSent();
    this.src = core;
    this.srcLocal = li;
    this.ctrl[CTRL_SLOTS + this.me * SLOT_STRIDE + SLOT_CORE] = core;
  }

  send(dest: number, w0 = 0, w1 = 0, w2 = 0, w3 = 0): void {
    const w = this.coreToWorker[dest];
    if (w === undefined) throw this.badDest(dest);
    this.put(w, dest, w0, w1, w2, w3);
  }

  sendToWorker(worker: number, w0 = 0, w1 = 0, w2 = 0, w3 = 0): void {
    if (!(worker >= 0 && worker < this.bufs.workerCount && Number.isInteger(worker)))
      throw new NeuromeshError([diag('E_KERNEL_DEST', `worker ${this.me} kernel sent to worker ${worker} of ${this.bufs.workerCount} (tick ${this.step})`)]);
    this.put(worker, ANY_CORE, w0, w1, w2, w3);
  }

  private put(w: number, dest: number, w0: number, w1: number, w2: number, w3: number): void {
    if (this.srcLocal < 0) throw this.noCore();
    const stride = this.stride;
    const off = this.offsets[w]!;
    let seg = this.cur[w]!;
    if (off + stride > seg.length) seg = this.grow(w, off + stride);
    seg[off] = this.src;
    seg[off + 1] = dest;
    const pw = this.payloadWords;
    if (pw > 0) {
      seg[off + 2] = w0;
      if (pw > 1) {
        seg[off + 3] = w1;
        if (pw > 2) {
          seg[off + 4] = w2;
          if (pw > 3) seg[off + 5] = w3;
        }
      }
    }
    this.offsets[w] = off + stride;
    this.pendingSent++;
  }

  private flushSent(): void {
    if (this.pendingSent !== 0) {
      this.sentPerCore[this.srcLocal] += this.pendingSent;
      this.pendingSent = 0;
    }
  }

  private grow(w: number, needWords: number): Uint32Array {
    const sab = this.bufs.segments[segmentIndex(this.bufs.workerCount, this.parity, this.me, w)] as GrowableSharedArrayBuffer;
    const need = needWords * 4;
    if (need > this.bufs.maxSegmentBytes)
      throw new NeuromeshError([diag('E_RING_OVERFLOW',
        `worker ${this.me} sent more than ${Math.floor(this.bufs.maxSegmentBytes / 4 / this.stride)} packets to worker ${w} in tick ${this.step} (ring limit ${this.bufs.maxSegmentBytes} bytes)`,
        { core: this.src, hint: 'raise the runtime option maxRingBytes, or check the kernel for a packet storm' })]);
    sab.grow(Math.min(this.bufs.maxSegmentBytes, Math.max(need, sab.byteLength * 2)));
    const view = fixedView(sab);
    this.cur[w] = view;
    return view;
  }

  private badDest(dest: number): NeuromeshError {
    return new NeuromeshError([diag('E_KERNEL_DEST', `worker ${this.me} kernel sent a packet to core ${dest}, which does not exist (${this.coreToWorker.length} cores, tick ${this.step})`, {
      core: this.src,
      hint: 'the backend router produced a destination outside the program',
    })]);
  }

  private noCore(): NeuromeshError {
    return new NeuromeshError([diag('E_KERNEL_CORE', `worker ${this.me} kernel sent a packet before calling setCore (tick ${this.step})`, {
      hint: 'call out.setCore(core) before sending on behalf of a core',
    })]);
  }
}

/**
 * The reading side of one worker: gathers the packets addressed to it in the previous tick into
 * one batch sorted by source core (stable), whatever the number of workers.
 */
export class Inbox implements PacketBatch {
  count = 0;
  words: Uint32Array;
  readonly stride: number;
  private scratch: Uint32Array;
  private readonly views: Uint32Array[][];
  private readonly counts: Int32Array;
  private readonly buckets: Int32Array;
  /** Packets received over the run (records). */
  received = 0;

  constructor(
    private readonly bufs: ChannelBuffers,
    private readonly me: number,
    payloadWords: number,
    coreCount: number,
  ) {
    const W = bufs.workerCount;
    this.stride = recordStride(payloadWords);
    this.views = [0, 1].map((p) => {
      const row: Uint32Array[] = [];
      for (let s = 0; s < W; s++) row.push(fixedView(bufs.segments[segmentIndex(W, p, s, me)]!));
      return row;
    });
    this.counts = new Int32Array(bufs.counts);
    this.words = new Uint32Array(1024 * this.stride);
    this.scratch = new Uint32Array(0);
    this.buckets = new Int32Array(coreCount + 2);
  }

  /** Collect the packets sent during tick `step - 1`. */
  gather(step: number): void {
    this.count = 0;
    if (step === 0) return;
    const W = this.bufs.workerCount;
    const parity = (step - 1) & 1;
    const stride = this.stride;
    let total = 0;
    for (let s = 0; s < W; s++) total += this.counts[segmentIndex(W, parity, s, this.me)]!;
    if (total === 0) return;
    if (total * stride > this.words.length) this.words = new Uint32Array(Math.max(total * stride, this.words.length * 2));
    const words = this.words;
    let off = 0;
    const row = this.views[parity]!;
    for (let s = 0; s < W; s++) {
      const n = this.counts[segmentIndex(W, parity, s, this.me)]! * stride;
      if (n === 0) continue;
      let seg = row[s]!;
      if (n > seg.length) {
        // the writer grew the segment during the last tick
        seg = fixedView(this.bufs.segments[segmentIndex(W, parity, s, this.me)]!);
        row[s] = seg;
      }
      if (n < 64) for (let i = 0; i < n; i++) words[off + i] = seg[i]!;
      else words.set(seg.subarray(0, n), off);
      off += n;
    }
    this.count = total;
    this.received += total;
    // Sorted by source core already? (the usual case: ascending emission, block ownership)
    let prev = 0;
    for (let i = 0; i < off; i += stride) {
      const src = words[i]!;
      if (src < prev) {
        this.sortBySource(total);
        return;
      }
      prev = src;
    }
  }

  /** Stable counting sort of the first `n` records by source core. */
  private sortBySource(n: number): void {
    const stride = this.stride;
    const words = this.words;
    const b = this.buckets;
    b.fill(0);
    for (let i = 0; i < n; i++) b[words[i * stride]! + 1]++;
    for (let c = 1; c < b.length; c++) b[c] += b[c - 1]!;
    if (this.scratch.length < words.length) this.scratch = new Uint32Array(words.length);
    const out = this.scratch;
    for (let i = 0; i < n; i++) {
      const from = i * stride;
      const to = b[words[from]!]!++ * stride;
      for (let k = 0; k < stride; k++) out[to + k] = words[from + k]!;
    }
    this.scratch = words;
    this.words = out;
  }
}
