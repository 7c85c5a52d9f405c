import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, NeuromeshError } from '../../src/errors.js';
import { hostSection, makeDoc, serializeDoc, toJsonValue, withoutHost, writeJsonOutput } from '../../src/cli/json.js';

/** The JSON output envelope shared by every command (docs/semantics.md §5) and its determinism. */

const tmp = mkdtempSync(join(tmpdir(), 'neuromesh-json-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The same object with its keys inserted in reverse order, recursively. */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).reverse()) out[k] = reversedKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

describe('JSON outputs', () => {
  it('envelope: schema first, config second, body keys sorted, host last', () => {
    const doc = makeDoc('inspect', 1, { model: 'm.nir', dt: 1e-4 }, { totals: { b: 1, a: 2 }, edges: [['x', 'y']] }, hostSection({ load: 0.5 }));
    const text = serializeDoc(doc);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['schema', 'config', 'edges', 'totals', 'host']);
    expect(parsed.schema).toBe('neuromesh/inspect@1');
    expect(Object.keys(parsed.config as object)).toEqual(['dt', 'model']);
    expect(Object.keys(parsed.totals as object)).toEqual(['a', 'b']);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('["x", "y"]'); // arrays of scalars stay on one line
  });

  it('makeDoc refuses body keys that would shadow the envelope, and bad kinds', () => {
    expect(() => makeDoc('run', 1, {}, { host: 1 })).toThrow(/host/);
    expect(() => makeDoc('run', 1, {}, { schema: 'x' })).toThrow(/schema/);
    expect(() => makeDoc('Bad Kind', 1, {}, {})).toThrow(/kind/);
  });

  it('typed arrays become arrays, Maps objects, -0 becomes 0, undefined is dropped, NaN is refused', () => {
    expect(toJsonValue({ a: Float32Array.from([0.5, -0]), b: new Map<string, unknown>([['z', 1], ['y', Uint8Array.from([3])]]), c: undefined }))
      .toEqual({ a: [0.5, 0], b: { y: [3], z: 1 } });
    expect(JSON.stringify(toJsonValue(Float64Array.from([-0])))).toBe('[0]');
    expect(() => toJsonValue({ x: [1, Number.NaN] })).toThrow(/\$\.x\[1\]/);
    expect(() => toJsonValue({ x: Infinity })).toThrow(/non-finite/);
  });

  it('deterministic: key insertion order never changes the text, and serialization is idempotent', () => {
    const key = fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !['schema', 'config', 'host', '__proto__'].includes(k));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean(), fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4 }),
      ),
    }));
    fc.assert(fc.property(fc.dictionary(key, value, { maxKeys: 5 }), fc.dictionary(key, value, { maxKeys: 3 }), (body, config) => {
      const a = serializeDoc(makeDoc('test', 1, config, body));
      const b = serializeDoc(makeDoc('test', 1, reversedKeys(config) as Record<string, unknown>, reversedKeys(body) as Record<string, unknown>));
      expect(b).toBe(a);
      const again = JSON.parse(a) as Record<string, unknown>;
      const { schema: _s, config: c2, ...rest } = again;
      expect(serializeDoc(makeDoc('test', 1, c2 as Record<string, unknown>, rest))).toBe(a);
    }), { numRuns: 200 });
  });

  it('host differs between runs, everything else does not (withoutHost)', () => {
    const body = { totals: { neurons: 3 } };
    const a = serializeDoc(makeDoc('x', 1, {}, body, hostSection({ t: 0.1 })));
    const b = serializeDoc(makeDoc('x', 1, {}, body, hostSection({ t: 0.2 })));
    expect(a).not.toBe(b);
    expect(withoutHost(a)).toBe(withoutHost(b));
  });

  it('writeJsonOutput writes the file atomically (no temp left) and the same text to stdout', () => {
    const chunks: string[] = [];
    const path = join(tmp, 'deep', 'out.json');
    const text = writeJsonOutput(makeDoc('x', 2, { a: 1 }, { v: [1, 2] }), { path, stdout: true, out: (t) => chunks.push(t) });
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(chunks.join('')).toBe(text);
    expect(readdirSync(join(tmp, 'deep'))).toEqual(['out.json']);
  });

  it('an unwritable -o path is bad input (E_WRITE, exit 2), not an internal error', () => {
    const doc = makeDoc('x', 1, {}, {});
    for (const path of [tmp, join(tmp, 'file-not-dir.json', 'x.json')]) {
      if (path !== tmp) writeFileSync(join(tmp, 'file-not-dir.json'), '{}');
      let err: unknown;
      try {
        writeJsonOutput(doc, { path });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NeuromeshError);
      expect((err as NeuromeshError).exitCode).toBe(ExitCode.badInput);
      expect((err as NeuromeshError).diagnostics[0]).toMatchObject({ code: 'E_WRITE', file: path });
    }
  });
});
