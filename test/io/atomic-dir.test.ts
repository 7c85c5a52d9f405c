import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import { writeDirAtomic } from '../../src/io/atomic-dir.js';
import { cleanupPendingWrites, writeFileAtomic } from '../../src/io/atomic-write.js';
import { noteInput, stopTrackingInputs, trackInputs } from '../../src/io/output-guard.js';
import { fixture } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, lines, MAIN, runCli } from '../e2e/cli.js';

/**
 * Directory outputs (issue 11, item 6) are all or nothing: written into a temporary sibling and
 * renamed at the end; on any failure (a full disk, an error while making a file, an interrupt)
 * the temporary directory is removed and the target is as it was.
 */

let root: string;
let full: string;
beforeAll(async () => {
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), 'neuromesh-atomic-dir-'));
  full = join(root, 'full');
  mkdirSync(full);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full]);
}, BUILD_TIMEOUT_MS);
afterAll(() => {
  if (full) execFileSync('umount', [full]);
  if (root) rmSync(root, { recursive: true, force: true });
});
afterEach(stopTrackingInputs);

const files = (d: string): string[] => readdirSync(d).sort();

describe('writeDirAtomic', () => {
  it('makes a new directory with every file, and leaves no temporary sibling', () => {
    const out = join(root, 'new', 'deeper', 'out');
    const written = writeDirAtomic(`${out}/`, ['a.json', 'b.npy'], (n) => `content of ${n}`);
    expect(written).toEqual([join(out, 'a.json'), join(out, 'b.npy')]);
    expect(files(out)).toEqual(['a.json', 'b.npy']);
    expect(readFileSync(join(out, 'b.npy'), 'utf8')).toBe('content of b.npy');
    expect(files(join(root, 'new', 'deeper'))).toEqual(['out']);
  });

  it('into an existing directory: replaces its own files, keeps the others', () => {
    const out = join(root, 'existing');
    mkdirSync(out);
    writeFileSync(join(out, 'a.json'), 'old a');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    writeDirAtomic(out, ['a.json', 'c.npy'], (n) => `new ${n}`);
    expect(files(out)).toEqual(['a.json', 'c.npy', 'notes.txt']);
    expect(readFileSync(join(out, 'a.json'), 'utf8')).toBe('new a.json');
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(files(root).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a failure while making the third file leaves nothing: no directory, no parents it made, no temporary', () => {
    const out = join(root, 'made', 'out');
    expect(() => writeDirAtomic(out, ['1', '2', '3', '4'], (n) => {
      if (n === '3') throw new Error('boom');
      return n;
    })).toThrow('boom');
    expect(existsSync(join(root, 'made'))).toBe(false);
    expect(files(root).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a failure into an existing directory leaves its files exactly as they were', () => {
    const out = join(root, 'keep');
    mkdirSync(out);
    writeFileSync(join(out, 'a.json'), 'old a');
    expect(() => writeDirAtomic(out, ['a.json', 'b.npy'], (n) => {
      if (n === 'b.npy') throw new Error('boom');
      return 'new';
    })).toThrow('boom');
    expect(files(out)).toEqual(['a.json']);
    expect(readFileSync(join(out, 'a.json'), 'utf8')).toBe('old a');
  });

  it('an interrupt handler (cleanupPendingWrites) removes the temporary directory of a write in progress', () => {
    const out = join(root, 'interrupted');
    let seen: string[] = [];
    expect(() => writeDirAtomic(out, ['a', 'b'], (n) => {
      if (n === 'b') {
        seen = files(root).filter((f) => f.startsWith('.interrupted.'));
        cleanupPendingWrites();
        throw new Error('interrupted');
      }
      return n;
    })).toThrow('interrupted');
    expect(seen).toHaveLength(1);
    expect(files(root).filter((f) => f.startsWith('.interrupted.'))).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('a full disk is E_WRITE naming ENOSPC, exit 2, and nothing is left on the disk', () => {
    const big = new Uint8Array(400 * 1024).fill(7);
    let err: unknown;
    try {
      writeDirAtomic(join(full, 'out'), ['a.npy', 'b.npy', 'c.npy', 'd.npy'], () => big);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NeuromeshError);
    const d = (err as NeuromeshError).diagnostics[0]!;
    expect(d.code).toBe('E_WRITE');
    expect(d.message).toContain('ENOSPC');
    expect((err as NeuromeshError).exitCode).toBe(2);
    expect(files(full)).toEqual([]);
  });

  it('refuses, before writing anything, a file it would replace that the command reads', () => {
    const out = join(root, 'holds-input');
    mkdirSync(out);
    writeFileSync(join(out, 'b.npy'), 'an input');
    trackInputs();
    noteInput(join(out, 'b.npy'), 'input file');
    expect(() => writeDirAtomic(out, ['a.json', 'b.npy'], () => 'x')).toThrow(/same file as the input file/);
    expect(files(out)).toEqual(['b.npy']);
    expect(readFileSync(join(out, 'b.npy'), 'utf8')).toBe('an input');
    expect(files(root).filter((f) => f.startsWith('.holds-input'))).toEqual([]);
  });

  it('names of 255 characters still get a legal temporary name', () => {
    const long = 'n'.repeat(255);
    const out = join(root, 'd'.repeat(255));
    writeDirAtomic(out, [long], () => 'x');
    expect(files(out)).toEqual([long]);
    writeFileAtomic(join(root, long), 'y');
    expect(readFileSync(join(root, long), 'utf8')).toBe('y');
    expect(files(root).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a path that is a file is E_WRITE, the file untouched', () => {
    const f = join(root, 'plain');
    writeFileSync(f, 'data');
    expect(() => writeDirAtomic(`${f}/`, ['a'], () => 'x')).toThrow(NeuromeshError);
    expect(readFileSync(f, 'utf8')).toBe('data');
  });
});

describe('simulate --record all -o dir/ on a full disk', () => {
  it('exit 2, one line E_WRITE (ENOSPC), and no file of the output is left', async () => {
    // a one-neuron model over 150,000 steps: three .npy of 150 KB and 1.2 MB of v (more than the disk)
    const out = join(full, 'run');
    const r = await runCli(['simulate', fixture('lif', 'lif_norse.nir'), '--input', 'poisson:rate=200,seed=1', '--steps', '150000', '--record', 'all', '--record', '1:v', '-o', `${out}/`], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(hasStackFrame(r.stderr)).toBe(false);
    const errs = lines(r.stderr).filter((l) => l.startsWith('error '));
    expect(errs, r.stderr).toHaveLength(1);
    expect(errs[0]).toMatch(/E_WRITE .*ENOSPC/);
    expect(files(full)).toEqual([]);
  }, 90_000);
});

describe('simulate -o dir/ interrupted', () => {
  it('SIGINT while it runs: exit 130, no directory and no temporary sibling', async () => {
    const base = join(root, 'sig');
    mkdirSync(base);
    const child = spawn(process.execPath, [MAIN, 'simulate', fixture('lif', 'lif_norse.nir'), '--input', 'poisson:rate=100,seed=1', '--steps', '100000000', '--record', 'all', '-o', 'out/'], { cwd: base, stdio: 'ignore' });
    // 10⁸ steps take tens of seconds (3·10⁶ take 0.4 s on an idle machine: the run must outlast the signal)
    const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await closed;
    expect(code).toBe(130);
    expect(files(base)).toEqual([]);
  }, 30_000);
});

