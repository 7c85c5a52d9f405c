/**
 * Workers run JavaScript. When neuromesh itself runs from the TypeScript sources (vitest), a
 * module URL next to a `.ts` file has no `.js` sibling: map it to the build output under dist/.
 */
import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { diag, NeuromeshError } from '../errors.js';

/** The repository root when running from sources, or dist/ when running from the build. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The URL of a runnable JavaScript module for `url` (a `.js` or `.ts` file URL): the file itself
 * if it exists as `.js`, else its compiled twin under `<repo>/dist/`. Throws E_RUNTIME_BUILD
 * when neither exists.
 */
export function runnableUrl(url: string | URL): URL {
  const path = fileURLToPath(url).replace(/\.ts$/, '.js');
  if (existsSync(path)) return pathToFileURL(path);
  const rel = relative(ROOT, path);
  if (!rel.startsWith('..') && !rel.startsWith(sep)) {
    const built = resolve(ROOT, 'dist', rel);
    if (existsSync(built)) return pathToFileURL(built);
  }
  throw new NeuromeshError([diag('E_RUNTIME_BUILD', `no compiled JavaScript for ${path}`, {
    hint: 'worker threads run the build output: run `npm run build` first',
  })]);
}

/** The worker entry point (dist/src/runtime/worker.js). */
export function workerEntryUrl(): URL {
  return runnableUrl(new URL('./worker.js', import.meta.url));
}
