import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is test/helpers/shared.ts). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The NIR-paper models and traces, bundled in the repository (test/fixtures/nir-paper, BSD-3). */
export const NIR_PAPER = resolve(REPO, 'test', 'fixtures', 'nir-paper');

/** A file of the bundled NIR-paper fixtures; fails loudly when it is missing (tests never skip). */
export function fixture(...parts: string[]): string {
  const path = resolve(NIR_PAPER, ...parts);
  if (!existsSync(path)) throw new Error(`neuromesh test fixture missing: ${path}`);
  return path;
}
