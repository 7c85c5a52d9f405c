import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { diag, NeuromeshError, type Diagnostic } from '../errors.js';
import { fileAccessError } from '../io/file-error.js';
import { noteInput } from '../io/output-guard.js';
import { resolveArithmetic } from './arithmetic.js';
import { parseJsonText } from '../io/json-text.js';
import { at, energyModelIssues, GENERIC_FIELD_RULES, provenanceIssues, rangeIssues, requiredFieldIssues, reservedKeyIssues, type ProfileIssue } from './profile-rules.js';
import {
  isObject, knownSections, PARSE_PARAMS, profileSchemaFor, TABLES,
  type ChipProfile, type IssueParams, type ProfileFamilySpec, type Table,
} from './profile-schema.js';

/**
 * A chip profile is data (JSON): sizes, clocks, number formats, limits, energy and latency
 * coefficients, each number with its provenance. The schemas (zod) and the types inferred from
 * them are in profile-schema.ts; this file loads, merges (`extends`) and validates, turning every
 * problem into one one-line `E_PROFILE` diagnostic naming the field (dotted path), the file and the
 * profile id.
 */
export {
  chipSections, coefficientSchema, formatSchema, PROVENANCE, TABLES,
  type ChipProfile, type Coefficient, type CoefficientTable, type MachineSpec, type ProfileFamilySpec, type SourcedFormat,
} from './profile-schema.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Result = { profile?: ChipProfile; diagnostics: Diagnostic[] };
type Ctx = { file?: string; chip?: string };

/** Sets an own property, even one named `__proto__` (plain assignment would change the prototype). */
function put(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/**
 * Deep merge for `extends`: objects merge key by key, everything else is replaced; a coefficient or
 * a format (an object with `value` or `kind`) is replaced whole, never merged with the base's
 * provenance. `null` removes the base's field (as in JSON Merge Patch, RFC 7386): that is how a
 * profile drops a coefficient it inherits. Only own keys are read and written, so a `__proto__` or
 * `constructor` key stays a plain key (validation then refuses `__proto__`).
 */
export function mergeProfiles(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(base)) put(out, k, base[k]);
  for (const k of Object.keys(over)) {
    const v = over[k];
    if (v === null) {
      delete out[k];
      continue;
    }
    const whole = isObject(v) && (Object.hasOwn(v, 'value') || Object.hasOwn(v, 'kind'));
    put(out, k, !whole && Object.hasOwn(base, k) ? mergeProfiles(base[k], v) : v);
  }
  return out;
}

function fieldOf(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s ? `.${String(k)}` : String(k);
  return s;
}

const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, ' ');

/** zod issues as ProfileIssues: unknown keys one each, a union by its branch that fits the input. */
function flatten(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[], sections: string[]): ProfileIssue[] {
  return issues.flatMap((i): ProfileIssue[] => {
    const path = [...prefix, ...i.path];
    const hint = (i as { params?: IssueParams }).params?.hint;
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) =>
        path.length === 0
          ? { path: [k], message: `unknown section '${k}'`, hint: `the sections of a profile are ${sections.join(', ')}` }
          : { path: [...path, k], message: `unknown key '${k}'` },
      );
    if (i.code === 'invalid_union') {
      // the branches whose complaint is not "wrong type here": the one the input was meant for
      const meant = i.errors.filter((b) => b.some((x) => x.path.length > 0 || x.code !== 'invalid_type'));
      if (meant.length === 1) return flatten(meant[0]!, path, sections);
    }
    return [{ path, message: i.message, ...(hint ? { hint } : {}) }];
  });
}

const related = (a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** Keeps a later group's issue only if no earlier issue is at, above or below its path. */
function dedupe(groups: ProfileIssue[][]): ProfileIssue[] {
  const out: ProfileIssue[] = [];
  for (const g of groups) {
    const before = out.length;
    for (const i of g) if (!out.slice(0, before).some((o) => related(o.path, i.path))) out.push(i);
  }
  return out;
}

/**
 * Validate a parsed profile (after `extends` is resolved). Returns the typed profile when there
 * is no error; every diagnostic names the field (dotted path), the file and the profile id. With
 * the profile's chip family, its own sections are validated by its schema and its required
 * coefficients must be present; without it only the generic sections are allowed.
 */
export function validateProfile(json: unknown, file?: string, family?: ProfileFamilySpec): Result {
  const ctx: Ctx = file ? { file } : {};
  if (!isObject(json)) return { diagnostics: [diag('E_PROFILE', 'a chip profile must be a JSON object', ctx)] };
  if (typeof json.id === 'string' && json.id !== '') ctx.chip = json.id;
  const sections = knownSections(family);
  const reserved = reservedKeyIssues(json);
  const parsed = profileSchemaFor(family).safeParse(json, PARSE_PARAMS);
  const schema = parsed.success ? [] : flatten(parsed.error.issues, [], sections);
  // rules between fields only once every field is in its own range (else one bad field is reported twice)
  const own = [...rangeIssues(json, [...(family?.fieldRules ?? []), ...GENERIC_FIELD_RULES]), ...energyModelIssues(json, family)];
  const ranges = own.length ? own : (family?.crossFieldRules?.(json) ?? []);
  const issues = dedupe([reserved, schema, provenanceIssues(json), family ? requiredFieldIssues(json, family) : [], ranges]);
  if (!issues.length && !parsed.success) issues.push({ path: [], message: 'the profile does not match the profile schema' });
  if (issues.length || !parsed.success)
    return {
      diagnostics: issues.map((i) =>
        diag('E_PROFILE', oneLine(i.message), { ...ctx, ...(i.path.length ? { field: fieldOf(i.path) } : {}), ...(i.hint ? { hint: oneLine(i.hint) } : {}) }),
      ),
    };
  // the arithmetic's formats must work together (a 32-bit state, exact products): checked now, not at compile
  if (parsed.data.arithmetic) {
    try {
      resolveArithmetic(parsed.data);
    } catch (e) {
      if (!(e instanceof NeuromeshError)) throw e;
      const first = e.diagnostics[0]!;
      return { diagnostics: [{ ...first, ...ctx, hint: first.hint ?? 'see the formats of the built-in profiles (`neuromesh profiles spinnaker2 --json`)' }] };
    }
  }
  return { profile: parsed.data, diagnostics: [] };
}

/** The family a profile names, among the given ones. */
function familyOf(json: unknown, families: readonly ProfileFamilySpec[] | undefined): ProfileFamilySpec | undefined {
  const id = isObject(json) ? json.family : undefined;
  return typeof id === 'string' ? families?.find((f) => f.id === id) : undefined;
}

/**
 * Resolve `extends` (a built-in profile id, looked up with `builtin`) and validate (with the chip
 * family the profile names, when `families` lists it). Cycles and unknown bases are one-line
 * diagnostics.
 */
export function resolveProfile(json: unknown, builtin: (id: string) => unknown, file?: string, families?: readonly ProfileFamilySpec[]): Result {
  let cur = json;
  const seen = new Set<string>();
  const ctx = (): Ctx => ({ ...(file ? { file } : {}), ...(isObject(json) && typeof json.id === 'string' && json.id ? { chip: json.id } : {}) });
  for (let depth = 0; isObject(cur) && typeof cur.extends === 'string'; depth++) {
    const base = cur.extends;
    if (seen.has(base) || depth > 8)
      return { diagnostics: [diag('E_PROFILE', `'extends' forms a cycle through '${base}'`, { ...ctx(), field: 'extends' })] };
    seen.add(base);
    const b = builtin(base);
    if (b === undefined)
      return { diagnostics: [diag('E_PROFILE', `'extends' names unknown profile '${base}'`, { ...ctx(), field: 'extends', hint: 'run `neuromesh profiles` for the list' })] };
    const rest: Record<string, unknown> = {};
    for (const k of Object.keys(cur)) if (k !== 'extends') put(rest, k, cur[k]);
    cur = mergeProfiles(b, rest);
  }
  if (isObject(cur) && 'extends' in cur && typeof cur.extends !== 'string')
    return { diagnostics: [diag('E_PROFILE', "'extends' must name a built-in profile (a string)", { ...ctx(), field: 'extends', hint: 'e.g. "extends": "spinnaker2"; run `neuromesh profiles` for the list' })] };
  // a family neuromesh has no backend for is refused here, not first when a command runs it
  const id = isObject(cur) ? cur.family : undefined;
  if (families && typeof id === 'string' && id !== '' && !families.some((f) => f.id === id))
    return { diagnostics: [diag('E_UNKNOWN_CHIP', `profile names unknown chip family '${id.length > 40 ? `${id.slice(0, 40)}…` : id}'`, { ...ctx(), field: 'family', hint: `families: ${families.map((f) => f.id).join(', ')}` })] };
  return validateProfile(cur, file, familyOf(cur, families));
}

/** Read and validate a profile file (for `--chip ./my.json`). */
export function loadProfileFile(path: string, builtin: (id: string) => unknown, families?: readonly ProfileFamilySpec[]): Result {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { diagnostics: [fileAccessError(path, e, 'chip profile')] };
  }
  noteInput(path, 'chip profile');
  const parsed = parseJsonText(text);
  if ('error' in parsed)
    return { diagnostics: [diag('E_BAD_JSON', `chip profile is not valid JSON: ${parsed.error}`, { file: path, hint: 'a profile is a JSON object; see `neuromesh profiles <id> --json` for one' })] };
  return resolveProfile(parsed.value as Json, builtin, path, families);
}

/** A coefficient's value by `section.name`; a missing one is a Diagnostic naming the field. */
export function coefficient(profile: ChipProfile, section: Table, name: string): number | Diagnostic {
  const c = Object.hasOwn(profile[section], name) ? profile[section][name] : undefined;
  if (!c) return diag('E_PROFILE', `profile has no coefficient '${section}.${name}'`, { chip: profile.id, field: `${section}.${name}` });
  return c.value;
}

/** A dotted path to a coefficient: `limits.maxDelaySteps`, `dvfs.low.frequency`, `machine.triadsX`. */
export type CoefficientPath = `${Table}.${string}` | `dvfs.${string}.${string}` | `machine.${string}`;

/**
 * The value of the coefficient at a dotted path. A missing one throws NeuromeshError `E_PROFILE`
 * naming the field: there are no silent defaults (a chip lists the fields it needs in its
 * `requiredFields`, so a loaded profile has them).
 */
export function profileValue(profile: ChipProfile, path: CoefficientPath): number {
  const c = at(profile, path);
  if (isObject(c) && typeof c.value === 'number') return c.value;
  throw new NeuromeshError([diag('E_PROFILE', `profile '${profile.id}' has no coefficient '${path}'`, {
    chip: profile.id, field: path, hint: 'add it to the profile as {"value": …, "unit": …, "source"|"derived"|"assumed": …}',
  })]);
}

/** Coefficients whose figures are marked unverified, as dotted paths (reports show the mark). */
export function unverifiedFields(profile: ChipProfile): string[] {
  const out: string[] = [];
  for (const t of TABLES) for (const [k, c] of Object.entries(profile[t])) if (c.unverified) out.push(`${t}.${k}`);
  for (const [p, tab] of Object.entries(profile.dvfs)) for (const [k, c] of Object.entries(tab)) if (c.unverified) out.push(`dvfs.${p}.${k}`);
  return out;
}
