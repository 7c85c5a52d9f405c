import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, hasStackFrame, runCli } from '../e2e/cli.js';
import { validate, type Schema } from '../e2e/json-schema.js';
import { REPO } from '../helpers/shared.js';
import { tinyModelFile } from './tiny-model.js';

const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'check.schema.json'), 'utf8')) as Schema;
let model: string;

beforeAll(async () => {
  await ensureBuilt();
  model = await tinyModelFile();
}, 300_000);

describe('neuromesh check (CLI)', () => {
  it('exit 0 on a correct mapping; exit 1 with a replayable counterexample on a seeded fault; --replay prints the same counterexample', async () => {
    const base = ['check', model, '--chip', 'spinnaker2', '--runs', '10', '--steps', '20', '--seed', '3'];
    const ok = await runCli(base, { timeoutMs: 60_000 });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/10 runs passed/);
    expect(ok.stdout).toMatch(/coverage: 10 inputs/);
    const bad = await runCli([...base, '--fault', 'drop', '--json'], { timeoutMs: 60_000 });
    expect(bad.code).toBe(1);
    const doc = JSON.parse(bad.stdout) as { ok: boolean; counterexamples: { verdict: string; replay: string; input: { spikes: unknown[] } }[] };
    expect(validate(doc, schema)).toEqual([]);
    expect(doc.ok).toBe(false);
    const cx = doc.counterexamples[0]!;
    expect(cx.verdict).toBe('golden');
    expect(cx.input.spikes.length).toBeLessThanOrEqual(3);
    const again = await runCli([...base, '--fault', 'drop', '--json', '--replay', cx.replay], { timeoutMs: 60_000 });
    expect(again.code).toBe(1);
    expect(JSON.stringify((JSON.parse(again.stdout) as typeof doc).counterexamples)).toBe(JSON.stringify(doc.counterexamples));
  }, 120_000);

  it('a bad option is one line on stderr with exit 2, no stack; --help states the tolerance', async () => {
    const r = await runCli(['check', model, '--chip', 'spinnaker2', '--tolerance', 'count=-1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(hasStackFrame(r.stderr)).toBe(false);
    const h = await runCli(['check', '--help']);
    expect(h.stdout).toMatch(/count=1, rel=0\.1/);
    expect(h.stdout).toMatch(/--replay <seed:path>/);
  }, 60_000);
});
