import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/shared.js';

/**
 * architecture.md import rule: src/ never imports compiler/ or chips/; compiler/ never imports
 * chips/; chips/* import only src/ (and their own folder); only the CLI wires them together.
 */
function tsFiles(dir: string, anyText = false): string[] {
  const out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p, anyText));
    else if (anyText ? /(\.(ts|mjs|js|py|sh|md)|\/run)$/.test(p) : p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
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

/** Each elementary circle once, as a path that starts at its smallest file and returns to it. */
function findCycles(edges: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const nodes = [...edges.keys()].sort();
  for (const start of nodes) {
    // circles through `start` whose other files all sort after it (so each is reported once)
    const stack: [string, number][] = [[start, 0]];
    const path = [start];
    const onPath = new Set([start]);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = edges.get(top[0]) ?? [];
      if (top[1] >= next.length) {
        stack.pop();
        onPath.delete(path.pop()!);
        continue;
      }
      const t = next[top[1]++]!;
      if (t === start) {
        const key = path.join('|');
        if (!seen.has(key)) cycles.push([...path, start]);
        seen.add(key);
      } else if (t > start && !onPath.has(t) && path.length < 12) {
        stack.push([t, 0]);
        path.push(t);
        onPath.add(t);
      }
    }
  }
  return cycles;
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
  it('no import circles in src/, compiler/, chips/ (type-only imports count too)', () => {
    const files = ['src', 'compiler', 'chips'].flatMap((d) => tsFiles(join(REPO, d)));
    const edges = new Map<string, string[]>();
    for (const f of files) {
      const out: string[] = [];
      for (const s of imports(f)) {
        if (!s.startsWith('.')) continue;
        const t = resolve(dirname(f), s).replace(/\.js$/, '.ts');
        if (files.includes(t)) out.push(t);
      }
      edges.set(f, out);
    }
    expect(findCycles(edges).map((c) => c.map((f) => relative(REPO, f)).join(' → '))).toEqual([]);
  });
  it('the cycle finder finds a circle (guards against a vacuous pass)', () => {
    expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c', 'a']]);
  });
  it('no file of src/, compiler/, chips/, examples/, bench/ or test/ reads the team folder beside the repository', () => {
    // the pattern is built from parts so that this file does not match itself
    const outside = new RegExp(`${['\\.\\.', 'shared'].join('/')}\\b|${['NEUROMESH', 'SHARED'].join('_')}`);
    const bad = ['src', 'compiler', 'chips', 'examples', 'bench', 'test', '.ci']
      .flatMap((d) => tsFiles(join(REPO, d), true))
      .filter((f) => outside.test(readFileSync(f, 'utf8')))
      .map((f) => relative(REPO, f));
    expect(bad).toEqual([]);
  });
  it('the checker itself sees imports (guards against a vacuous pass)', () => {
    const files = tsFiles(join(REPO, 'src'));
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap(imports).length).toBeGreaterThan(10);
  });
});
