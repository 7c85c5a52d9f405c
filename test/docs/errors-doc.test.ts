import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc } from '../../src/error-codes-doc.js';
import { diag, ERROR_CODES, exitCodeFor, NeuromeshError, toNeuromeshError } from '../../src/errors.js';
import { REPO } from '../helpers/shared.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('error codes: one table', () => {
  it('docs/errors.md is the rendering of src/error-codes.ts (run `npm run docs:errors` after editing the table)', () => {
    expect(readFileSync(join(REPO, 'docs', 'errors.md'), 'utf8')).toBe(renderErrorsDoc());
  });

  it('every code the code emits is in the table, and every code in the table is emitted somewhere', () => {
    const files = ['src', 'compiler', 'chips'].flatMap((d) => sources(join(REPO, d))).filter((f) => !f.endsWith('error-codes.ts'));
    const used = new Set<string>();
    for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/'([EW]_[A-Z0-9_]+)'/g)) used.add(m[1]!);
    const table = new Set(Object.keys(ERROR_CODES));
    expect([...used].filter((c) => !table.has(c))).toEqual([]);
    expect([...table].filter((c) => !used.has(c))).toEqual([]);
    expect(used.size).toBeGreaterThan(50);
  });

  it('warnings are W_ codes with exit 0; errors are E_ codes with exit 2, 3 or 130', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) expect([code, info.exit === 0]).toEqual([code, code.startsWith('W_')]);
  });

  it("a NeuromeshError's exit code follows from its codes: interruption over bug over bad input; warnings do not count", () => {
    expect(new NeuromeshError([diag('E_BAD_OPTION', 'x')]).exitCode).toBe(2);
    expect(new NeuromeshError([diag('E_ROUTER_FULL', 'x')]).exitCode).toBe(2);
    expect(new NeuromeshError([diag('E_BAD_OPTION', 'x'), diag('E_INVARIANT', 'y')]).exitCode).toBe(3);
    expect(new NeuromeshError([diag('E_WORKER_FAILED', 'x'), diag('E_INTERRUPTED', 'y')]).exitCode).toBe(130);
    expect(exitCodeFor([diag('E_INTERNAL', 'x', { severity: 'warning' }), diag('E_READ', 'y')])).toBe(2);
    expect(toNeuromeshError(new TypeError('boom')).exitCode).toBe(3);
  });
});
