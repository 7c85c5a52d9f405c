import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Outcome } from '../../bench/hostile/case-types.js';
import { runCases } from '../../bench/hostile/harness.js';

/**
 * The classifier of bench/hostile/harness.ts sees each bad outcome: a fake CLI (a tiny node
 * script standing in for dist/src/cli/main.js) misbehaves in one way per case.
 */
let work: string;
let fake: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'nm-hostile-harness-'));
  fake = join(work, 'fake-cli.mjs');
  writeFileSync(fake, `import { writeFileSync, mkdirSync } from 'node:fs';
const [what] = process.argv.slice(2);
const err = (s) => process.stderr.write(s + '\\n');
switch (what) {
  case 'overwrite': writeFileSync('m.nmg', 'clobbered'); break;
  case 'leave-temp': writeFileSync('.x.123.tmp.json', '{'); err('error E_WRITE x.json: disk full'); process.exit(2);
  case 'stack': err('error E_INTERNAL boom'); err('    at f (file:///x.js:1:2)'); process.exit(2);
  case 'hang': setInterval(() => {}, 1000); break;
  case 'two-lines': err('error: missing argument'); err('(run with --help for usage)'); process.exit(2);
  case 'two-errors': err("error E_BAD_SHAPE m.nmg node 'in': absurd"); err("error E_BAD_SHAPE m.nmg node 'out': absurd"); process.exit(2);
  case 'exit3': err('error E_INTERNAL worker crashed'); process.exit(3);
  case 'nan': process.stdout.write('{"energy": NaN}\\n'); break;
  case 'refuse': err('error E_BAD_OPTION --steps: 9007199254740993 is not a safe integer'); process.exit(2);
  case 'refuse-rounded': err('error E_BAD_OPTION --steps: 9007199254740992 is too large'); process.exit(2);
  case 'ok-dir': mkdirSync('out'); writeFileSync('out/a.npy', 'x'); break;
  case 'different': process.stdout.write('{"spikes": [2]}\\n'); break;
  case 'same': process.stdout.write('{"spikes": [1], "host": {"t": 3}}\\n'); break;
}
`);
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const c = (what: string, expect: Case['expect'], extra: Partial<Case> = {}): Case => ({
  id: `0-baseline/fake/${what}-${expect}`, cls: '0-baseline', command: 'fake', args: [what], expect,
  files: [{ path: 'm.nmg', data: 'model' }], ...extra,
});

describe('hostile harness classifies every outcome', () => {
  it('overwritten input, partial output, stack trace, hang, wrong exit, not one line, wrong value, wrong result, clean', async () => {
    const cases: [Case, Outcome][] = [
      [c('overwrite', 'refuse'), 'overwritten-input'],
      [c('leave-temp', 'refuse'), 'partial-output'],
      [c('stack', 'refuse'), 'stack-trace'],
      [c('hang', 'refuse', { timeoutMs: 1500 }), 'hang'],
      [c('exit3', 'refuse'), 'wrong-exit'],
      [c('nan', 'ok'), 'wrong-exit'],
      [c('ok-dir', 'refuse'), 'wrong-exit'],
      [c('two-lines', 'refuse'), 'not-one-line'],
      [c('two-errors', 'refuse'), 'clean'],
      [c('refuse-rounded', 'refuse', { mention: ['9007199254740993'] }), 'wrong-value'],
      [c('refuse', 'refuse', { mention: ['9007199254740993'] }), 'clean'],
      [c('ok-dir', 'ok', { outputs: ['out'] }), 'clean'],
      [c('ok-dir', 'clean'), 'partial-output'],
      [c('same', 'ok', { id: '0-baseline/fake/reference' }), 'clean'],
      [c('same', 'refuse-or-identical', { reference: '0-baseline/fake/reference' }), 'clean'],
      [c('different', 'refuse-or-identical', { reference: '0-baseline/fake/reference' }), 'wrong-result'],
    ];
    const results = await runCases(cases.map(([x]) => x), { node: process.execPath, main: fake, baseDir: work, casesDir: join(work, 'cases'), concurrency: 2, timeoutMs: 10_000 });
    expect(results.map((r) => [r.id, r.outcome])).toEqual(cases.map(([x, o]) => [x.id, o]));
  });
});
