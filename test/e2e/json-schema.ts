/**
 * A small JSON Schema (2020-12) validator for the subset the schemas/ files use, so that tests can
 * check outputs against the committed schemas without another dependency. A keyword outside the
 * subset throws: a schema cannot silently rely on something this validator ignores.
 */
export type Schema = { [key: string]: unknown } | boolean;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs', 'examples', '$comment']);
const KEYWORDS = new Set([
  'type', 'const', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'prefixItems', 'minItems',
  'maxItems', 'minimum', 'maximum', 'minLength', 'pattern', 'oneOf', 'anyOf', '$ref',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
  let cur: unknown = root;
  for (const part of ref.slice(2).split('/')) cur = (cur as Record<string, unknown>)[part];
  if (cur === undefined) throw new Error(`unresolved $ref ${ref}`);
  return cur as Schema;
}

/** Errors of `value` against `schema` (empty when valid), each as "<json path>: <problem>". */
export function validate(value: unknown, schema: Schema, root: Schema = schema, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value allowed here`];
  const errs: string[] = [];
  for (const k of Object.keys(schema)) if (!ANNOTATIONS.has(k) && !KEYWORDS.has(k)) throw new Error(`json-schema.ts does not support keyword '${k}' (at ${path})`);
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') errs.push(...validate(value, resolveRef(root, s.$ref), root, path));
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => typeMatches(value, t))) return [...errs, `${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`];
  }
  if ('const' in s && JSON.stringify(value) !== JSON.stringify(s.const)) errs.push(`${path}: expected ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) errs.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) errs.push(`${path}: ${value} < minimum ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) errs.push(`${path}: ${value} > maximum ${s.maximum}`);
  }
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && value.length < s.minLength) errs.push(`${path}: shorter than ${s.minLength}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) errs.push(`${path}: does not match ${s.pattern}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) errs.push(`${path}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) errs.push(`${path}: more than ${s.maxItems} items`);
    const prefix = (s.prefixItems as Schema[] | undefined) ?? [];
    value.forEach((item, i) => {
      if (i < prefix.length) errs.push(...validate(item, prefix[i]!, root, `${path}[${i}]`));
      else if (s.items !== undefined) errs.push(...validate(item, s.items as Schema, root, `${path}[${i}]`));
    });
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of (s.required as string[] | undefined) ?? []) if (!(r in obj)) errs.push(`${path}: missing required '${r}'`);
    const props = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, v] of Object.entries(obj)) {
      if (k in props) errs.push(...validate(v, props[k]!, root, `${path}.${k}`));
      else if (s.additionalProperties !== undefined) errs.push(...validate(v, s.additionalProperties as Schema, root, `${path}.${k}`));
    }
  }
  if (Array.isArray(s.oneOf)) {
    const ok = (s.oneOf as Schema[]).filter((sub) => validate(value, sub, root, path).length === 0).length;
    if (ok !== 1) errs.push(`${path}: matches ${ok} of the oneOf alternatives, expected exactly 1`);
  }
  if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some((sub) => validate(value, sub, root, path).length === 0))
    errs.push(`${path}: matches none of the anyOf alternatives`);
  return errs;
}
