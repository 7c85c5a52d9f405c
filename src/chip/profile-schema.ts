import { z } from 'zod';
import { ROUNDING_MODES, type ArithmeticSpec, type RoundingMode } from './arithmetic-spec.js';

/**
 * The zod schemas of a chip profile (the JSON a chip is described by) and the types inferred from
 * them. profile.ts turns every issue into one one-line `E_PROFILE` diagnostic naming the field.
 *
 * Every number carries where it came from: a coefficient is `{value, unit, source}` or
 * `{value, unit, derived: "the arithmetic"}` or `{value, unit, assumed: "why"}`, optionally
 * `unverified: "note"` for figures from secondary notes. A bare number anywhere else is refused,
 * except inside an object that itself names its source (number formats:
 * `{kind: "fixed", signed, intBits, fracBits, source}`): that rule, the `__proto__` ban and a chip's
 * required fields are walks over the raw JSON, in profile-rules.ts.
 */

export const PROVENANCE = ['source', 'derived', 'assumed'] as const;
/** The coefficient tables of the generic profile. */
export const TABLES = ['chip', 'limits', 'energy', 'latency', 'placement'] as const;
export type Table = (typeof TABLES)[number];

/** Issue `params` carry a hint for the diagnostic. */
export interface IssueParams {
  hint?: string;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${short(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v;
}

const short = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);

const EXPECTED: Record<string, string> = { string: 'a string', number: 'a finite number', boolean: 'true or false', object: 'an object', array: 'a list', int: 'an integer' };

/**
 * The error map of every profile parse: readable one-line messages for the issues a schema does
 * not word itself (zod's own messages are the fallback).
 */
export const PARSE_PARAMS = {
  reportInput: true,
  error: (iss: z.core.$ZodRawIssue): string | undefined => {
    switch (iss.code) {
      case 'invalid_type':
        return iss.input === undefined ? `missing ${EXPECTED[iss.expected] ?? iss.expected}` : `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${kindOf(iss.input)}`;
      case 'invalid_value':
        return `must be one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')} (got ${kindOf(iss.input)})`;
      case 'too_small':
        return iss.origin === 'string' ? 'must not be empty' : `must be at least ${String(iss.minimum)} (got ${kindOf(iss.input)})`;
      case 'too_big':
        return `must be at most ${String(iss.maximum)} (got ${kindOf(iss.input)})`;
      default:
        return undefined;
    }
  },
} as const;

/**
 * A value checked as one unit (a coefficient, a number format): the first problem found inside it
 * is ONE issue at the value's own path, worded by the inner schema (prefixed with the inner key
 * when the wording does not name it). `pick` chooses the inner schema from the input, or returns
 * the message when there is none; `hint` words the hint of an inner issue that carries none.
 */
function whole<T>(pick: (v: unknown) => z.ZodType<T> | string, hint: (iss?: z.core.$ZodIssue) => string | undefined = () => undefined): z.ZodType<T, unknown> {
  return z.unknown().transform((v, ctx): T => {
    const s = pick(v);
    const add = (message: string, h: string | undefined): void => ctx.addIssue({ code: 'custom', message, input: v, params: (h ? { hint: h } : {}) satisfies IssueParams });
    if (typeof s === 'string') {
      add(s, hint());
      return z.NEVER;
    }
    const r = s.safeParse(v, PARSE_PARAMS);
    if (r.success) return r.data;
    const first = r.error.issues[0]!;
    const key = first.path.map(String).join('.');
    const message = key && !first.message.includes(key) ? `${key}: ${first.message}` : first.message;
    add(message, (first as { params?: IssueParams }).params?.hint ?? hint(first));
    return z.NEVER;
  });
}

/** Exactly one of source | derived | assumed. */
function oneProvenance(what: string, noneMessage?: string) {
  return (v: Partial<Record<(typeof PROVENANCE)[number], string>>, ctx: z.RefinementCtx): void => {
    const given = PROVENANCE.filter((p) => v[p] !== undefined);
    if (given.length === 1) return;
    ctx.addIssue({
      code: 'custom',
      message: given.length === 0 && noneMessage ? noneMessage : `${what} must name exactly one of source, derived, assumed (has ${given.length ? given.join(', ') : 'none'})`,
      params: { hint: 'every number says where it came from: {"value": 1, "unit": "J", "source": "paper, table 2"}' } satisfies IssueParams,
    });
  };
}

const note = (key: string) =>
  z.string({ error: `'${key}' must be a non-empty string` }).refine((s) => s.trim() !== '', `'${key}' must be a non-empty string`);

const provenanceShape = { source: note('source').optional(), derived: note('derived').optional(), assumed: note('assumed').optional() };

const coefficientObject = z
  .strictObject(
    {
      value: z.number({ error: 'coefficient value must be a finite number' }),
      unit: z.string({ error: (iss) => (iss.input === undefined ? 'coefficient has no unit' : 'coefficient unit must be a string') }),
      ...provenanceShape,
      /** A note when the figure comes from a secondary source (reports mark it). */
      unverified: z.string({ error: "'unverified' must be a string saying why" }).optional(),
    },
    { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown coefficient key '${iss.keys[0]}'` : undefined) },
  )
  .superRefine(oneProvenance('coefficient'));

/** `{value, unit, source|derived|assumed, unverified?}`; any problem is one issue at the coefficient. */
export type Coefficient = z.output<typeof coefficientObject>;
export const coefficientSchema = whole<Coefficient>(
  (v) => (isObject(v) ? coefficientObject : 'expected a coefficient {value, unit, source|derived|assumed}'),
  (iss) =>
    iss?.code === 'unrecognized_keys'
      ? 'a coefficient has value, unit, exactly one of source|derived|assumed, and optionally unverified'
      : iss?.path[0] === 'unit'
        ? 'write e.g. "unit": "J", or "unit": "1" for a count'
        : 'write e.g. {"value": 4, "unit": "B", "source": "datasheet, table 3"}',
);

const table = (name: string) => z.record(z.string(), coefficientSchema, { error: `'${name}' must be an object of coefficients` }).default(() => ({}));
export type CoefficientTable = Record<string, Coefficient>;

const bits = (min: number) => z.number().int().min(min).max(64);
const formatError = (kind: string) => (iss: z.core.$ZodRawIssue): string =>
  iss.code === 'unrecognized_keys'
    ? `unknown format key '${iss.keys[0]}'`
    : kind === 'fixed'
      ? 'fixed format needs signed (boolean), intBits and fracBits (integers 0–64)'
      : 'int format needs signed (boolean) and bits (integer 1–64)';
const NO_FORMAT_SOURCE = 'number format must name its source, derived or assumed';
const fixedFormat = z
  .strictObject({ kind: z.literal('fixed'), signed: z.boolean(), intBits: bits(0), fracBits: bits(0), ...provenanceShape }, { error: formatError('fixed') })
  .superRefine(oneProvenance('number format', NO_FORMAT_SOURCE));
const intFormat = z
  .strictObject({ kind: z.literal('int'), signed: z.boolean(), bits: bits(1), ...provenanceShape }, { error: formatError('int') })
  .superRefine(oneProvenance('number format', NO_FORMAT_SOURCE));

/** A number format with its provenance (see number-format.ts). */
export type SourcedFormat = z.output<typeof fixedFormat> | z.output<typeof intFormat>;
export const formatSchema = whole<SourcedFormat>((v) => {
  if (!isObject(v)) return 'number format must be an object';
  if (v.kind === 'fixed') return fixedFormat;
  if (v.kind === 'int') return intFormat;
  return `unknown format kind ${JSON.stringify(v.kind) ?? 'undefined'} (expected 'fixed' or 'int')`;
});

/**
 * A machine entry other than layout/wrap: a coefficient (e.g. triadsX), a string (e.g. its
 * source) or a boolean; a plain number only when the machine names its own provenance.
 */
const machineValue = whole<Coefficient | string | boolean | number>((v) =>
  typeof v === 'string' ? z.string() : typeof v === 'boolean' ? z.boolean() : typeof v === 'number' ? z.number() : coefficientSchema,
);
const machineSchema = z
  .object(
    {
      /** e.g. 'chip' (one chip), 'board48', 'triads' (interpreted by the chip's backend). */
      layout: z.string({ error: "machine needs a string 'layout'" }),
      wrap: z.boolean({ error: "'wrap' must be true or false" }).optional(),
    },
    { error: (iss) => (iss.input === undefined ? "missing 'machine' with a string 'layout'" : "'machine' must be an object with a string 'layout'") },
  )
  .catchall(machineValue);
/** How the chips of a machine are laid out (interpreted by the chip's backend). */
export type MachineSpec = z.output<typeof machineSchema>;

const rounding = z.enum(ROUNDING_MODES as [RoundingMode, ...RoundingMode[]], {
  error: (iss) => `unknown rounding mode ${JSON.stringify(iss.input) ?? 'undefined'} (one of ${ROUNDING_MODES.join(', ')})`,
});
const formatRef = (key: string) => z.string({ error: `arithmetic.${key} must name an entry of formats` });
const arithmeticSchema = z.strictObject(
  {
    ...provenanceShape,
    state: formatRef('state'),
    weight: formatRef('weight'),
    coefficient: formatRef('coefficient'),
    ringBuffer: formatRef('ringBuffer'),
    parameterRounding: rounding,
    multiply: z.strictObject({ decay: rounding, input: rounding }),
    saturate: z.array(z.enum(['ringBuffer', 'state'], { error: "arithmetic.saturate lists only 'ringBuffer' and 'state'" })),
    eventOrder: z.string({ error: 'arithmetic.eventOrder must say in which order synaptic events are applied' }),
    input: z.string().optional(),
    updates: z.string().optional(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? undefined : "'arithmetic' must be an object") },
) satisfies z.ZodType<ArithmeticSpec>;

const idField = (k: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `missing string field '${k}'` : `'${k}' must be a string`) }).min(1, `missing string field '${k}'`);

/** The sections every profile has (a chip family may add its own: ProfileFamilySpec.profileSchema). */
export const genericShape = {
  /** Unique profile id, e.g. 'spinnaker2-48'. */
  id: idField('id'),
  /** Which backend runs it (a folder under chips/), e.g. 'spinnaker2'. */
  family: idField('family'),
  version: idField('version'),
  name: idField('name'),
  description: z.string().optional(),
  machine: machineSchema,
  chip: table('chip'),
  formats: z.record(z.string(), formatSchema, { error: "'formats' must be an object of number formats" }).default(() => ({})),
  limits: table('limits'),
  energy: table('energy'),
  latency: table('latency'),
  placement: table('placement'),
  /** Operating points, e.g. { "low": { frequency, voltage }, "high": … }. */
  dvfs: z
    .record(z.string(), z.record(z.string(), coefficientSchema, { error: 'a DVFS operating point must be an object of coefficients' }), { error: "'dvfs' must be an object of operating points" })
    .default(() => ({})),
  /** How the chip computes: rounding of each multiply, saturation points, event order (see arithmetic.ts). */
  arithmetic: arithmeticSchema.optional(),
  /** Active-energy model of the cost estimate: 'per-event' (default) or 'per-cycle', never both. */
  energyModel: z.string({ error: "'energyModel' must be a string" }).optional(),
};

/** Cross-field rules of the generic sections. */
function crossFields(p: { formats: Record<string, SourcedFormat>; arithmetic?: ArithmeticSpec | undefined }, ctx: z.RefinementCtx): void {
  const a = p.arithmetic;
  if (!a) return;
  const want = [['state', 'fixed'], ['weight', 'int'], ['coefficient', 'fixed'], ['ringBuffer', 'int']] as const;
  for (const [key, kind] of want) {
    const name = a[key];
    const f = Object.hasOwn(p.formats, name) ? p.formats[name] : undefined;
    if (f?.kind !== kind) ctx.addIssue({ code: 'custom', path: ['arithmetic', key], message: `arithmetic.${key} must name a '${kind}' entry of formats (got ${JSON.stringify(name)})` });
  }
}

const genericProfileSchema = z.strictObject(genericShape).superRefine(crossFields);
/** A validated chip profile (chip-owned sections, if any, are read with `chipSections`). */
export type ChipProfile = z.output<typeof genericProfileSchema>;

/** What a chip family adds to the generic profile (chips/index.ts ChipFamily entries carry it). */
export interface ProfileFamilySpec {
  id: string;
  /** Zod object of the chip-owned top-level sections (keys the generic profile does not have). */
  profileSchema?: z.ZodObject;
  /** Dotted coefficient paths the backend reads, e.g. 'limits.maxDelaySteps': missing = E_PROFILE at load. */
  requiredFields?: readonly string[];
  /** Ranges of the family's coefficients (integers, bounds), checked at load after the generic ones. */
  fieldRules?: readonly ProfileFieldRule[];
  /** Rules between fields (usable PEs ≤ PEs): one issue per broken rule, at the field to change. */
  crossFieldRules?: (json: unknown) => { path: PropertyKey[]; message: string; hint?: string }[];
  /** The energy models the family's cost model knows (energyModel must be one of them). */
  energyModels?: readonly string[];
}

/**
 * The range of one coefficient (a dotted path; `*` matches any key of its level): an integer or a
 * real, inclusive bounds, `above` an exclusive lower bound (frequency > 0). `why` words the hint.
 * Declared here so that chips need not import the rules (profile-rules.ts calls it FieldRule).
 */
export interface ProfileFieldRule {
  path: string;
  int?: boolean;
  min?: number;
  /** Exclusive lower bound (the value must be greater). */
  above?: number;
  max?: number;
  why?: string;
  /** The unit(s) the field is written in ('B', ['J', 'W']): another unit is refused, never converted. */
  unit?: string | readonly string[];
}

/** The top-level schema of a profile of this family: generic sections plus the chip's own. */
export function profileSchemaFor(family?: ProfileFamilySpec): z.ZodType<ChipProfile, unknown> {
  const own = family?.profileSchema?.shape ?? {};
  const clash = Object.keys(own).filter((k) => Object.hasOwn(genericShape, k));
  // a chip section must not redefine a generic one (a bug in the chip's code, found by its tests)
  if (clash.length) throw new Error(`chip family '${family!.id}' redefines generic profile section(s) ${clash.join(', ')}`);
  if (!Object.keys(own).length) return genericProfileSchema;
  return z.strictObject({ ...own, ...genericShape }).superRefine(crossFields) as unknown as z.ZodType<ChipProfile, unknown>;
}

/** Top-level sections a profile of this family may have. */
export function knownSections(family?: ProfileFamilySpec): string[] {
  return [...Object.keys(genericShape), ...Object.keys(family?.profileSchema?.shape ?? {})];
}

/** The chip-owned sections of a validated profile, read through the chip's schema (typed, other keys dropped). */
export function chipSections<S extends z.ZodObject>(profile: ChipProfile, schema: S): z.output<S> {
  return schema.parse(profile);
}
