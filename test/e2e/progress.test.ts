import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/context.js';
import { createProgress, stopAllProgress } from '../../src/cli/progress.js';

/** Progress bars: drawn on a terminal only, never on pipes or with --quiet; stop restores the cursor. */

class FakeTerminal extends Writable {
  chunks: string[] = [];
  isTTY: boolean;
  columns = 80;
  constructor(tty: boolean) {
    super();
    this.isTTY = tty;
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(chunk.toString());
    cb();
  }
  get text(): string {
    return this.chunks.join('');
  }
}

function ioFor(stream: FakeTerminal): CliIO {
  return { out: () => {}, err: (t) => stream.write(t), tty: stream.isTTY, errStream: stream };
}

afterEach(() => stopAllProgress());

describe('createProgress', () => {
  it('draws nothing when stderr is not a terminal', () => {
    const s = new FakeTerminal(false);
    const p = createProgress(ioFor(s), { label: 'simulate', total: 10 });
    p.tick();
    p.update(5);
    p.stop();
    expect(s.chunks).toEqual([]);
  });

  it('draws nothing with --quiet, even on a terminal', () => {
    const s = new FakeTerminal(true);
    const p = createProgress(ioFor(s), { label: 'simulate', total: 10, quiet: true });
    p.tick(3);
    p.stop();
    expect(s.chunks).toEqual([]);
  });

  it('draws on a terminal: label and counts, cursor hidden while running and shown after stop', () => {
    const s = new FakeTerminal(true);
    const p = createProgress(ioFor(s), { label: 'compile', total: 200 });
    expect(s.text).toContain('\x1B[?25l'); // cursor hidden
    p.update(50);
    p.stop();
    expect(s.text).toContain('compile');
    expect(s.text).toMatch(/\d+\/200/);
    expect(s.text.lastIndexOf('\x1B[?25h')).toBeGreaterThan(s.text.lastIndexOf('\x1B[?25l')); // shown again
    const n = s.chunks.length;
    p.stop(); // idempotent
    p.tick();
    expect(s.chunks.length).toBe(n);
  });

  it('stopAllProgress stops every running bar (used on Ctrl-C and before printing an error)', () => {
    const a = new FakeTerminal(true);
    const b = new FakeTerminal(true);
    createProgress(ioFor(a), { label: 'a', total: 5 });
    createProgress(ioFor(b), { label: 'b', total: 5 });
    stopAllProgress();
    for (const s of [a, b]) expect(s.text.lastIndexOf('\x1B[?25h')).toBeGreaterThan(s.text.lastIndexOf('\x1B[?25l'));
  });

  it('a zero or invalid total is a no-op rather than a broken bar', () => {
    const s = new FakeTerminal(true);
    createProgress(ioFor(s), { label: 'x', total: 0 }).tick();
    createProgress(ioFor(s), { label: 'x', total: Number.NaN }).tick();
    expect(s.chunks).toEqual([]);
  });
});
