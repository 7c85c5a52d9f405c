import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, MAIN } from './cli.js';

/**
 * A closed stdout (issue 11, item 8: `neuromesh inspect m.nir --json | head -c 10`) ends quietly:
 * no stack trace, no error line, exit 0. The reader here closes its end of the pipe before the
 * command writes anything (the harshest case: every write fails with EPIPE).
 */

let dir: string;
beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'neuromesh-epipe-'));
}, BUILD_TIMEOUT_MS);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Run the CLI with a stdout pipe that we close at once (or after `keep` bytes); stderr is collected. */
function closedStdout(args: string[], keep = 0): Promise<{ code: number | null; signal: string | null; stderr: string; got: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let got = 0;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    if (keep === 0) child.stdout.destroy();
    else
      child.stdout.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= keep) child.stdout.destroy();
      });
    child.on('close', (code, signal) => resolve({ code, signal, stderr, got }));
  });
}

const CASES: [string, string[]][] = [
  ['inspect --json', ['inspect', fixture('cnn', 'cnn_sinabs.nir'), '--json']],
  ['inspect (table)', ['inspect', fixture('cnn', 'cnn_sinabs.nir')]],
  ['simulate --json (megabytes)', ['simulate', fixture('lif', 'lif_norse.nir'), '--input', 'poisson:rate=200,seed=1', '--steps', '50000', '--record', 'all', '--record', '1:v', '--json']],
  ['profiles', ['profiles']],
  ['--help', ['--help']],
];

describe('a closed stdout ends quietly', () => {
  for (const [what, args] of CASES) {
    it(`${what}: reader gone before the first byte`, async () => {
      const r = await closedStdout(args);
      expect(r.stderr).toBe('');
      expect(r.signal).toBeNull();
      expect(r.code).toBe(0);
    }, 60_000);
  }

  it('simulate --json | head -c 10: the reader goes after 10 bytes, and -o is still written whole', async () => {
    const r = await closedStdout([...CASES[2]![1], '-o', join(dir, 'run.json')], 10);
    expect(r.got).toBeGreaterThanOrEqual(10);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['run.json']);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).schema).toBe('neuromesh/simulate@1');
  }, 60_000);
});

describe('a stdout that fails otherwise (redirected to a full disk) is not a silent exit 0', () => {
  it('> /dev/full: exit 2 and one E_WRITE line naming ENOSPC', async () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [MAIN, 'inspect', fixture('lif', 'lif_norse.nir'), '--json'], { cwd: dir, stdio: ['ignore', fd, 'pipe'] });
        let stderr = '';
        child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error E_WRITE .*ENOSPC/);
    } finally {
      closeSync(fd);
    }
  }, 30_000);
});

