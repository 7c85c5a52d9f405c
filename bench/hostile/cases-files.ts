/**
 * Cases about damaged files and profiles (issue 11, classes 4, 5-profiles, 7 and 9/10):
 * single- and multi-byte corruptions and truncations of a valid .nmp/.nmg (refused or the very
 * same result), programs run with a profile of other mapping sections, bad profiles, memory
 * limits and stall options.
 */
import { randInt, type Case } from './case-types.js';
import { copies, mk, POISSON } from './commands.js';
import { refCompileNmg, refRunNmp, refSimNmg } from './cases-io.js';
import { BASE } from './models.js';

/** A corrupted copy of `bytes`: flip one byte, several bytes, cut, or append. */
function corrupt(bytes: Uint8Array, kind: 'byte' | 'bytes' | 'truncate' | 'append' | 'zero-run', r: () => number): { what: string; data: Uint8Array } {
  const b = Uint8Array.from(bytes);
  switch (kind) {
    case 'byte': {
      const at = randInt(r, 0, b.length);
      const x = randInt(r, 1, 256);
      b[at] ^= x;
      return { what: `byte-${at}-xor-${x}`, data: b };
    }
    case 'bytes': {
      const k = randInt(r, 2, 9);
      const at: number[] = [];
      for (let i = 0; i < k; i++) {
        const p = randInt(r, 0, b.length);
        b[p] = randInt(r, 0, 256);
        at.push(p);
      }
      return { what: `bytes-${at.join('.')}`, data: b };
    }
    case 'truncate': {
      const n = randInt(r, 0, b.length);
      return { what: `truncate-${n}`, data: b.subarray(0, n) };
    }
    case 'append': {
      const n = randInt(r, 1, 64);
      const tail = new Uint8Array(n).map(() => randInt(r, 0, 256));
      const out = new Uint8Array(b.length + n);
      out.set(b);
      out.set(tail, b.length);
      return { what: `append-${n}`, data: out };
    }
    case 'zero-run': {
      const at = randInt(r, 0, b.length);
      const n = randInt(r, 1, 32);
      b.fill(0, at, at + n);
      return { what: `zero-${at}-${n}`, data: b };
    }
  }
}

/** How many corruptions of each kind (scaled for the ≥1,000-case default). */
const PLAN: [file: 'nmp' | 'nmg', kind: Parameters<typeof corrupt>[1], count: number][] = [
  ['nmp', 'byte', 200], ['nmp', 'bytes', 50], ['nmp', 'truncate', 40], ['nmp', 'append', 10], ['nmp', 'zero-run', 20],
  ['nmg', 'byte', 70], ['nmg', 'bytes', 25], ['nmg', 'truncate', 20], ['nmg', 'append', 5], ['nmg', 'zero-run', 10],
];

/**
 * Class 4: `bases` holds the bytes of the base .nmp and .nmg. Each corrupted file keeps the base
 * name in its own directory, so a success must print exactly the reference case's stdout.
 */
export function corruptFileCases(r: () => number, bases: { nmp: Uint8Array; nmg: Uint8Array }): Case[] {
  const out: Case[] = [];
  const cls = '4-corrupt-files';
  const seen = new Set<string>();
  for (const [file, kind, count] of PLAN) {
    for (let i = 0; i < count; i++) {
      const c = corrupt(bases[file], kind, r);
      if (seen.has(`${file}/${c.what}`)) continue;
      seen.add(`${file}/${c.what}`);
      if (file === 'nmp') {
        out.push(mk(cls, 'run', `nmp-${c.what}`, refRunNmp(BASE.nmp), 'refuse-or-identical', [{ path: BASE.nmp, data: c.data }], { reference: '0-baseline/run/reference-nmp-json' }));
      } else if (i % 3 === 2) {
        out.push(mk(cls, 'compile', `nmg-${c.what}`, refCompileNmg(BASE.nmg), 'refuse-or-identical', [{ path: BASE.nmg, data: c.data }], { reference: '0-baseline/compile/reference-nmg-json' }));
      } else {
        out.push(mk(cls, 'simulate', `nmg-${c.what}`, refSimNmg(BASE.nmg), 'refuse-or-identical', [{ path: BASE.nmg, data: c.data }], { reference: '0-baseline/simulate/reference-nmg-json' }));
      }
    }
  }
  // a program run with a profile whose mapping sections differ (refused) or only cost sections (runs)
  const patch = (p: object): string => JSON.stringify({ extends: 'spinnaker2', id: 'sweep', version: '1', ...p });
  const mapping: [string, object][] = [
    ['formats-weight-bits', { formats: { weight: { bits: 12 } } }],
    ['limits-max-neurons', { limits: { maxNeuronsPerCore: { value: 128, unit: 'neuron', assumed: 'x' } } }],
    ['machine-wrap', { machine: { layout: 'chip', wrap: true } }],
    ['arithmetic-rounding', { arithmetic: { parameterRounding: 'nearest-even' } }],
    ['formats-state-frac', { formats: { state: { fracBits: 14 } } }],
    ['limits-max-delay', { limits: { maxDelaySteps: { value: 7, unit: 'step', assumed: 'x' } } }],
  ];
  for (const [what, p] of mapping)
    out.push(mk(cls, 'run', `nmp-profile-mapping-${what}`, ['run', BASE.nmp, '--chip', 'other.json', '--steps', '20', '--input', POISSON, '-q'], 'refuse', [...copies(BASE.nmp), { path: 'other.json', data: patch(p) }]));
  out.push(mk(cls, 'run', 'nmp-profile-other-machine', ['run', BASE.nmp, '--chip', 'spinnaker2-48', '--steps', '20', '--input', POISSON, '-q'], 'refuse', copies(BASE.nmp)));
  const cost: [string, object][] = [
    ['energy-synaptic-event', { energy: { synapticEvent: { value: 9e-10, unit: 'J', assumed: 'sweep' } } }],
    ['latency-cycles-per-packet', { latency: { cyclesPerPacket: { value: 90, unit: 'cycle', assumed: 'sweep' } } }],
  ];
  for (const [what, p] of cost)
    out.push(mk(cls, 'run', `nmp-profile-cost-${what}`, ['run', BASE.nmp, '--chip', 'other.json', '--steps', '20', '--input', POISSON, '-q', '--json'], 'ok', [...copies(BASE.nmp), { path: 'other.json', data: patch(p) }]));
  return out;
}

const num = (value: unknown, unit: string): object => ({ value, unit, assumed: 'hostile test' });

/** Bad profiles, each one field or rule broken (≥17 kinds, issue 11 class 7). */
export const BAD_PROFILES: [string, string][] = ((): [string, string][] => {
  const p = (o: object): string => JSON.stringify({ extends: 'spinnaker2', id: 'bad', version: '1', ...o });
  return [
    ['pes-negative', p({ chip: { pesPerChip: num(-152, 'PE') } })],
    ['pes-zero', p({ chip: { pesPerChip: num(0, 'PE') } })],
    ['pes-fractional', p({ chip: { pesPerChip: num(151.5, 'PE') } })],
    ['pes-1e12', p({ chip: { pesPerChip: num(1e12, 'PE') } })],
    ['qpes-negative', p({ chip: { qpesPerChip: num(-38, 'QPE') } })],
    ['usable-pes-zero', p({ chip: { usablePesPerChip: num(0, 'PE') } })],
    ['usable-more-than-pes', p({ chip: { usablePesPerChip: num(500, 'PE') } })],
    ['qpe-times-pes-mismatch', p({ chip: { pesPerQpe: num(3, 'PE') } })],
    ['frequency-zero', p({ dvfs: { low: { frequency: num(0, 'Hz') } } })],
    ['frequency-negative', p({ dvfs: { high: { frequency: num(-3e8, 'Hz') } } })],
    ['voltage-string', p({ dvfs: { low: { voltage: num('0.5', 'V') } } })],
    ['router-entries-minus-one', p({ chip: { routerEntries: num(-1, 'entry') } })],
    ['router-entries-1.5', p({ chip: { routerEntries: num(1.5, 'entry') } })],
    ['energy-model-magic', p({ energyModel: 'magic' })],
    ['rounding-banker', p({ arithmetic: { parameterRounding: 'banker' } })],
    ['multiply-rounding-unknown', p({ arithmetic: { multiply: { decay: 'sideways' } } })],
    ['missing-chip', p({ chip: null })],
    ['missing-formats', p({ formats: null })],
    ['missing-value', p({ chip: { sramPerPe: { unit: 'B', assumed: 'x' } } })],
    ['missing-provenance', p({ chip: { sramPerPe: { value: 131072, unit: 'B', source: null } } })],
    ['unit-wrong', p({ chip: { sramPerPe: num(131072, 'parsec') } })],
    ['sram-zero', p({ chip: { sramPerPe: num(0, 'B') } })],
    ['weight-bits-zero', p({ formats: { weight: { bits: 0 } } })],
    ['weight-bits-65', p({ formats: { weight: { bits: 65 } } })],
    ['frac-bits-negative', p({ formats: { state: { fracBits: -3 } } })],
    ['format-kind-unknown', p({ formats: { weight: { kind: 'float' } } })],
    ['max-neurons-zero', p({ limits: { maxNeuronsPerCore: num(0, 'neuron') } })],
    ['max-delay-negative', p({ limits: { maxDelaySteps: num(-1, 'step') } })],
    ['tick-zero', p({ latency: { tick: num(0, 's') } })],
    ['time-scale-zero', p({ latency: { timeScaleFactor: num(0, '1') } })],
    ['energy-negative', p({ energy: { synapticEvent: num(-4.5e-10, 'J') } })],
    ['layout-unknown', p({ machine: { layout: 'torus-magic', wrap: false } })],
    ['wrap-string', p({ machine: { layout: 'chip', wrap: 'yes' } })],
    ['anneal-moves-negative', p({ placement: { annealMaxMoves: num(-1, 'move') } })],
    ['unknown-top-level-field', p({ frobnicate: 1 })],
    ['id-empty', p({ id: '' })],
    ['version-number', p({ version: 1 })],
    ['extends-unknown', JSON.stringify({ extends: 'spinnaker9', id: 'bad', version: '1' })],
    ['extends-number', JSON.stringify({ extends: 7, id: 'bad', version: '1' })],
    ['not-json', '{"extends": "spinnaker2", '],
    ['empty-file', ''],
    ['top-level-array', '[]'],
    ['top-level-null', 'null'],
    ['deep-array-100000', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['deep-object-100000', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
  ];
})();

/** Class 7 (`profiles <file>`) and class 5 (compile/run with the same profiles). */
export function badProfileCases(): Case[] {
  const out: Case[] = [];
  for (const [what, text] of BAD_PROFILES) {
    const files = [...copies(BASE.nmg), { path: 'bad.json', data: text }];
    out.push(mk('7-bad-profiles', 'profiles', what, ['profiles', 'bad.json', '-q'], 'refuse', files));
    out.push(mk('7-bad-profiles', 'profiles', `${what}-json`, ['profiles', 'bad.json', '--json', '-q'], 'refuse', files));
    out.push(mk('5-environment', 'compile', `profile-${what}`, ['compile', BASE.nmg, '--chip', 'bad.json', '-q', '-o', 'x.nmp'], 'refuse', files));
    out.push(mk('5-environment', 'run', `profile-${what}`, ['run', BASE.nmg, '--chip', 'bad.json', '--steps', '10', '-q', '--json'], 'refuse', files));
  }
  return out;
}

/** Classes 9/10: long runs refused before allocating; stall and budget options. */
export function limitCases(): Case[] {
  const out: Case[] = [];
  const cls = '9-10-limits';
  const files = copies(BASE.nmg);
  const run = (steps: string): string[] => ['run', BASE.nmg, '--chip', 'spinnaker2', '--steps', steps, '--input', 'poisson:rate=100,seed=1', '-q'];
  const sim = (steps: string): string[] => ['simulate', BASE.nmg, '--steps', steps, '--input', 'poisson:rate=100,seed=1', '-q'];
  out.push(mk(cls, 'run', 'steps-2e8-record-v-budget-1MB', [...run('200000000'), '--record', 'n:v', '--memory-budget', '1000000'], 'refuse', files));
  // 3e9 steps (below 2^32) × 2 neurons × 4 B of v ≈ 24 GB: over the default budget (half of memory) here
  out.push(mk(cls, 'run', 'steps-3e9-record-v-default-budget', [...run('3000000000'), '--record', 'n:v'], 'refuse', files));
  out.push(mk(cls, 'run', 'steps-2e8-budget-1kB', [...run('200000000'), '--memory-budget', '1000'], 'refuse', files));
  out.push(mk(cls, 'simulate', 'steps-2e8-record-all-budget-1MB', [...sim('200000000'), '--record', 'all', '--memory-budget', '1000000'], 'refuse', files));
  out.push(mk(cls, 'simulate', 'steps-3e9-record-all-default-budget', [...sim('3000000000'), '--record', 'all'], 'refuse', files));
  out.push(mk(cls, 'simulate', 'steps-3e9-record-v-default-budget', [...sim('3000000000'), '--record', 'n:v'], 'refuse', files));
  for (const v of ['-1', 'NaN', '0', '1e400', 'lots', ''])
    out.push(mk(cls, 'run', `memory-budget-${JSON.stringify(v)}`, [...run('20'), '--memory-budget', v], 'refuse', files));
  for (const v of ['-1', 'NaN', '1e400', 'soon'])
    out.push(mk(cls, 'run', `stall-timeout-${JSON.stringify(v)}`, [...run('20'), '--stall-timeout', v], 'refuse', files));
  out.push(mk(cls, 'run', 'stall-timeout-valid', [...run('20'), '--stall-timeout', '30'], 'ok', files));
  // 0 turns the watchdog off (run --help)
  out.push(mk(cls, 'run', 'stall-timeout-off', [...run('20'), '--stall-timeout', '0'], 'ok', files));
  out.push(mk(cls, 'run', 'memory-budget-valid', [...run('20'), '--memory-budget', '1000000000'], 'ok', files));
  return out;
}
