/**
 * The packet rings in one thread: several OutChannels (one per simulated worker) write, Inboxes
 * read after the tick; checks delivery, the stable order by source core, growth of tiny segments,
 * double buffering across tick parity, and the errors for overflow and bad destinations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import { controlBytes } from '../../src/runtime/barrier.js';
import { createChannels, Inbox, OutChannel } from '../../src/runtime/channel.js';
import { ANY_CORE } from '../../src/runtime/kernel.js';

function setup(W: number, coreToWorker: number[], payloadWords: number, ringBytes = 16, maxRingBytes = 1 << 20) {
  const bufs = createChannels(W, ringBytes, maxRingBytes);
  const ctrl = new Int32Array(new SharedArrayBuffer(controlBytes(W)));
  const c2w = Int32Array.from(coreToWorker);
  const cores = (w: number): Int32Array => Int32Array.from(coreToWorker.flatMap((o, c) => (o === w ? [c] : [])));
  const outs = Array.from({ length: W }, (_, w) => new OutChannel(bufs, w, c2w, cores(w), payloadWords, ctrl));
  const ins = Array.from({ length: W }, (_, w) => new Inbox(bufs, w, payloadWords, coreToWorker.length));
  return { outs, ins, c2w };
}

function records(inbox: Inbox): number[][] {
  const r: number[][] = [];
  for (let i = 0; i < inbox.count; i++) r.push([...inbox.words.subarray(i * inbox.stride, (i + 1) * inbox.stride)]);
  return r;
}

const arbTraffic = fc.integer({ min: 1, max: 4 }).chain((W) =>
  fc.integer({ min: 1, max: 10 }).chain((cores) =>
    fc.record({
      W: fc.constant(W),
      owner: fc.array(fc.integer({ min: 0, max: W - 1 }), { minLength: cores, maxLength: cores }),
      payloadWords: fc.integer({ min: 0, max: 4 }),
      // per tick: packets as (source core, dest core, payload seed), in emission order
      ticks: fc.array(fc.array(fc.tuple(fc.nat(cores - 1), fc.nat(cores - 1), fc.nat()), { maxLength: 60 }), { minLength: 1, maxLength: 4 }),
    }),
  ),
);

describe('packet rings', () => {
  it('deliver every packet once, next tick, stably sorted by source core (property)', () => {
    fc.assert(
      fc.property(arbTraffic, ({ W, owner, payloadWords, ticks }) => {
        const { outs, ins } = setup(W, owner, payloadWords);
        for (let t = 0; t <= ticks.length; t++) {
          for (const inbox of ins) inbox.gather(t);
          if (t > 0) {
            const sent = ticks[t - 1]!.map(([s, d, v]) => [s, d, ...[v, v + 1, v + 2, v + 3].slice(0, payloadWords).map((x) => x >>> 0)]);
            const order = sent.map((p, i) => ({ p, i })).sort((a, b) => a.p[0]! - b.p[0]! || a.i - b.i).map(({ p }) => p);
            for (let w = 0; w < W; w++) expect(records(ins[w]!)).toEqual(order.filter((p) => owner[p[1]!] === w));
          }
          if (t === ticks.length) break;
          for (const o of outs) o.beginTick(t);
          for (const [s, d, v] of ticks[t]!) {
            const o = outs[owner[s]!]!;
            o.setCore(s);
            o.send(d, v, v + 1, v + 2, v + 3);
          }
          for (const o of outs) o.endTick();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the previous tick readable while the next tick is written (parity double buffer)', () => {
    const { outs, ins } = setup(2, [0, 1], 1);
    outs[0]!.beginTick(0);
    outs[0]!.setCore(0);
    outs[0]!.send(1, 111);
    outs[0]!.endTick();
    outs[0]!.beginTick(1);
    outs[0]!.setCore(0);
    outs[0]!.send(1, 222); // written before worker 1 reads tick 0's packets
    ins[1]!.gather(1);
    expect(records(ins[1]!)).toEqual([[0, 1, 111]]);
    outs[0]!.endTick();
    ins[1]!.gather(2);
    expect(records(ins[1]!)).toEqual([[0, 1, 222]]);
  });

  it('grows a segment past its initial size without losing packets', () => {
    const { outs, ins } = setup(2, [0, 1], 2, 16);
    outs[0]!.beginTick(0);
    outs[0]!.setCore(0);
    for (let i = 0; i < 5000; i++) outs[0]!.send(1, i, ~i >>> 0);
    outs[0]!.endTick();
    ins[1]!.gather(1);
    expect(ins[1]!.count).toBe(5000);
    const r = records(ins[1]!);
    expect(r[4999]).toEqual([0, 1, 4999, ~4999 >>> 0]);
    expect(r.every((p, i) => p[2] === i)).toBe(true);
  });

  it('fails with E_RING_OVERFLOW naming both workers and the tick when the ring limit is reached', () => {
    const { outs } = setup(2, [0, 1], 1, 16, 1024);
    outs[1]!.beginTick(7);
    outs[1]!.setCore(1);
    let err: unknown;
    try {
      for (let i = 0; i < 1000; i++) outs[1]!.send(0, i);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NeuromeshError);
    const d = (err as NeuromeshError).diagnostics[0]!;
    expect(d.code).toBe('E_RING_OVERFLOW');
    expect(d.message).toContain('worker 1');
    expect(d.message).toContain('worker 0');
    expect(d.message).toContain('tick 7');
    expect((err as NeuromeshError).exitCode).toBe(2);
  });

  it('rejects sends to unknown cores, from unowned cores, and before setCore', () => {
    const { outs } = setup(2, [0, 1, 1], 1);
    const o = outs[0]!;
    o.beginTick(3);
    expect(() => o.send(1, 5)).toThrow(/before calling setCore/);
    expect(() => o.setCore(2)).toThrow(/does not own/);
    o.setCore(0);
    expect(() => o.send(3, 5)).toThrow(/core 3, which does not exist/);
    expect(() => o.send(-1, 5)).toThrow(/does not exist/);
    expect(() => o.sendToWorker(2, 5)).toThrow(/worker 2 of 2/);
  });

  it('delivers worker-level packets with dest ANY_CORE', () => {
    const { outs, ins } = setup(2, [0, 1], 1);
    outs[0]!.beginTick(0);
    outs[0]!.setCore(0);
    outs[0]!.sendToWorker(1, 9);
    outs[0]!.endTick();
    ins[1]!.gather(1);
    expect(records(ins[1]!)).toEqual([[0, ANY_CORE, 9]]);
  });
});
