import { isObject, PROVENANCE, type ProfileFamilySpec } from './profile-schema.js';

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
