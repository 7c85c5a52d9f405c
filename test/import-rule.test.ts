import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/shared.js';

/**
 * architecture.md import rule: src/ never imports compiler/ or chips/; compiler/ never imports
 * chips/; chips/* import only src/ (and their own folder); only the CLI wires them together.
 */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|new URL\(\s*['"]([^'"]+)['"]/g;
  const out: string[] = [];
  for (const m of src.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

function topOf(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = resolve(dirname(file), spec);
  return relative(REPO, target).split(/[\\/]/)[0];
}

describe('import rule', () => {
  const cases: [string, string[]][] = [
    ['src', ['compiler', 'chips']],
    ['compiler', ['chips']],
  ];
  for (const [top, forbidden] of cases) {
    it(`${top}/ does not import ${forbidden.join(' or ')}`, () => {
      const bad: string[] = [];
      for (const f of tsFiles(join(REPO, top))) {
        if (top === 'src' && relative(REPO, f).startsWith(join('src', 'cli'))) continue; // the CLI wires everything
        for (const s of imports(f)) {
          const t = topOf(f, s);
          if (t && forbidden.includes(t)) bad.push(`${relative(REPO, f)} imports ${s}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }
  it('chips/* import only src/ and their own chip folder', () => {
    const bad: string[] = [];
    for (const f of tsFiles(join(REPO, 'chips'))) {
      const rel = relative(REPO, f).split(/[\\/]/);
      for (const s of imports(f)) {
        if (!s.startsWith('.')) continue;
        const target = relative(REPO, resolve(dirname(f), s)).split(/[\\/]/);
        // chips/index.ts is the list of chips and imports every chip folder; a chip imports only itself.
        const isList = rel.length === 2;
        const ok = target[0] === 'src' || (target[0] === 'chips' && (isList || target.length === 2 || target[1] === rel[1]));
        if (!ok) bad.push(`${rel.join('/')} imports ${s}`);
      }
    }
    expect(bad).toEqual([]);
  });
  it('the checker itself sees imports (guards against a vacuous pass)', () => {
    const files = tsFiles(join(REPO, 'src'));
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap(imports).length).toBeGreaterThan(10);
  });
});
