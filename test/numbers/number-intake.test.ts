/**
 * The one number intake (src/number-intake.ts): a value its target cannot hold is refused with its
 * TRUE value as given, never wrapped or rounded first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFinite, checkInt, exactIntegerOfText, intakeInt, type IntTarget } from '../../src/number-intake.js';
import { NeuromeshError, type Diagnostic } from '../../src/errors.js';

const refused = (v: unknown, target: IntTarget, extra: { min?: number; max?: number } = {}): Diagnostic => {
  const r = checkInt(v, { what: 'x', target, ...extra });
  expect(typeof r, `expected ${String(v)} to be refused`).toBe('object');
  return r as Diagnostic;
};

describe('exactIntegerOfText', () => {
  it('reads decimal integers exactly, exponents included', () => {
    expect(exactIntegerOfText('9007199254740993')).toBe(9007199254740993n);
    expect(exactIntegerOfText('1e12')).toBe(10n ** 12n);
    expect(exactIntegerOfText('2.5e3')).toBe(2500n);
    expect(exactIntegerOfText('-42')).toBe(-42n);
    expect(exactIntegerOfText(' 7 ')).toBe(7n);
    expect(exactIntegerOfText('1.000')).toBe(1n);
  });
  it('refuses what is not a decimal integer', () => {
    for (const t of ['', ' ', '1.5', '1e-3', '0x10', 'abc', '1e', '--1', 'Infinity', 'NaN', '.'])
      expect(exactIntegerOfText(t), t).toBeUndefined();
  });
  it('agrees with BigInt on every safe integer text', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), (n) => exactIntegerOfText(String(n)) === n));
  });
});

describe('checkInt', () => {
  it('quotes the value as given: 4294967301, 1e10, 9007199254740993 (not 5, 1410065408, …992)', () => {
    expect(refused(4294967301, 'uint32').message).toContain('x 4294967301 is out of range');
    expect(refused('1e10', 'uint32').message).toContain('x 1e10 is out of range');
    expect(refused('9007199254740993', 'safe').message).toContain('x 9007199254740993 is out of range');
    expect(refused(1e10, 'int32').message).toContain('x 10000000000 is out of range');
  });
  it('every target holds exactly its own range', () => {
    const edges: [IntTarget, bigint, bigint][] = [
      ['uint8', 0n, 255n], ['uint16', 0n, 65535n], ['uint32', 0n, 4294967295n], ['int32', -2147483648n, 2147483647n],
      ['safe', -9007199254740991n, 9007199254740991n], ['length', 0n, 4294967295n],
    ];
    for (const [t, lo, hi] of edges) {
      expect(checkInt(String(lo), { what: 'x', target: t }), t).toBe(Number(lo));
      expect(checkInt(String(hi), { what: 'x', target: t }), t).toBe(Number(hi));
      refused(String(lo - 1n), t);
      refused(String(hi + 1n), t);
    }
  });
  it('refuses non-integers, NaN, Infinity and non-numbers with a hint', () => {
    for (const v of [1.5, NaN, Infinity, -Infinity, '1.5', 'x', null, undefined, {}, [], true]) {
      const d = refused(v, 'safe');
      expect(d.message).toMatch(/is not an integer/);
      expect(d.hint).toBeTruthy();
    }
  });
  it('narrower bounds, code and where are used', () => {
    const d = refused('0', 'uint32', { min: 1 });
    expect(d.code).toBe('E_BAD_OPTION');
    const e = checkInt(300, { what: 'delay', target: 'uint8', code: 'E_DELAY_RANGE', where: { node: 'd', field: 'delay' }, unit: 'steps' }) as Diagnostic;
    expect(e).toMatchObject({ code: 'E_DELAY_RANGE', node: 'd', field: 'delay' });
    expect(e.message).toContain('delay 300 steps is out of range');
  });
  it('any integer text is accepted exactly when it is within range (property)', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (n) => {
      const r = checkInt(String(n), { what: 'x', target: 'uint32' });
      return n >= 0n && n <= 4294967295n ? r === Number(n) : typeof r === 'object' && r.message.includes(String(n));
    }));
  });
  it('intakeInt throws a NeuromeshError with exit 2', () => {
    try {
      intakeInt('1e12', { what: '--steps', min: 1, max: 2 ** 31 - 1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NeuromeshError);
      expect((e as NeuromeshError).exitCode).toBe(2);
      expect((e as NeuromeshError).message).toContain('--steps 1e12');
    }
  });
});

describe('checkFinite', () => {
  it('refuses NaN, Infinity and out-of-range reals with their value', () => {
    expect(checkFinite(0, { what: 'frequency', min: 0, exclusiveMin: true })).toMatchObject({ message: 'frequency 0 must be > 0' });
    expect(checkFinite(Infinity, { what: 'f' })).toMatchObject({ message: 'f Infinity is not a finite number' });
    expect(checkFinite('1e400', { what: 'f' })).toMatchObject({ message: 'f 1e400 is not a finite number' });
    expect(checkFinite(2.5, { what: 'f', min: 0, max: 3 })).toBe(2.5);
  });
});
