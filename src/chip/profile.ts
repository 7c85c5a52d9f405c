import { readFileSync } from 'node:fs';
import { diag, type Diagnostic } from '../errors.js';
import type { ArithmeticSpec } from './arithmetic-spec.js';
import type { NumberFormat } from './number-format.js';
import { fileAccessError } from '../io/file-error.js';

/**
 * A chip profile is data (JSON): sizes, clocks, number formats, limits, energy and latency
 * coefficients. Every number carries where it came from: a coefficient is
 * `{value, unit, source}` or `{value, unit, derived: "the arithmetic"}` or
 * `{value, unit, assumed: "why"}`, optionally `unverified: "note"` for figures from secondary notes.
 * A bare number anywhere else is refused, except inside an object that itself names its source
 * (number formats: `{kind: "fixed", signed, intBits, fracBits, source}`).
 */
export interface Coefficient {
  value: number;
  unit: string;
  source?: string;
  derived?: string;
  assumed?: string;
  unverified?: string;
}

export type SourcedFormat = NumberFormat & { source?: string; derived?: string; assumed?: string };

/** How the chips of a machine are laid out (interpreted by the chip's backend). */
export interface MachineSpec {
  /** e.g. 'chip' (one chip), 'board48', 'triads'. */
  layout: string;
  wrap?: boolean;
  [key: string]: Coefficient | string | boolean | undefined;
}

export type CoefficientTable = Record<string, Coefficient>;

export interface ChipProfile {
  /** Unique profile id, e.g. 'spinnaker2-48'. */
  id: string;
  /** Which backend runs it (a folder under chips/), e.g. 'spinnaker2'. */
  family: string;
  version: string;
  name: string;
  description?: string;
  machine: MachineSpec;
  chip: CoefficientTable;
  formats: Record<string, SourcedFormat>;
  limits: CoefficientTable;
  energy: CoefficientTable;
  latency: CoefficientTable;
  placement: CoefficientTable;
  /** Operating points, e.g. { "low": { frequency, voltage }, "high": … }. */
  dvfs: Record<string, CoefficientTable>;
  /** How the chip computes: rounding of each multiply, saturation points, event order (see arithmetic.ts). */
  arithmetic?: ArithmeticSpec;
  /** Active-energy model of the cost estimate: 'per-event' (default) or 'per-cycle', never both. */
  energyModel?: string;
}

const TABLES = ['chip', 'limits', 'energy', 'latency', 'placement'] as const;
const PROVENANCE = ['source', 'derived', 'assumed'] as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge for `extends`: objects merge key by key, everything else is replaced. */
export function mergeProfiles(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    // a coefficient or a format is replaced whole, never merged with the base's provenance
    const whole = isObject(v) && ('value' in v || 'kind' in v);
    out[k] = !whole && k in base ? mergeProfiles(base[k], v) : v;
  }
  return out;
}

function checkCoefficient(path: string, v: Record<string, unknown>, ctx: { file?: string; chip?: string }): Diagnostic[] {
  const at = (message: string, hint?: string): Diagnostic[] => [diag('E_PROFILE', message, { ...ctx, field: path, ...(hint ? { hint } : {}) })];
  if (typeof v.value !== 'number' || !Number.isFinite(v.value)) return at('coefficient value must be a finite number');
  if (typeof v.unit !== 'string') return at('coefficient has no unit', 'write e.g. "unit": "J" or "unit": "1" for a count');
  const given = PROVENANCE.filter((p) => v[p] !== undefined);
  if (given.length !== 1)
    return at(`coefficient must name exactly one of source, derived, assumed (has ${given.length ? given.join(', ') : 'none'})`,
      'every number says where it came from: {"value": 1, "unit": "J", "source": "paper, table 2"}');
  if (typeof v[given[0]!] !== 'string' || (v[given[0]!] as string).trim() === '') return at(`'${given[0]}' must be a non-empty string`);
  if (v.unverified !== undefined && typeof v.unverified !== 'string') return at("'unverified' must be a string saying why");
  const extra = Object.keys(v).filter((k) => !['value', 'unit', 'unverified', ...PROVENANCE].includes(k));
  if (extra.length) return at(`unknown coefficient key '${extra[0]}'`);
  return [];
}

/** Every bare number must sit in an object that names its provenance. */
function checkNumbers(path: string, v: unknown, sourced: boolean, ctx: { file?: string; chip?: string }): Diagnostic[] {
  if (typeof v === 'number') {
    return sourced ? [] : [diag('E_PROFILE', `bare number ${v} has no source`, { ...ctx, field: path, hint: 'write {"value": …, "unit": …, "source"|"derived"|"assumed": …}' })];
  }
  if (Array.isArray(v)) return v.flatMap((x, i) => checkNumbers(`${path}[${i}]`, x, sourced, ctx));
  if (!isObject(v)) return [];
  if ('value' in v) return checkCoefficient(path, v, ctx);
  const own = PROVENANCE.some((p) => typeof v[p] === 'string');
  return Object.entries(v).flatMap(([k, x]) => checkNumbers(path ? `${path}.${k}` : k, x, sourced || own, ctx));
}

function checkFormat(path: string, v: unknown, ctx: { file?: string; chip?: string }): Diagnostic[] {
  const at = (message: string): Diagnostic[] => [diag('E_PROFILE', message, { ...ctx, field: path })];
  if (!isObject(v)) return at('number format must be an object');
  const int = (x: unknown, min: number): boolean => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= 64;
  if (v.kind === 'fixed') {
    if (typeof v.signed !== 'boolean' || !int(v.intBits, 0) || !int(v.fracBits, 0)) return at('fixed format needs signed (boolean), intBits and fracBits (integers)');
  } else if (v.kind === 'int') {
    if (typeof v.signed !== 'boolean' || !int(v.bits, 1)) return at('int format needs signed (boolean) and bits (integer ≥ 1)');
  } else return at(`unknown format kind '${String(v.kind)}' (expected 'fixed' or 'int')`);
  if (!PROVENANCE.some((p) => typeof v[p] === 'string')) return at('number format must name its source, derived or assumed');
  return [];
}

/**
 * Validate a parsed profile (after `extends` is resolved). Returns the typed profile when there
 * is no error; every diagnostic names the field (dotted path) and the file.
 */
export function validateProfile(json: unknown, file?: string): { profile?: ChipProfile; diagnostics: Diagnostic[] } {
  const ctx: { file?: string; chip?: string } = file ? { file } : {};
  if (!isObject(json)) return { diagnostics: [diag('E_PROFILE', 'a chip profile must be a JSON object', ctx)] };
  if (typeof json.id === 'string') ctx.chip = json.id;
  const d: Diagnostic[] = [];
  for (const k of ['id', 'family', 'version', 'name'] as const)
    if (typeof json[k] !== 'string' || json[k] === '') d.push(diag('E_PROFILE', `missing string field '${k}'`, { ...ctx, field: k }));
  if (!isObject(json.machine) || typeof json.machine.layout !== 'string')
    d.push(diag('E_PROFILE', "missing 'machine' with a string 'layout'", { ...ctx, field: 'machine.layout' }));
  for (const t of TABLES) {
    const tab = json[t];
    if (tab === undefined) continue;
    if (!isObject(tab)) {
      d.push(diag('E_PROFILE', `'${t}' must be an object of coefficients`, { ...ctx, field: t }));
      continue;
    }
    for (const [k, v] of Object.entries(tab)) {
      if (!isObject(v) || !('value' in v)) d.push(diag('E_PROFILE', 'expected a coefficient {value, unit, source|derived|assumed}', { ...ctx, field: `${t}.${k}` }));
      else d.push(...checkCoefficient(`${t}.${k}`, v, ctx));
    }
  }
  if (json.formats !== undefined) {
    if (!isObject(json.formats)) d.push(diag('E_PROFILE', "'formats' must be an object", { ...ctx, field: 'formats' }));
    else for (const [k, v] of Object.entries(json.formats)) d.push(...checkFormat(`formats.${k}`, v, ctx));
  }
  if (json.dvfs !== undefined && !isObject(json.dvfs)) d.push(diag('E_PROFILE', "'dvfs' must be an object", { ...ctx, field: 'dvfs' }));
  // any other number anywhere (machine, dvfs, unknown sections) must be sourced too
  for (const [k, v] of Object.entries(json)) if (!TABLES.includes(k as (typeof TABLES)[number]) && k !== 'formats') d.push(...checkNumbers(k, v, false, ctx));
  if (d.length) return { diagnostics: d };
  const profile: ChipProfile = {
    id: json.id as string,
    family: json.family as string,
    version: json.version as string,
    name: json.name as string,
    ...(typeof json.description === 'string' ? { description: json.description } : {}),
    machine: json.machine as MachineSpec,
    chip: (json.chip ?? {}) as CoefficientTable,
    formats: (json.formats ?? {}) as Record<string, SourcedFormat>,
    limits: (json.limits ?? {}) as CoefficientTable,
    energy: (json.energy ?? {}) as CoefficientTable,
    latency: (json.latency ?? {}) as CoefficientTable,
    placement: (json.placement ?? {}) as CoefficientTable,
    dvfs: (json.dvfs ?? {}) as Record<string, CoefficientTable>,
    ...(isObject(json.arithmetic) ? { arithmetic: json.arithmetic as unknown as ArithmeticSpec } : {}),
    ...(typeof json.energyModel === 'string' ? { energyModel: json.energyModel } : {}),
  };
  return { profile, diagnostics: [] };
}

/**
 * Resolve `extends` (a built-in profile id, looked up with `builtin`) and validate. Cycles and
 * unknown bases are one-line diagnostics.
 */
export function resolveProfile(json: unknown, builtin: (id: string) => unknown, file?: string): { profile?: ChipProfile; diagnostics: Diagnostic[] } {
  let cur = json;
  const seen = new Set<string>();
  for (let depth = 0; isObject(cur) && typeof cur.extends === 'string'; depth++) {
    const base = cur.extends;
    if (seen.has(base) || depth > 8)
      return { diagnostics: [diag('E_PROFILE', `'extends' forms a cycle through '${base}'`, { ...(file ? { file } : {}), field: 'extends' })] };
    seen.add(base);
    const b = builtin(base);
    if (b === undefined)
      return { diagnostics: [diag('E_PROFILE', `'extends' names unknown profile '${base}'`, { ...(file ? { file } : {}), field: 'extends', hint: 'run `neuromesh profiles` for the list' })] };
    const { extends: _drop, ...rest } = cur;
    cur = mergeProfiles(b, rest);
  }
  return validateProfile(cur, file);
}

/** Read and validate a profile file (for `--chip ./my.json`). */
export function loadProfileFile(path: string, builtin: (id: string) => unknown): { profile?: ChipProfile; diagnostics: Diagnostic[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { diagnostics: [fileAccessError(path, e, 'chip profile')] };
  }
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch (e) {
    return { diagnostics: [diag('E_PROFILE', `not valid JSON: ${(e as Error).message.split('\n')[0]}`, { file: path })] };
  }
  return resolveProfile(json, builtin, path);
}

/** A coefficient's value by `section.name`; a missing one is a Diagnostic naming the field. */
export function coefficient(profile: ChipProfile, section: (typeof TABLES)[number], name: string): number | Diagnostic {
  const c = profile[section][name];
  if (!c) return diag('E_PROFILE', `profile has no coefficient '${section}.${name}'`, { chip: profile.id, field: `${section}.${name}` });
  return c.value;
}

/** Coefficients whose figures are marked unverified, as dotted paths (reports show the mark). */
export function unverifiedFields(profile: ChipProfile): string[] {
  const out: string[] = [];
  for (const t of TABLES) for (const [k, c] of Object.entries(profile[t])) if (c.unverified) out.push(`${t}.${k}`);
  for (const [p, tab] of Object.entries(profile.dvfs)) for (const [k, c] of Object.entries(tab)) if (c.unverified) out.push(`dvfs.${p}.${k}`);
  return out;
}
