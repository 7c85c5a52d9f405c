/** The barrier's spin regimes: window sizes, and the leader's choice of the faster regime per epoch. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPIN_CAP_US, EPOCH_TICKS, MODE_SLEEP, MODE_SPIN, ModeChooser, PERIOD_EPOCHS, SHORT_SPIN_US, spinWindow, WAKE_US, WorkMeter } from '../../src/runtime/spin-policy.js';

/** Drive a chooser for `epochs` epochs where an epoch in regime m takes msPerEpoch(m, epoch) ms; returns the regime of every epoch. */
function drive(c: ModeChooser, epochs: number, msPerEpoch: (mode: number, epoch: number) => number): number[] {
  const modes: number[] = [];
  let now = 0;
  for (let e = 0; e < epochs; e++) {
    let mode = -1;
    for (let t = 0; t < EPOCH_TICKS; t++) {
      const m = c.tick(e * EPOCH_TICKS + t, now);
      if (t === 0) mode = m;
      expect(m).toBe(mode); // the regime changes only at epoch boundaries
    }
    modes.push(mode);
    now += msPerEpoch(mode, e);
  }
  return modes;
}

describe('spin window', () => {
  it('is 0 with cap 0, short in the sleep regime, work + a wake-up in the spin regime, never above the cap', () => {
    expect(spinWindow(MODE_SPIN, 500, 0)).toBe(0);
    expect(spinWindow(MODE_SLEEP, 500, 0)).toBe(0);
    expect(spinWindow(MODE_SLEEP, 500, DEFAULT_SPIN_CAP_US)).toBe(SHORT_SPIN_US);
    expect(spinWindow(MODE_SPIN, -1, DEFAULT_SPIN_CAP_US)).toBe(WAKE_US);
    expect(spinWindow(MODE_SPIN, 30, DEFAULT_SPIN_CAP_US)).toBe(WAKE_US + 30);
    expect(spinWindow(MODE_SPIN, 1e6, DEFAULT_SPIN_CAP_US)).toBe(DEFAULT_SPIN_CAP_US);
    fc.assert(fc.property(fc.constantFrom(MODE_SPIN, MODE_SLEEP), fc.double({ min: -1, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 5000 }), (m, w, cap) => {
      const win = spinWindow(m, w, cap);
      expect(win).toBeGreaterThanOrEqual(0);
      expect(win).toBeLessThanOrEqual(cap);
    }));
  });

  it('work meter averages the measured ticks', () => {
    const m = new WorkMeter();
    expect(m.micros).toBe(-1);
    m.note(300);
    expect(m.micros).toBe(300);
    for (let i = 0; i < 300; i++) m.note(5);
    expect(m.micros).toBeCloseTo(5, 3);
  });
});

describe('ModeChooser (leader)', () => {
  it('keeps spinning when spinning is faster, trying the sleep regime once per period', () => {
    const modes = drive(new ModeChooser(), 4 * PERIOD_EPOCHS, (m) => (m === MODE_SPIN ? 1 : 3));
    expect(modes.filter((m) => m === MODE_SLEEP).length).toBe(4);
    expect(modes[0]).toBe(MODE_SPIN);
    expect(modes[1]).toBe(MODE_SLEEP);
  });

  it('switches to sleeping when sleeping is faster (loaded machine), and back when spinning pays again', () => {
    let spinMs = 5;
    const c = new ModeChooser();
    const modes = drive(c, 3 * PERIOD_EPOCHS, (m, e) => {
      if (e >= 2 * PERIOD_EPOCHS) spinMs = 1; // the machine frees up
      return m === MODE_SPIN ? spinMs : 2;
    });
    expect(modes[0]).toBe(MODE_SPIN);
    expect(modes[1]).toBe(MODE_SLEEP);
    // after the first trial, sleeping is the incumbent; spinning is only tried once per period
    const mid = modes.slice(2, 2 * PERIOD_EPOCHS + 1);
    expect(mid.filter((m) => m === MODE_SPIN).length).toBe(1);
    // the trial at the start of the third period finds spinning faster again
    expect(modes.slice(2 * PERIOD_EPOCHS + 2).every((m) => m === MODE_SPIN)).toBe(true);
    expect(c.epochs[MODE_SPIN]! + c.epochs[MODE_SLEEP]!).toBe(3 * PERIOD_EPOCHS - 1);
  });
});
