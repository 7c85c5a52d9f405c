/**
 * The one place an integer enters neuromesh: a file field (a Delay's steps, a shape, an index), a
 * command-line option (--steps, --workers, --seed, caps), a profile field or a spike input (.npy
 * counts, CSV/JSON spike times). A value that its target (uint32, int32, a safe integer, a typed
 * array's length) cannot hold is refused with its TRUE value as given — the option's text, the
 * file's number — never wrapped, rounded or clamped first ("4294967301", not 5; "1e10", not
 * 1410065408; "9007199254740993", not …992).
 */
import type { ErrorCode } from './error-codes.js';
import { diag, NeuromeshError, type Diagnostic } from './errors.js';

/** What an integer is stored in. 'length' is a typed array's length (at most 2^32 − 1 elements here). */
export type IntTarget = 'uint8' | 'uint16' | 'uint32' | 'int32' | 'safe' | 'length';

const RANGES: ReadonlyMap<IntTarget, { min: bigint; max: bigint; name: string }> = new Map([
  ['uint8', { min: 0n, max: 255n, name: 'an 8-bit unsigned field' }],
  ['uint16', { min: 0n, max: 65535n, name: 'a 16-bit unsigned field' }],
  ['uint32', { min: 0n, max: 4294967295n, name: 'a 32-bit unsigned field' }],
  ['int32', { min: -2147483648n, max: 2147483647n, name: 'a 32-bit signed field' }],
  ['safe', { min: -9007199254740991n, max: 9007199254740991n, name: 'an exact integer (±2^53 − 1)' }],
  ['length', { min: 0n, max: 4294967295n, name: 'an array length' }],
]);

/** How an integer is named and bounded. */
export interface IntSpec {
  /** The value's name in the message: '--steps', 'delay', "shape entry". */
  what: string;
  /** The storage it must fit (default 'safe'). */
  target?: IntTarget;
  /** Narrower bounds than the target's (inclusive). */
  min?: number;
  max?: number;
  /** Diagnostic code (default E_BAD_OPTION). */
  code?: ErrorCode;
  /** Where: file, node, field, chip… and a hint. */
  where?: Omit<Diagnostic, 'code' | 'message'>;
  /** A unit after the value ('steps'). */
  unit?: string;
  /** Why the bounds are what they are, added to the message (e.g. 'a synapse word has 8 index bits'). */
  why?: string;
}

/** The text of a value exactly as it was given (a string as typed; a number's shortest exact form). */
export function trueText(v: unknown): string {
  if (typeof v === 'string') return v.trim() === '' ? JSON.stringify(v) : JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v).slice(1, -1);
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  return typeof v === 'object' ? (Array.isArray(v) ? 'a list' : 'an object') : String(v);
}

/**
 * The exact integer a decimal text stands for (digits, optional fraction and exponent: '12',
 * '1e12', '2.5e3'), or undefined when it is not a decimal integer. Exact: '9007199254740993' is
 * 9007199254740993n, not the double 9007199254740992.
 */
export function exactIntegerOfText(text: string): bigint | undefined {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const digits = `${m[2]}${m[3] ?? ''}`.replace(/^0+(?=\d)/, '');
  const exp = Number(m[4] ?? '0') - (m[3] ?? '').length;
  let v: bigint;
  if (exp >= 0) {
    // beyond any target by far: keep the number finite (2^53 needs 16 digits)
    if (exp > 400) return BigInt(digits) === 0n ? 0n : 10n ** 400n;
    v = BigInt(digits) * 10n ** BigInt(exp);
  } else {
    if (-exp > 400) return BigInt(digits) === 0n ? 0n : undefined;
    const d = 10n ** BigInt(-exp);
    const big = BigInt(digits);
    if (big % d !== 0n) return undefined;
    v = big / d;
  }
  return m[1] === '-' ? -v : v;
}

/** The exact integer of a number, bigint or decimal text; undefined when it is none. */
function exactInteger(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : undefined;
  if (typeof v === 'string') return exactIntegerOfText(v);
  return undefined;
}

/** The integer `v` as a number, or the diagnostic that refuses it (with `v` quoted as given). */
export function checkInt(v: unknown, spec: IntSpec): number | Diagnostic {
  const range = RANGES.get(spec.target ?? 'safe')!;
  const lo = spec.min !== undefined && BigInt(spec.min) > range.min ? BigInt(spec.min) : range.min;
  const hi = spec.max !== undefined && BigInt(spec.max) < range.max ? BigInt(spec.max) : range.max;
  // 'name=' is followed directly by its value (`--max-neurons-per-core pop=99999999999999999999`)
  const value = `${trueText(v)}${spec.unit ? ` ${spec.unit}` : ''}`;
  const head = spec.what.endsWith('=') ? `${spec.what}${value}` : `${spec.what} ${value}`;
  const bounds = `from ${lo} to ${hi}`;
  const why = spec.why ? `; ${spec.why}` : hi === range.max ? ` (${range.name})` : '';
  const bad = (text: string, hint?: string): Diagnostic => {
    const h = spec.where?.hint ?? hint;
    return diag(spec.code ?? 'E_BAD_OPTION', text, { ...spec.where, ...(h ? { hint: h } : {}) });
  };
  const n = exactInteger(v);
  if (n === undefined) return bad(`${head} is not an integer`, `an integer ${bounds}`);
  if (n < lo || n > hi) return bad(`${head} is out of range: it must be an integer ${bounds}${why}`);
  return Number(n);
}

/** The integer `v` as a number; refuses it with a NeuromeshError (exit 2) otherwise. */
export function intakeInt(v: unknown, spec: IntSpec): number {
  const r = checkInt(v, spec);
  if (typeof r === 'number') return r;
  throw new NeuromeshError([r]);
}

/** An optional command-line integer: undefined when not given, else intakeInt of its text. */
export function intOption(text: string | undefined, spec: IntSpec): number | undefined {
  return text === undefined ? undefined : intakeInt(text, spec);
}

/**
 * A decimal number as typed (`12`, `-0.5`, `1e-4`, `.5`): anything else — hex `0x10`, `1_000`,
 * `Infinity`, blanks — is NaN, so that every real-valued option reads text the same way (JavaScript's
 * Number() would take `0x10` as 16 and ' ' as 0).
 */
export function decimalNumber(text: string): number {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(text) ? Number(text) : Number.NaN;
}

/**
 * A real number that a document or a computation needs finite (rates, frequencies, scales):
 * refused with its true value when it is NaN, infinite or outside (min, max].
 */
export function checkFinite(v: unknown, spec: Omit<IntSpec, 'target'> & { exclusiveMin?: boolean }): number | Diagnostic {
  const x = typeof v === 'string' ? decimalNumber(v) : v;
  const head = spec.what.endsWith('=') ? `${spec.what}${trueText(v)}` : `${spec.what} ${trueText(v)}`;
  const bad = (why: string): Diagnostic => diag(spec.code ?? 'E_BAD_OPTION', `${head} ${why}`, { ...spec.where });
  if (typeof x !== 'number' || !Number.isFinite(x)) return bad('is not a finite number');
  if (spec.min !== undefined && (spec.exclusiveMin ? !(x > spec.min) : !(x >= spec.min))) return bad(`must be ${spec.exclusiveMin ? '>' : '≥'} ${spec.min}`);
  if (spec.max !== undefined && !(x <= spec.max)) return bad(`must be ≤ ${spec.max}`);
  return x;
}
