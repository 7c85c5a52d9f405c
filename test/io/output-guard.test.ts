import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NeuromeshError } from '../../src/errors.js';
import { guardOutput, noteInput, stopTrackingInputs, trackInputs } from '../../src/io/output-guard.js';
import { fixture, REPO } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, lines, runCli, type CliResult } from '../e2e/cli.js';

/**
 * No command overwrites a file it reads (issue 11, item 1): the output is compared with every
 * input by device and inode, so the same path, a `./` or `../dir/` spelling, a hard link and a
 * symlink are all refused with E_OUTPUT_IS_INPUT, exit 2, one line, and the input keeps its bytes
 * and its inode. `-o ''` is a one-line usage error (exit 2), never an exit 0 that wrote nothing.
 */

let dir: string;
const PROFILE = join(REPO, 'chips', 'spinnaker2', 'profiles', 'spinnaker2.json');

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'neuromesh-guard-'));
  copyFileSync(fixture('lif', 'lif_norse.nir'), join(dir, 'm.nir'));
  copyFileSync(fixture('lif', 'lif_exact.csv'), join(dir, 'in.csv'));
  copyFileSync(PROFILE, join(dir, 'prof.json'));
  const prep = [
    await runCli(['convert', 'm.nir', 'm.nmg'], { cwd: dir }),
    await runCli(['compile', 'm.nmg', '--chip', 'spinnaker2', '-o', 'p.nmp'], { cwd: dir }),
    await runCli(['simulate', 'm.nir', '--steps', '20', '-o', 'r.json'], { cwd: dir }),
  ];
  for (const r of prep) expect(r.code, r.stderr).toBe(0);
}, BUILD_TIMEOUT_MS);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The other names under which `file` (in dir) can be given: ./, ../dir/, a hard link, a symlink. */
function spellings(file: string): [string, string][] {
  const h = `h-${file}`;
  const s = `s-${file}`;
  rmSync(join(dir, h), { force: true });
  rmSync(join(dir, s), { force: true });
  linkSync(join(dir, file), join(dir, h));
  symlinkSync(file, join(dir, s));
  return [['same path', file], ['./ spelling', `./${file}`], ['../dir/ spelling', `../${basename(dir)}/${file}`], ['hard link', h], ['symlink', s]];
}

function snapshot(file: string): { bytes: Buffer; ino: number; mtimeMs: number } {
  const st = statSync(join(dir, file));
  return { bytes: readFileSync(join(dir, file)), ino: st.ino, mtimeMs: st.mtimeMs };
}

function expectRefused(r: CliResult, code = 'E_OUTPUT_IS_INPUT'): void {
  expect(r.code, r.stderr).toBe(2);
  expect(hasStackFrame(r.stderr)).toBe(false);
  const errs = lines(r.stderr).filter((l) => l.startsWith('error '));
  expect(errs, r.stderr).toHaveLength(1);
  expect(errs[0]).toContain(code);
}

/** No temp file of a write (.name.<pid>.tmp…) is left in the directory. */
function noTemp(): void {
  expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
}

const CASES: { what: string; input: string; args: (out: string) => string[] }[] = [
  { what: 'inspect: the model', input: 'm.nir', args: (o) => ['inspect', 'm.nir', '-o', o] },
  { what: 'convert: the input model', input: 'm.nir', args: (o) => ['convert', 'm.nir', o] },
  { what: 'compile: the model', input: 'm.nmg', args: (o) => ['compile', 'm.nmg', '--chip', 'spinnaker2', '-o', o] },
  { what: 'compile: the profile file', input: 'prof.json', args: (o) => ['compile', 'm.nmg', '--chip', './prof.json', '-o', o] },
  { what: 'compile: the --rates file', input: 'r.json', args: (o) => ['compile', 'm.nmg', '--chip', 'spinnaker2', '--rates', 'r.json', '-o', o] },
  { what: 'run: the program', input: 'p.nmp', args: (o) => ['run', 'p.nmp', '--chip', 'spinnaker2', '--input', 'trace:in.csv', '-o', o] },
  { what: 'run: an --input file', input: 'in.csv', args: (o) => ['run', 'm.nir', '--chip', 'spinnaker2', '--input', 'trace:in.csv', '-o', o] },
  { what: 'run: the profile file', input: 'prof.json', args: (o) => ['run', 'm.nmg', '--chip', 'prof.json', '--steps', '5', '-o', o] },
  { what: 'simulate: an --input file', input: 'in.csv', args: (o) => ['simulate', 'm.nir', '--input', 'trace:in.csv', '-o', o] },
  { what: 'simulate: the model', input: 'm.nmg', args: (o) => ['simulate', 'm.nmg', '--steps', '5', '-o', o] },
  { what: 'check: the model', input: 'm.nir', args: (o) => ['check', 'm.nir', '--chip', 'spinnaker2', '--runs', '1', '--steps', '5', '-o', o] },
];

describe('an output that is an input is refused by device and inode (exit 2, the input untouched)', () => {
  for (const c of CASES)
    it(c.what, async () => {
      const before = snapshot(c.input);
      for (const [how, out] of spellings(c.input)) {
        const r = await runCli(c.args(out), { cwd: dir });
        expectRefused(r);
        expect(r.stdout, how).not.toMatch(/wrote/);
        const after = snapshot(c.input);
        expect(after.bytes.equals(before.bytes), `${how}: input bytes changed`).toBe(true);
        expect(after.ino, `${how}: input replaced`).toBe(before.ino);
        expect(after.mtimeMs, how).toBe(before.mtimeMs);
      }
      noTemp();
    }, 120_000);

  it('simulate into a directory that holds an input under a name it would write', async () => {
    mkdirSync(join(dir, 'out'), { recursive: true });
    // the raster simulate would write as out/1.spikes.npy, given as the Input's spikes
    const make = await runCli(['simulate', 'm.nir', '--input', 'trace:in.csv', '--record', '1', '-o', 'seed.npy'], { cwd: dir });
    expect(make.code, make.stderr).toBe(0);
    copyFileSync(join(dir, 'seed.npy'), join(dir, 'out', '1.spikes.npy'));
    const before = readFileSync(join(dir, 'out', '1.spikes.npy'));
    const r = await runCli(['simulate', 'm.nir', '--input', 'input=out/1.spikes.npy', '--record', '1', '-o', 'out/'], { cwd: dir });
    expectRefused(r);
    expect(readdirSync(join(dir, 'out'))).toEqual(['1.spikes.npy']);
    expect(readFileSync(join(dir, 'out', '1.spikes.npy')).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('.out'))).toEqual([]);
  }, 60_000);

  it('an output that is not an input is written (the guard refuses only what it must)', async () => {
    const r = await runCli(['simulate', 'm.nmg', '--input', 'trace:in.csv', '-o', 'fresh.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'fresh.json'), 'utf8')).schema).toBe('neuromesh/simulate@1');
    // writing over an earlier output (not read by this command) is allowed
    const again = await runCli(['inspect', 'm.nmg', '-o', 'fresh.json'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'fresh.json'), 'utf8')).schema).toBe('neuromesh/inspect@1');
  }, 60_000);
});

describe("-o '' is a one-line usage error, never exit 0", () => {
  const EMPTY: string[][] = [
    ['inspect', 'm.nir', '-o', ''],
    ['compile', 'm.nmg', '--chip', 'spinnaker2', '-o', ''],
    ['run', 'm.nmg', '--chip', 'spinnaker2', '--steps', '5', '-o', ''],
    ['simulate', 'm.nir', '--steps', '5', '--output='],
    ['check', 'm.nir', '--chip', 'spinnaker2', '--runs', '1', '-o', ''],
    ['convert', 'm.nir', ''],
  ];
  for (const args of EMPTY)
    it(args.slice(0, 1).concat(args.slice(-2)).join(' '), async () => {
      const r = await runCli(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(hasStackFrame(r.stderr)).toBe(false);
      expect(lines(r.stderr).filter((l) => l.startsWith('error ')), r.stderr).toHaveLength(1);
      expect(r.stdout).toBe('');
    }, 30_000);
});

describe('guardOutput in-process', () => {
  afterEach(stopTrackingInputs);

  it('compares by device and inode the paths it is given and the files noted while tracking', () => {
    const a = join(dir, 'unit-a.txt');
    writeFileSync(a, 'a');
    const link = join(dir, 'unit-link.txt');
    rmSync(link, { force: true });
    symlinkSync(a, link);
    expect(() => guardOutput(link, { inputs: [[a, 'model file']] })).toThrow(/same file as the model file/);
    expect(() => guardOutput(join(dir, 'unit-new.txt'), { inputs: [[a, 'model file']] })).not.toThrow();
    // not tracking: a file read earlier is not an input of anything
    noteInput(a, 'input file');
    expect(() => guardOutput(link)).not.toThrow();
    trackInputs();
    noteInput(a, 'input file');
    let err: unknown;
    try {
      guardOutput(link);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NeuromeshError);
    expect((err as NeuromeshError).diagnostics[0]!.code).toBe('E_OUTPUT_IS_INPUT');
    expect((err as NeuromeshError).exitCode).toBe(2);
    // a directory output is checked file by file
    expect(() => guardOutput(dir, { files: [join(dir, 'unit-new.txt'), join(dir, 'unit-a.txt')] })).toThrow(/input file/);
    // a fresh command starts with nothing read
    trackInputs();
    expect(() => guardOutput(link)).not.toThrow();
    expect(() => guardOutput('')).toThrow(/output path is empty/);
    expect(() => guardOutput(undefined)).not.toThrow();
  });
});
