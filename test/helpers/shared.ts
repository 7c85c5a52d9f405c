import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is test/helpers/shared.ts). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The shared folder with design notes and fixtures: $NEUROMESH_SHARED or ../shared from the
 * repository root. Fails loudly when missing (semantics.md §8): tests must not skip silently.
 */
export function sharedDir(): string {
  const dir = process.env.NEUROMESH_SHARED ? resolve(process.env.NEUROMESH_SHARED) : resolve(REPO, '..', 'shared');
  if (!existsSync(resolve(dir, 'fixtures', 'nir-paper')))
    throw new Error(`neuromesh test fixtures not found at ${dir}: set NEUROMESH_SHARED to the shared/ folder (with fixtures/nir-paper)`);
  return dir;
}

export function fixture(...parts: string[]): string {
  return resolve(sharedDir(), 'fixtures', 'nir-paper', ...parts);
}
