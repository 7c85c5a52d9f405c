import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHIPS, builtinProfiles, loadProfile } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('chips/index.ts', () => {
  it('lists exactly the chip folders', () => {
    const folders = readdirSync(here).filter((f) => statSync(join(here, f)).isDirectory()).sort();
    expect(CHIPS.map((c) => c.id).sort()).toEqual(folders);
  });
  it('every profile JSON file in a chip folder is registered and valid', () => {
    const ids = builtinProfiles().map((p) => p.id).sort();
    const files = CHIPS.flatMap((c) => readdirSync(join(here, c.id, 'profiles')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''))).sort();
    expect(ids).toEqual(files);
    for (const p of builtinProfiles()) expect(loadProfile(p.id).family).toBe(p.family);
  });
});
