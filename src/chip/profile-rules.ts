import { isObject, PROVENANCE, type ProfileFamilySpec, type ProfileFieldRule } from './profile-schema.js';
import { checkFinite, checkInt } from '../number-intake.js';

/**
 * The profile rules that are walks over the raw JSON rather than shapes: no `__proto__` key, no
 * bare number outside an object that names its provenance, and the coefficients a chip family
 * requires. validateProfile (profile.ts) reports them beside the zod issues of profile-schema.ts,
 * one diagnostic per problem (a problem at a path zod already reported is not repeated).
 */

/** A problem found outside zod's own issues (reserved keys, bare numbers, required fields). */
export interface ProfileIssue {
  path: PropertyKey[];
  message: string;
  hint?: string;
}

/** A user array's items in a fresh array (its own methods or `constructor` are never called). */
function items(v: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) out.push(v[i]);
  return out;
}

/** `__proto__` keys anywhere (they could change an object's prototype): one issue each. */
export function reservedKeyIssues(v: unknown, path: PropertyKey[] = []): ProfileIssue[] {
  if (Array.isArray(v)) return items(v).flatMap((x, i) => reservedKeyIssues(x, [...path, i]));
  if (!isObject(v)) return [];
  return Object.keys(v).flatMap((k) =>
    k === '__proto__'
      ? [{ path: [...path, k], message: "'__proto__' is not allowed as a key", hint: 'it could change an object prototype; rename or remove the key' }]
      : reservedKeyIssues(v[k], [...path, k]),
  );
}

/** Every bare number must sit in an object that names its provenance (itself or an enclosing one). */
export function provenanceIssues(v: unknown, path: PropertyKey[] = [], sourced = false): ProfileIssue[] {
  if (typeof v === 'number')
    return sourced ? [] : [{ path, message: `bare number ${v} has no source`, hint: 'write {"value": …, "unit": …, "source"|"derived"|"assumed": …}' }];
  if (Array.isArray(v)) return items(v).flatMap((x, i) => provenanceIssues(x, [...path, i], sourced));
  if (!isObject(v)) return [];
  const own = PROVENANCE.some((p) => Object.hasOwn(v, p) && typeof v[p] === 'string');
  return Object.keys(v).flatMap((k) => provenanceIssues(v[k], [...path, k], sourced || own));
}

/** The value at a dotted path, through own properties only (never the prototype). */
export function at(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const k of path.split('.')) {
    if (!isObject(cur) || !Object.hasOwn(cur, k)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Required coefficients the profile lacks (present but malformed ones are the schema's to report). */
export function requiredFieldIssues(json: unknown, family: ProfileFamilySpec): ProfileIssue[] {
  return (family.requiredFields ?? []).flatMap((f) => {
    const c = at(json, f);
    if (isObject(c) && Object.hasOwn(c, 'value')) return [];
    return [{
      path: f.split('.'),
      message: `missing coefficient '${f}', which the ${family.id} backend needs`,
      hint: 'add {"value": …, "unit": …, "source"|"derived"|"assumed": …}; in a profile that extends another, null removes a field',
    }];
  });
}

/**
 * The range of one coefficient (a dotted path; `*` matches any key of its level): an integer or a
 * real, inclusive bounds, `above` an exclusive lower bound (frequency > 0). `why` words the hint.
 */
export type FieldRule = ProfileFieldRule;

/** Rules every profile obeys, whatever its family: operating points and costs are physical. */
export const GENERIC_FIELD_RULES: readonly FieldRule[] = [
  { path: 'dvfs.*.frequency', unit: 'Hz', min: 1, max: 1e12, why: 'a clock frequency in Hz: from 1 Hz (below it a cycle takes longer than a second, and a denormal one is an infinite time) to 1 THz' },
  { path: 'dvfs.*.voltage', unit: 'V', min: 1e-3, max: 1000, why: 'a supply voltage in V, from 1 mV to 1 kV' },
  // upper bounds keep every product of a report finite (an energy of 1e308 J per event is Infinity after two events)
  { path: 'energy.*', min: 0, max: 1e6, why: 'an energy (J) or power (W) cost is from 0 to 10^6' },
  { path: 'latency.*', min: 0, max: 1e9, why: 'a time or cycle count is from 0 to 10^9' },
  { path: 'placement.*', min: 0, max: 1e12, why: 'a placement weight or budget is from 0 to 10^12' },
  { path: 'chip.*', min: 0, max: 2 ** 53, why: 'a chip size or count is from 0 to 2^53' },
  { path: 'limits.*', min: 0, max: 2 ** 53, why: 'a limit is from 0 to 2^53' },
];

/** The coefficient paths under `pattern` that the profile has, with their values. */
function matches(json: unknown, pattern: string): { path: string[]; value: unknown }[] {
  let cur: { path: string[]; value: unknown }[] = [{ path: [], value: json }];
  for (const seg of pattern.split('.')) {
    const next: { path: string[]; value: unknown }[] = [];
    for (const c of cur) {
      if (!isObject(c.value)) continue;
      for (const k of seg === '*' ? Object.keys(c.value) : Object.hasOwn(c.value, seg) ? [seg] : []) next.push({ path: [...c.path, k], value: c.value[k] });
    }
    cur = next;
  }
  return cur;
}

/** One issue per coefficient whose value breaks its rule (the first rule of a path wins). */
export function rangeIssues(json: unknown, rules: readonly FieldRule[]): ProfileIssue[] {
  const out: ProfileIssue[] = [];
  const seen = new Set<string>();
  for (const r of rules)
    for (const { path, value } of matches(json, r.path)) {
      const key = path.join('.');
      if (seen.has(key) || !isObject(value) || typeof value.value !== 'number') continue;
      seen.add(key);
      const units = r.unit === undefined ? undefined : typeof r.unit === 'string' ? [r.unit] : r.unit;
      if (units && typeof value.unit === 'string' && !units.includes(value.unit)) {
        out.push({ path, message: `unit '${value.unit}' is not ${units.map((u) => `'${u}'`).join(' or ')}`, hint: `write this field in ${units.join(' or ')} (neuromesh converts no units)` });
        continue;
      }
      const bad = fieldRuleProblem(value.value, r);
      if (bad) out.push({ path, message: bad, hint: r.why ?? 'see the built-in profiles (`neuromesh profiles spinnaker2 --json`) for sane values' });
    }
  return out;
}

/** Why `v` breaks rule `r`, or undefined. */
export function fieldRuleProblem(v: number, r: Omit<FieldRule, 'path'>): string | undefined {
  if (r.int) {
    const lo = r.above !== undefined ? Math.floor(r.above) + 1 : r.min;
    const d = checkInt(v, { what: 'value', ...(lo !== undefined ? { min: lo } : {}), ...(r.max !== undefined ? { max: r.max } : {}) });
    return typeof d === 'number' ? undefined : d.message;
  }
  const d = checkFinite(v, { what: 'value', ...(r.above !== undefined ? { min: r.above, exclusiveMin: true } : r.min !== undefined ? { min: r.min } : {}), ...(r.max !== undefined ? { max: r.max } : {}) });
  return typeof d === 'number' ? undefined : d.message;
}

/** The value of the coefficient at a dotted path, if it is a number. */
export function coefficientValue(json: unknown, path: string): number | undefined {
  const c = at(json, path);
  return isObject(c) && typeof c.value === 'number' ? c.value : undefined;
}

/** energyModel must name one of the family's cost models. */
export function energyModelIssues(json: unknown, family?: ProfileFamilySpec): ProfileIssue[] {
  const m = isObject(json) ? json.energyModel : undefined;
  const known = family?.energyModels;
  if (typeof m !== 'string' || !known || known.includes(m)) return [];
  return [{ path: ['energyModel'], message: `unknown energy model ${JSON.stringify(m.length > 40 ? `${m.slice(0, 40)}…` : m)}`, hint: `one of ${known.join(', ')}` }];
}
