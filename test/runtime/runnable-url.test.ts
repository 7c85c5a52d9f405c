/** Kernel and worker URLs: a `.ts` source maps to its compiled twin under dist/; a missing build is a clear error. */
import { describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import { runnableUrl, workerEntryUrl } from '../../src/runtime/runnable-url.js';
import { REPO } from '../helpers/shared.js';
import { ensureBuilt } from './build.js';

describe('runnableUrl', () => {
  it('maps a source module to dist/ and keeps an existing .js', () => {
    ensureBuilt();
    const src = new URL('../../src/runtime/testing/relay-kernel.ts', import.meta.url);
    expect(runnableUrl(src).pathname).toBe(`${REPO}/dist/src/runtime/testing/relay-kernel.js`);
    const built = new URL(`file://${REPO}/dist/src/runtime/channel.js`);
    expect(runnableUrl(built).href).toBe(built.href);
    expect(workerEntryUrl().pathname).toBe(`${REPO}/dist/src/runtime/worker.js`);
  });

  it('fails with E_RUNTIME_BUILD (exit 2: the environment, not a bug) and a hint when no JavaScript exists', () => {
    let err: unknown;
    try {
      runnableUrl(new URL('../../src/runtime/no-such-kernel.ts', import.meta.url));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NeuromeshError);
    expect((err as NeuromeshError).diagnostics[0]!.code).toBe('E_RUNTIME_BUILD');
    expect((err as NeuromeshError).diagnostics[0]!.hint).toContain('npm run build');
    expect((err as NeuromeshError).exitCode).toBe(2);
  });
});
