import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitsAt, hashName, Purpose, streamKey, uniform, uniformAt } from '../../src/random/counter-rng.js';

describe('counter-based RNG', () => {
  it('is a pure function of its keys', () => {
    fc.assert(fc.property(fc.nat(), fc.nat(100), fc.nat(), fc.nat(), fc.nat(), (seed, p, node, n, t) => {
      expect(uniform(seed, p, node, n, t)).toBe(uniform(seed, p, node, n, t));
      const u = uniform(seed, p, node, n, t);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }));
  });
  it('different keys give different streams', () => {
    const k1 = streamKey(1, Purpose.poisson, hashName('a'));
    const k2 = streamKey(2, Purpose.poisson, hashName('a'));
    const k3 = streamKey(1, Purpose.connector, hashName('a'));
    expect(new Set([k1, k2, k3]).size).toBe(3);
    expect(bitsAt(k1, 0, 1)).not.toBe(bitsAt(k1, 1, 0));
  });
  it('is roughly uniform (mean and Bernoulli rate)', () => {
    const key = streamKey(42, Purpose.poisson, hashName('src'));
    let sum = 0;
    let hits = 0;
    const N = 200_000;
    for (let i = 0; i < N; i++) {
      const u = uniformAt(key, i % 1000, Math.floor(i / 1000));
      sum += u;
      if (u < 0.01) hits++;
    }
    expect(Math.abs(sum / N - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(hits / N - 0.01)).toBeLessThan(0.001);
  });
});
