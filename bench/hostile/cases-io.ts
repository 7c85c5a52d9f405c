/**
 * Cases about where outputs go (issue 11, classes 0, 1, 5 and 6): valid runs, an output equal to
 * an input under every spelling, read-only and full file systems, a parent that is a file,
 * directory outputs.
 */
import type { Case } from './case-types.js';
import { callOf, COMMANDS, copies, mk, outName, POISSON, type Command } from './commands.js';
import { BASE } from './models.js';

/** Valid calls that must succeed (and are the references of refuse-or-identical cases). */
export function baselineCases(): Case[] {
  const out: Case[] = [];
  for (const cmd of COMMANDS) {
    const o = outName(cmd);
    out.push(mk('0-baseline', cmd, 'valid-with-output', callOf(cmd, BASE.nmg, o), 'ok', copies(BASE.nmg), { outputs: [o] }));
  }
  out.push(mk('0-baseline', 'inspect', 'valid-nir', callOf('inspect', BASE.nir, 'x.json'), 'ok', copies(BASE.nir), { outputs: ['x.json'] }));
  out.push(mk('0-baseline', 'convert', 'valid-nir-to-nmg', ['convert', BASE.nir, 'x.nmg', '-q'], 'ok', copies(BASE.nir), { outputs: ['x.nmg'] }));
  out.push(mk('0-baseline', 'run', 'valid-nmp', callOf('run', BASE.nmp, 'x.json'), 'ok', copies(BASE.nmp), { outputs: ['x.json'] }));
  out.push(mk('0-baseline', 'profiles', 'valid-file', ['profiles', BASE.profile, '-q'], 'ok', copies(BASE.profile)));
  out.push(mk('0-baseline', 'simulate', 'valid-dir-output', [...callOf('simulate', BASE.nmg), '-o', 'out/'], 'ok', copies(BASE.nmg), { outputs: ['out'] }));
  out.push(mk('0-baseline', 'simulate', 'valid-csv-input', ['simulate', BASE.nmg, '--input', BASE.csv, '-q', '-o', 'x.json'], 'ok', copies(BASE.nmg, BASE.csv), { outputs: ['x.json'] }));
  out.push(mk('0-baseline', 'run', 'valid-npy-input', ['run', BASE.nmg, '--chip', 'spinnaker2', '--input', BASE.npy, '-q', '-o', 'x.json'], 'ok', copies(BASE.nmg, BASE.npy), { outputs: ['x.json'] }));
  // the references of class 4 (stdout compared): run of a program, simulate and compile of a graph
  out.push(mk('0-baseline', 'run', 'reference-nmp-json', refRunNmp(BASE.nmp), 'ok', copies(BASE.nmp)));
  out.push(mk('0-baseline', 'simulate', 'reference-nmg-json', refSimNmg(BASE.nmg), 'ok', copies(BASE.nmg)));
  out.push(mk('0-baseline', 'compile', 'reference-nmg-json', refCompileNmg(BASE.nmg), 'ok', copies(BASE.nmg)));
  return out;
}

export const refRunNmp = (p: string): string[] => ['run', p, '--chip', 'spinnaker2', '--steps', '50', '--input', POISSON, '--json', '-q'];
export const refSimNmg = (g: string): string[] => ['simulate', g, '--steps', '50', '--input', POISSON, '--json', '-q'];
export const refCompileNmg = (g: string): string[] => ['compile', g, '--chip', 'spinnaker2', '--json', '-q'];

/** Ways to name the same file `f` (in the case directory) as an output path. */
function spellingsOf(f: string, ext: string): { what: string; path: string; files: { path: string; hardlink?: string; symlink?: string; dir?: true }[] }[] {
  return [
    { what: 'same-path', path: f, files: [] },
    { what: 'dot-slash', path: `./${f}`, files: [] },
    { what: 'dot-dot', path: `sub/../${f}`, files: [{ path: 'sub', dir: true }] },
    { what: 'absolute', path: `{cwd}/${f}`, files: [] },
    { what: 'hard-link', path: `hard${ext}`, files: [{ path: `hard${ext}`, hardlink: f }] },
    { what: 'symlink', path: `soft${ext}`, files: [{ path: `soft${ext}`, symlink: f }] },
    { what: 'symlinked-dir', path: `here/${f}`, files: [{ path: 'here', symlink: '.' }] },
  ];
}

/** Class 1: the output path names a file the command reads. */
export function outputIsInputCases(): Case[] {
  const out: Case[] = [];
  const cls = '1-output-is-input';
  const model = (cmd: Command): string[] => (cmd === 'convert' ? [BASE.nmg] : cmd === 'run' ? [BASE.nmg, BASE.nmp] : [BASE.nmg]);
  for (const cmd of COMMANDS) {
    for (const m of [...model(cmd), ...(cmd === 'inspect' || cmd === 'convert' || cmd === 'simulate' ? [BASE.nir] : [])]) {
      const ext = cmd === 'convert' ? m.slice(m.lastIndexOf('.')) : '.json';
      for (const s of spellingsOf(m, ext)) {
        const args = cmd === 'convert' ? ['convert', m, s.path, '-q'] : callOf(cmd, m, s.path);
        out.push(mk(cls, cmd, `model-${m}-${s.what}`, args, 'refuse', [...copies(m), ...(s.files as Case['files'])]));
      }
    }
  }
  // spike input files: simulate may write .csv and .npy, run writes .json (a user may still try)
  for (const cmd of ['simulate', 'run'] as const) {
    for (const inp of [BASE.csv, BASE.npy]) {
      for (const s of spellingsOf(inp, inp.slice(inp.lastIndexOf('.'))).slice(0, 6)) {
        const base = cmd === 'run' ? ['run', BASE.nmg, '--chip', 'spinnaker2'] : ['simulate', BASE.nmg];
        out.push(mk(cls, cmd, `input-${inp}-${s.what}`, [...base, '--input', `in=${inp}`, '-q', '-o', s.path], 'refuse',
          [...copies(BASE.nmg, inp), ...(s.files as Case['files'])]));
      }
    }
  }
  // profile files (compile -o .json writes the compile document; run and check write JSON)
  for (const cmd of ['compile', 'run', 'check'] as const) {
    for (const s of spellingsOf(BASE.profile, '.json').slice(0, 6)) {
      const args = callOf(cmd, BASE.nmg, s.path).map((a) => (a === 'spinnaker2' ? BASE.profile : a));
      out.push(mk(cls, cmd, `profile-${s.what}`, args, 'refuse', [...copies(BASE.nmg, BASE.profile), ...(s.files as Case['files'])]));
    }
  }
  // the --rates file of compile
  for (const s of spellingsOf(BASE.rates, '.json').slice(0, 6)) {
    out.push(mk(cls, 'compile', `rates-${s.what}`, [...callOf('compile', BASE.nmg, s.path), '--rates', BASE.rates], 'refuse',
      [...copies(BASE.nmg, BASE.rates), ...(s.files as Case['files'])]));
  }
  return out;
}

/** Class 5 (file-system half): read-only directory, parent that is a file, missing parent, full disk. */
export function environmentCases(): Case[] {
  const out: Case[] = [];
  const cls = '5-environment';
  for (const cmd of COMMANDS) {
    const o = outName(cmd);
    const files = copies(BASE.nmg);
    out.push(mk(cls, cmd, 'read-only-dir', callOf(cmd, BASE.nmg, `ro/${o}`), 'refuse', files, { mounts: [{ path: 'ro', kind: 'ro' }] }));
    out.push(mk(cls, cmd, 'read-only-subdir', callOf(cmd, BASE.nmg, `ro/sub/${o}`), 'refuse', files, { mounts: [{ path: 'ro', kind: 'ro' }] }));
    out.push(mk(cls, cmd, 'parent-is-a-file', callOf(cmd, BASE.nmg, `plain.txt/${o}`), 'refuse', [...files, { path: 'plain.txt', data: 'a file\n' }]));
    // neuromesh may create missing parent directories (or refuse): either, but cleanly
    out.push(mk(cls, cmd, 'missing-parent', callOf(cmd, BASE.nmg, `no/such/dir/${o}`), 'clean', files, { outputs: ['no'] }));
    out.push(mk(cls, cmd, 'full-disk-0KiB', callOf(cmd, BASE.nmg, `full/${o}`), 'refuse', files, { mounts: [{ path: 'full', kind: 'full', freeKiB: 0 }] }));
    // simulate writes a directory output into an existing directory; the others must refuse
    out.push(mk(cls, cmd, 'output-is-a-dir', callOf(cmd, BASE.nmg, 'adir'), cmd === 'simulate' ? 'clean' : 'refuse', [...files, { path: 'adir', dir: true }], cmd === 'simulate' ? { outputs: ['adir'] } : {}));
  }
  // outputs larger than the space left: the write fails part-way
  const wide = ['simulate', BASE.wide, '--steps', '3000', '--input', 'poisson:rate=900,seed=3', '--record', 'all', '-q'];
  for (const free of [4, 64, 512]) {
    for (const o of ['x.json', 'x.csv']) {
      out.push(mk(cls, 'simulate', `full-disk-${free}KiB-${o}`, [...wide, '-o', `full/${o}`], 'refuse', copies(BASE.wide),
        { mounts: [{ path: 'full', kind: 'full', freeKiB: free }] }));
    }
    out.push(mk(cls, 'simulate', `full-disk-${free}KiB-npy`, ['simulate', BASE.wide, '--steps', '3000', '--input', 'poisson:rate=900,seed=3', '--record', 'n:v', '-q', '-o', 'full/x.npy'],
      'refuse', copies(BASE.wide), { mounts: [{ path: 'full', kind: 'full', freeKiB: free }] }));
    out.push(mk(cls, 'convert', `full-disk-${free}KiB-nir`, ['convert', BASE.wide, 'full/x.nir', '-q'], 'clean', copies(BASE.wide),
      { mounts: [{ path: 'full', kind: 'full', freeKiB: free }], outputs: ['full/x.nir'] })); // written if it fits, else refused
    out.push(mk(cls, 'compile', `full-disk-${free}KiB-json`, ['compile', BASE.wide, '--chip', 'spinnaker2', '-q', '-o', 'full/x.json'], 'clean',
      copies(BASE.wide), { mounts: [{ path: 'full', kind: 'full', freeKiB: free }], outputs: ['full/x.json'] }));
  }
  // bogus --replay values of check
  const replays = ['abc', '', ':', '1:', ':0', '-1:0', '1.5:0', '1e400:0', '99999999999999999999:0', '4294967296:0', '0:99:99:99',
    '0:-1', '0:1.5', 'NaN:0', '__proto__:0', '0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0', '0:x', '1234:0:3:1:'];
  replays.forEach((r, k) => {
    out.push(mk(cls, 'check', `replay-${k}-${JSON.stringify(r)}`, ['check', BASE.nmg, '--chip', 'spinnaker2', '--steps', '20', '--replay', r, '-q'], 'refuse', copies(BASE.nmg)));
  });
  return out;
}

/** Class 6: directory outputs (simulate -o dir/) on full, read-only and odd destinations. */
export function directoryOutputCases(): Case[] {
  const out: Case[] = [];
  const cls = '6-directory-outputs';
  const wide = (steps: number): string[] => ['simulate', BASE.wide, '--steps', String(steps), '--input', 'poisson:rate=900,seed=3', '--record', 'all', '-q'];
  for (const free of [0, 8, 64, 256, 700]) {
    out.push(mk(cls, 'simulate', `full-disk-${free}KiB`, [...wide(3000), '-o', 'full/out/'], 'refuse', copies(BASE.wide), { mounts: [{ path: 'full', kind: 'full', freeKiB: free }] }));
    out.push(mk(cls, 'simulate', `full-disk-${free}KiB-nested`, [...wide(3000), '-o', 'full/a/b/'], 'refuse', copies(BASE.wide), { mounts: [{ path: 'full', kind: 'full', freeKiB: free }] }));
  }
  out.push(mk(cls, 'simulate', 'read-only', [...wide(100), '-o', 'ro/out/'], 'refuse', copies(BASE.wide), { mounts: [{ path: 'ro', kind: 'ro' }] }));
  out.push(mk(cls, 'simulate', 'parent-is-a-file', [...wide(100), '-o', 'plain.txt/out/'], 'refuse', [...copies(BASE.wide), { path: 'plain.txt', data: 'x\n' }]));
  out.push(mk(cls, 'simulate', 'into-an-input-file', [...wide(100), '-o', `${BASE.wide}/`], 'refuse', copies(BASE.wide)));
  out.push(mk(cls, 'simulate', 'small-ok', [...wide(50), '-o', 'out/'], 'ok', copies(BASE.wide), { outputs: ['out'] }));
  out.push(mk(cls, 'simulate', 'fits-on-disk', [...wide(20), '-o', 'full/out/'], 'clean', copies(BASE.wide), { mounts: [{ path: 'full', kind: 'full', freeKiB: 900 }], outputs: ['full/out'] }));
  // the case directory itself, holding the model and an input file named like a recorded item
  out.push(mk(cls, 'simulate', 'into-cwd-holding-inputs', ['simulate', BASE.nmg, '--input', 'in=n.spikes.npy', '--record', 'all', '-q', '-o', './'], 'clean',
    [...copies(BASE.nmg), { path: 'n.spikes.npy', copy: BASE.npy }], { outputs: ['simulate.json', 'out.spikes.npy'] }));
  out.push(mk(cls, 'simulate', 'existing-dir-with-files', [...wide(50), '-o', 'old/'], 'clean', [...copies(BASE.wide), { path: 'old', dir: true }, { path: 'old/keep.txt', data: 'keep\n' }], { outputs: ['old'] }));
  return out;
}
