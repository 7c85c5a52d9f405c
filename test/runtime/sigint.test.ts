/** Ctrl-C as the CLI sees it: SIGINT → abortActiveRuns() → every worker stopped → exit 130, promptly. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './build.js';

beforeAll(() => ensureBuilt());

describe('SIGINT', () => {
  it('stops every worker and exits 130 within a second', async () => {
    const script = fileURLToPath(new URL('./fixtures/sigint-run.mjs', import.meta.url));
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let sentAt = 0;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!sentAt && out.includes('running')) {
        sentAt = performance.now();
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(sentAt).toBeGreaterThan(0);
    expect(performance.now() - sentAt).toBeLessThan(1000);
    expect(code).toBe(130);
    expect(out).toContain('aborted 1');
    expect(out).toContain('E_INTERRUPTED live=0');
  });
});
