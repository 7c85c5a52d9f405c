import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import { writeDirAtomic } from '../../src/io/atomic-dir.js';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { fixture } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, lines, runCli, type CliResult } from './cli.js';

/**
 * When the environment refuses an output (issue 11, item 5) every command exits 2 with one line,
 * E_WRITE naming the cause, and leaves no partial file: a read-only file system (a tmpfs mounted
 * read-only: tests run as root, which ignores chmod), a parent that is a file (ENOTDIR), a full
 * disk (a 1 MiB tmpfs filled to the last page: ENOSPC).
 */

let dir: string;
let ro: string;
let full: string;
const mounted: string[] = [];

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'neuromesh-output-env-'));
  copyFileSync(fixture('lif', 'lif_norse.nir'), join(dir, 'm.nir'));
  copyFileSync(fixture('lif', 'lif_exact.csv'), join(dir, 'in.csv'));
  const nmg = await runCli(['convert', 'm.nir', 'm.nmg'], { cwd: dir });
  expect(nmg.code, nmg.stderr).toBe(0);
  ro = join(dir, 'ro');
  full = join(dir, 'full');
  mkdirSync(ro);
  mkdirSync(full);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro]);
  mounted.push(ro);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full]);
  mounted.push(full);
  // fill the disk to its last page
  try {
    writeFileSync(join(full, 'fill'), new Uint8Array(2 * 1024 * 1024));
  } catch (e) {
    expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
  }
}, BUILD_TIMEOUT_MS);
afterAll(() => {
  for (const m of mounted.reverse()) execFileSync('umount', [m]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every command that writes, with its output at `out` (a path ending in / is a directory output). */
const WRITERS: { what: string; args: (out: (name: string) => string) => string[] }[] = [
  { what: 'inspect -o x.json', args: (o) => ['inspect', 'm.nir', '-o', o('x.json')] },
  { what: 'convert to .nmg', args: (o) => ['convert', 'm.nir', o('x.nmg')] },
  { what: 'convert to .nir', args: (o) => ['convert', 'm.nmg', o('x.nir')] },
  { what: 'compile -o x.nmp', args: (o) => ['compile', 'm.nmg', '--chip', 'spinnaker2', '-o', o('x.nmp')] },
  { what: 'compile -o x.json', args: (o) => ['compile', 'm.nmg', '--chip', 'spinnaker2', '-o', o('x.json')] },
  { what: 'run -o x.json', args: (o) => ['run', 'm.nmg', '--chip', 'spinnaker2', '--input', 'trace:in.csv', '-o', o('x.json')] },
  { what: 'simulate -o x.json', args: (o) => ['simulate', 'm.nir', '--input', 'trace:in.csv', '-o', o('x.json')] },
  { what: 'simulate -o x.csv', args: (o) => ['simulate', 'm.nir', '--input', 'trace:in.csv', '-o', o('x.csv')] },
  { what: 'simulate -o x.npy', args: (o) => ['simulate', 'm.nir', '--input', 'trace:in.csv', '--record', '1', '-o', o('x.npy')] },
  { what: 'simulate --record all -o dir/', args: (o) => ['simulate', 'm.nir', '--input', 'trace:in.csv', '--record', 'all', '-o', `${o('d')}/`] },
  { what: 'check -o x.json', args: (o) => ['check', 'm.nir', '--chip', 'spinnaker2', '--runs', '1', '--steps', '5', '-o', o('x.json')] },
];

const ENVIRONMENTS: { name: string; cause: RegExp; base: () => string; listing: () => string }[] = [
  { name: 'a read-only file system', cause: /read-only file system \(EROFS\)/, base: () => ro, listing: () => ro },
  { name: 'a parent that is a file', cause: /not a directory \(ENOTDIR\)/, base: () => join(dir, 'm.nir', 'sub'), listing: () => dir },
  { name: 'a full disk', cause: /no space left on the device \(ENOSPC\)/, base: () => full, listing: () => full },
];

describe('an output the environment refuses: exit 2, one E_WRITE line naming the cause, no partial file', () => {
  for (const env of ENVIRONMENTS)
    describe(env.name, () => {
      for (const w of WRITERS)
        it(w.what, async () => {
          const before = readdirSync(env.listing()).sort();
          const model = readFileSync(join(dir, 'm.nir'));
          const r = await runCli(w.args((name) => join(env.base(), name)), { cwd: dir, timeoutMs: 60_000 });
          expect(r.code, r.stderr).toBe(2);
          expect(hasStackFrame(r.stderr)).toBe(false);
          const errs = lines(r.stderr).filter((l) => l.startsWith('error '));
          expect(errs, r.stderr).toHaveLength(1);
          expect(errs[0]).toContain('E_WRITE');
          expect(errs[0]).toMatch(env.cause);
          expect(readdirSync(env.listing()).sort()).toEqual(before);
          expect(readFileSync(join(dir, 'm.nir')).equals(model)).toBe(true);
        }, 90_000);
    });
});

describe('a directory output into an existing mount point (where a sibling is on another file system)', () => {
  it('is written whole on a mount point with room, and refused in one line on a full or read-only one', async () => {
    const space = join(dir, 'space');
    mkdirSync(space);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', space]);
    mounted.push(space);
    const sim = (out: string): Promise<CliResult> => runCli(['simulate', 'm.nir', '--input', 'trace:in.csv', '--record', 'all', '-o', `${out}/`], { cwd: dir });
    const ok = await sim(space);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readdirSync(space).sort()).toEqual(['1.spikes.npy', 'output.spikes.npy', 'simulate.json']);
    for (const [d, cause] of [[full, /ENOSPC/], [ro, /EROFS/]] as const) {
      const before = readdirSync(d).sort();
      const r = await sim(d);
      expect(r.code, r.stderr).toBe(2);
      expect(lines(r.stderr).filter((l) => l.startsWith('error ')), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(cause);
      expect(readdirSync(d).sort()).toEqual(before);
    }
  }, 60_000);
});

describe('the writers themselves (the same causes when no early check ran)', () => {
  const cause = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(NeuromeshError);
      const d = (e as NeuromeshError).diagnostics[0]!;
      expect(d.code).toBe('E_WRITE');
      return d.message;
    }
    throw new Error('no error');
  };
  it('writeFileAtomic and writeDirAtomic name EROFS, ENOTDIR and ENOSPC', () => {
    expect(cause(() => writeFileAtomic(join(ro, 'x.json'), 'x'))).toMatch(/EROFS/);
    expect(cause(() => writeFileAtomic(join(ro, 'a', 'b', 'x.json'), 'x'))).toMatch(/EROFS/);
    expect(cause(() => writeDirAtomic(join(ro, 'd'), ['a'], () => 'x'))).toMatch(/EROFS/);
    expect(cause(() => writeDirAtomic(ro, ['a'], () => 'x'))).toMatch(/EROFS/);
    expect(cause(() => writeFileAtomic(join(dir, 'm.nir', 'x.json'), 'x'))).toMatch(/ENOTDIR/);
    expect(cause(() => writeDirAtomic(join(dir, 'm.nir', 'd'), ['a'], () => 'x'))).toMatch(/ENOTDIR/);
    expect(cause(() => writeFileAtomic(join(full, 'x.bin'), new Uint8Array(4096)))).toMatch(/ENOSPC/);
    expect(readdirSync(ro)).toEqual([]);
    expect(readdirSync(full)).toEqual(['fill']);
  });
});

describe('special files', () => {
  it('-o /dev/null writes into the device (it is not replaced by a regular file); /dev/full is ENOSPC', async () => {
    const ok = await runCli(['inspect', 'm.nir', '-o', '/dev/null'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const fullDev = await runCli(['inspect', 'm.nir', '-o', '/dev/full'], { cwd: dir });
    expect(fullDev.code, fullDev.stderr).toBe(2);
    expect(lines(fullDev.stderr)).toHaveLength(1);
    expect(fullDev.stderr).toMatch(/E_WRITE .*ENOSPC/);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  }, 30_000);

  it('a file output ending in / is one E_WRITE line, nothing created', async () => {
    const r = await runCli(['inspect', 'm.nir', '-o', 'nowhere/'], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/E_WRITE .*EISDIR/);
    expect(readdirSync(dir)).not.toContain('nowhere');
  }, 30_000);
});
