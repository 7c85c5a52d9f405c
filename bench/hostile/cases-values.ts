/**
 * Cases about numbers and names (issue 11, classes 2, 3 and 11): integers no format can hold at
 * every place a number enters, names that are JavaScript object keys, options a program fixes,
 * out-of-range properties, usage errors.
 */
import { randInt, type Case } from './case-types.js';
import { callOf, COMMANDS, copies, mk, outName, POISSON, spellings } from './commands.js';
import { BASE, delayGraph, namedGraph, OBJECT_KEY_NAMES, shapeGraph } from './models.js';
import { encodeGraph } from '../../src/io/proto/graph-codec.js';
import { writeNpy } from '../../src/io/npy.js';

const TWO32 = 2 ** 32;

/** Class 2: huge, negative, fractional and non-numbers in files, options and inputs. */
export function hugeIntegerCases(r: () => number): Case[] {
  const out: Case[] = [];
  const cls = '2-huge-integers';
  // Delay nodes: dt = 1 s, so the delay in seconds is the number of steps
  const delays: number[] = [TWO32 + 5, TWO32, TWO32 + randInt(r, 1, 1e6), 1e10, 2 ** 53, 1e15 + randInt(r, 0, 1000), 1e300, 2 ** 31 + randInt(r, 0, 1000), 2 ** 40];
  for (const s of delays) {
    const files = [{ path: 'd.nmg', data: encodeGraph(delayGraph(s)) }];
    const mention = [s, s + 1, s - 1].flatMap((v) => spellings(v));
    out.push(mk(cls, 'compile', `delay-${s}-steps`, ['compile', 'd.nmg', '--chip', 'spinnaker2', '--dt', '1', '-q', '-o', 'x.nmp'], 'refuse', files, { mention }));
    out.push(mk(cls, 'run', `delay-${s}-steps`, ['run', 'd.nmg', '--chip', 'spinnaker2', '--dt', '1', '--steps', '5', '--input', 'poisson:rate=0.5,seed=1', '-q'], 'refuse', files, { mention }));
    out.push(mk(cls, 'simulate', `delay-${s}-steps`, ['simulate', 'd.nmg', '--dt', '1', '--steps', '5', '--input', 'poisson:rate=0.5,seed=1', '-q', '-o', 'x.json'], 'clean', files, { outputs: ['x.json'] }));
  }
  for (const [what, s] of [['negative', -5], ['nan', NaN], ['infinity', Infinity]] as const) {
    const files = [{ path: 'd.nmg', data: encodeGraph(delayGraph(s)) }];
    for (const cmd of ['inspect', 'compile', 'simulate'] as const)
      out.push(mk(cls, cmd, `delay-${what}`, cmd === 'compile' ? ['compile', 'd.nmg', '--chip', 'spinnaker2', '--dt', '1', '-q'] : cmd === 'inspect' ? ['inspect', 'd.nmg', '-q'] : ['simulate', 'd.nmg', '--dt', '1', '--steps', '5', '-q'], 'refuse', files));
  }
  // Input shapes no typed array can hold
  for (const dim of [TWO32 + 5, 1e10, 2 ** 53, 2 ** 31 + randInt(r, 1, 100)]) {
    let data: Uint8Array;
    try {
      data = encodeGraph(shapeGraph([dim]));
    } catch {
      continue; // the encoder refuses it: nothing to test through the CLI
    }
    for (const cmd of ['inspect', 'compile', 'simulate'] as const)
      out.push(mk(cls, cmd, `input-shape-${dim}`, callOf(cmd, 's.nmg'), 'refuse', [{ path: 's.nmg', data }], { mention: spellings(dim) }));
  }
  // CLI options
  const bad = ['1e12', '9007199254740993', String(TWO32 + 5), '-1', '1.5', 'NaN', 'Infinity', '', '1e400', '1_000', '12abc'];
  for (const v of bad) {
    const mention = /^\d+$/.test(v) ? spellings(BigInt(v)) : undefined;
    out.push(mk(cls, 'run', `steps-${JSON.stringify(v)}`, ['run', BASE.nmg, '--chip', 'spinnaker2', '--input', POISSON, '--steps', v, '-q'], 'refuse', copies(BASE.nmg), mention ? { mention } : {}));
    out.push(mk(cls, 'simulate', `steps-${JSON.stringify(v)}`, ['simulate', BASE.nmg, '--input', POISSON, '--steps', v, '-q'], 'refuse', copies(BASE.nmg), mention ? { mention } : {}));
  }
  for (const v of ['1e12', '-1', '1.5', 'NaN', String(TWO32 + 1)]) {
    out.push(mk(cls, 'check', `steps-${v}`, ['check', BASE.nmg, '--chip', 'spinnaker2', '--runs', '1', '--steps', v, '-q'], 'refuse', copies(BASE.nmg)));
    out.push(mk(cls, 'check', `runs-${v}`, ['check', BASE.nmg, '--chip', 'spinnaker2', '--runs', v, '--steps', '10', '-q'], 'refuse', copies(BASE.nmg)));
  }
  const opt = (cmd: 'run' | 'simulate' | 'compile' | 'check', name: string, v: string, expect: Case['expect'] = 'refuse'): void => {
    const base = cmd === 'run' ? callOf('run', BASE.nmg) : cmd === 'simulate' ? callOf('simulate', BASE.nmg) : cmd === 'compile' ? callOf('compile', BASE.nmg) : ['check', BASE.nmg, '--chip', 'spinnaker2', '--runs', '1', '--steps', '10', '-q'];
    out.push(mk(cls, cmd, `${name.replace(/^-+/, '')}-${JSON.stringify(v)}`, [...base, name, v], expect, copies(BASE.nmg)));
  };
  for (const v of ['1e10', '-1', '0', '1.5', String(TWO32 + 1), 'NaN']) opt('run', '--workers', v);
  for (const v of [String(2 ** 53 + 2), '-1', '1.5', '1e30', 'NaN', '18446744073709551617']) for (const c of ['run', 'simulate', 'compile'] as const) opt(c, '--seed', v);
  for (const v of ['0', '-1', 'NaN', '1e-400', 'Infinity', '1e300']) for (const c of ['run', 'simulate', 'compile'] as const) opt(c, '--dt', v);
  for (const v of ['NaN', '0', '-1', '1e400', '1e300']) opt('run', '--weight-scale', v);
  for (const v of ['0', '-1', String(TWO32 + 1), '1.5', '1e12', 'n=0', 'n=-4', `n=${TWO32 + 4}`, 'n=1.5', 'n=']) opt('compile', '--max-neurons-per-core', v);
  for (const v of ['2', '-1', '1e10', '0.5']) opt('simulate', '--delay', v);
  for (const v of ['count=1e400', 'count=-1', 'rel=NaN', 'count=1.5', 'rel=-0.5', 'count=', 'size=3']) opt('check', '--tolerance', v);
  opt('check', '--tolerance', `count=${TWO32 + 1}`, 'clean'); // a huge tolerance is a user's choice
  for (const v of ['-1', 'NaN', '0']) opt('check', '--max-rate', v);
  opt('check', '--max-rate', '1e300', 'clean'); // may be capped at 1/dt
  for (const v of ['2', '-1', 'NaN']) opt('check', '--max-weight-loss', v);
  for (const v of [`poisson:rate=1e300,seed=1`, 'poisson:rate=-5', 'poisson:rate=NaN', `poisson:rate=10,seed=${2 ** 53 + 2}`, 'poisson:rate=10,seed=-1', 'poisson:rate=10,seed=1.5'])
    out.push(mk(cls, 'simulate', `input-${v}`, ['simulate', BASE.nmg, '--steps', '10', '--input', v, '-q'], 'refuse', copies(BASE.nmg)));
  // spike inputs: .npy values, lying .npy headers, CSV rows
  const npyOf = (v: number): Uint8Array => {
    const a = new Float64Array(30).fill(0);
    a[4] = v;
    return writeNpy(a, [10, 3]);
  };
  const npyVals: [string, number, Case['expect']][] = [['1e200', 1e200, 'refuse'], ['nan', NaN, 'refuse'], ['inf', Infinity, 'refuse'], ['neg', -1, 'clean'],
    ['half', 0.5, 'clean'], ['2^32+5', TWO32 + 5, 'refuse'], ['1e10', 1e10, 'clean'], ['2', 2, 'clean']];
  for (const [what, v, expect] of npyVals) {
    for (const cmd of ['simulate', 'run'] as const) {
      const args = cmd === 'run' ? ['run', BASE.nmg, '--chip', 'spinnaker2', '--input', 'v.npy', '-q', '--json'] : ['simulate', BASE.nmg, '--input', 'v.npy', '-q', '--json'];
      out.push(mk(cls, cmd, `npy-value-${what}`, args, expect, [...copies(BASE.nmg), { path: 'v.npy', data: npyOf(v) }]));
    }
  }
  const lying = (shape: string): Uint8Array => {
    const good = writeNpy(new Float64Array(6), [2, 3]);
    const text = Buffer.from(good).toString('latin1').replace('(2, 3)', shape);
    return Buffer.from(text, 'latin1');
  };
  for (const shape of [`(${TWO32 + 5}, 3)`, '(10000000000, 3)', '(9007199254740993, 3)', '(-2, 3)', '(2.5, 3)']) {
    for (const cmd of ['simulate', 'run'] as const) {
      const args = cmd === 'run' ? ['run', BASE.nmg, '--chip', 'spinnaker2', '--input', 'v.npy', '-q'] : ['simulate', BASE.nmg, '--input', 'v.npy', '-q'];
      out.push(mk(cls, cmd, `npy-shape-${shape}`, args, 'refuse', [...copies(BASE.nmg), { path: 'v.npy', data: lying(shape) }]));
    }
  }
  // int64 beyond 2^53 in an .npy
  {
    const big = new BigInt64Array(30);
    big[4] = 2n ** 53n + 1n;
    const head = Buffer.from(writeNpy(new Float64Array(30), [10, 3])).toString('latin1').replace('<f8', '<i8');
    const bytes = Buffer.concat([Buffer.from(head.slice(0, head.indexOf('\n') + 1), 'latin1'), Buffer.from(big.buffer)]);
    for (const cmd of ['simulate', 'run'] as const)
      out.push(mk(cls, cmd, 'npy-int64-2^53+1', cmd === 'run' ? ['run', BASE.nmg, '--chip', 'spinnaker2', '--input', 'v.npy', '-q'] : ['simulate', BASE.nmg, '--input', 'v.npy', '-q'], 'refuse', [...copies(BASE.nmg), { path: 'v.npy', data: bytes }]));
  }
  const csvRows: [string, string, boolean][] = [['step-1e12', '1e12,0', false], ['step-2^32+5', `${TWO32 + 5},0`, false], ['step-neg', '-1,0', true], ['step-frac', '1.5,0', true],
    ['step-nan', 'NaN,0', true], ['step-2^53+1', '9007199254740993,0', false], ['index-2^32+3', `1,${TWO32 + 3}`, true], ['index-neg', '1,-1', true],
    ['index-frac', '1,1.5', true], ['index-out-of-range', '1,3', true], ['step-1e400', '1e400,0', false], ['index-nan', '1,NaN', true]];
  for (const [what, row, withSteps] of csvRows) {
    for (const cmd of ['simulate', 'run'] as const) {
      const steps = withSteps ? ['--steps', '20'] : [];
      const args = cmd === 'run' ? ['run', BASE.nmg, '--chip', 'spinnaker2', '--input', 'v.csv', ...steps, '-q'] : ['simulate', BASE.nmg, '--input', 'v.csv', ...steps, '-q'];
      out.push(mk(cls, cmd, `csv-${what}`, args, 'refuse', [...copies(BASE.nmg), { path: 'v.csv', data: `step,index\n0,1\n${row}\n` }]));
    }
  }
  // --rates documents with counts no float can hold or that are not counts
  for (const [what, v] of [['1e200', '1e200'], ['neg', '-3'], ['string', '"NaN"'], ['1e400', '1e400'], ['2^53+1', '9007199254740993']] as const) {
    const doc = `{"schema":"neuromesh/simulate@1","counts":{"in":[1,0,2],"n":[${v},1],"out":[0,0]}}`;
    out.push(mk(cls, 'compile', `rates-${what}`, ['compile', BASE.nmg, '--chip', 'spinnaker2', '--rates', 'r.json', '-q', '--json'], what === '2^53+1' || what === '1e200' ? 'clean' : 'refuse',
      [...copies(BASE.nmg), { path: 'r.json', data: doc }]));
  }
  return out;
}

/** Class 3: user-given names that are keys of every plain object. */
export function objectKeyNameCases(): Case[] {
  const out: Case[] = [];
  const cls = '3-object-key-names';
  for (const cmd of COMMANDS) {
    const o = cmd === 'convert' ? 'x.nir' : outName(cmd);
    out.push(mk(cls, cmd, 'names-model', callOf(cmd, BASE.names, o), 'ok', copies(BASE.names), { outputs: [o] }));
  }
  out.push(mk(cls, 'run', 'names-program', ['run', BASE.namesNmp, '--chip', 'spinnaker2', '--steps', '20', '--input', `__proto__=${POISSON}`, '-q', '--json'], 'ok', copies(BASE.namesNmp)));
  out.push(mk(cls, 'convert', 'names-model-to-nmg', ['convert', BASE.names, 'x.nmg', '-q'], 'ok', copies(BASE.names), { outputs: ['x.nmg'] }));
  for (const name of OBJECT_KEY_NAMES) {
    const pop = { path: 'p.nmg', data: encodeGraph(namedGraph([name], 'in', 'out')) };
    const inp = { path: 'i.nmg', data: encodeGraph(namedGraph(['n'], name, 'out')) };
    const outp = { path: 'o.nmg', data: encodeGraph(namedGraph(['n'], 'in', name)) };
    out.push(mk(cls, 'compile', `population-${name}`, [...callOf('compile', 'p.nmg'), '--max-neurons-per-core', `${name}=1`], 'ok', [pop]));
    out.push(mk(cls, 'run', `population-${name}`, [...callOf('run', 'p.nmg'), '--record', `${name}:v`, '--json'], 'ok', [pop]));
    out.push(mk(cls, 'simulate', `population-${name}`, [...callOf('simulate', 'p.nmg'), '--record', `${name}:v`, '--json'], 'ok', [pop]));
    out.push(mk(cls, 'check', `population-${name}`, [...callOf('check', 'p.nmg'), '--property', `spikes(${name},0)>=0`], 'ok', [pop]));
    out.push(mk(cls, 'simulate', `input-${name}`, ['simulate', 'i.nmg', '--steps', '20', '--input', `${name}=${POISSON}`, '-q', '--json'], 'ok', [inp]));
    out.push(mk(cls, 'inspect', `output-${name}`, ['inspect', 'o.nmg', '-q', '--json'], 'ok', [outp]));
    // the name is not in the plain model: refused, never found on Object.prototype
    out.push(mk(cls, 'compile', `max-neurons-unknown-${name}`, [...callOf('compile', BASE.nmg), '--max-neurons-per-core', `${name}=4`], 'refuse', copies(BASE.nmg)));
    out.push(mk(cls, 'simulate', `record-unknown-${name}`, [...callOf('simulate', BASE.nmg), '--record', `${name}:v`], 'refuse', copies(BASE.nmg)));
    out.push(mk(cls, 'simulate', `input-unknown-${name}`, ['simulate', BASE.nmg, '--steps', '10', '--input', `${name}=${POISSON}`, '-q'], 'refuse', copies(BASE.nmg)));
    out.push(mk(cls, 'compile', `chip-${name}`, ['compile', BASE.nmg, '--chip', name, '-q'], 'refuse', copies(BASE.nmg)));
    out.push(mk(cls, 'profiles', `id-${name}`, ['profiles', name, '-q'], 'refuse', []));
    out.push(mk(cls, 'profiles', `extends-${name}`, ['profiles', 'p.json', '-q'], 'refuse', [{ path: 'p.json', data: JSON.stringify({ extends: name, id: 'x', version: '1' }) }]));
    out.push(mk(cls, 'check', `property-unknown-${name}`, ['check', BASE.nmg, '--chip', 'spinnaker2', '--runs', '1', '--steps', '10', '--property', `spikes(${name},0)>=0`, '-q'], 'refuse', copies(BASE.nmg)));
  }
  for (const name of ['constructor', '__proto__', 'toString']) {
    out.push(mk(cls, 'run', `dvfs-${name}`, [...callOf('run', BASE.nmg), '--dvfs', name], 'refuse', copies(BASE.nmg)));
    out.push(mk(cls, 'simulate', `integrator-${name}`, [...callOf('simulate', BASE.nmg), '--integrator', name], 'refuse', copies(BASE.nmg)));
    out.push(mk(cls, 'simulate', `reset-${name}`, [...callOf('simulate', BASE.nmg), '--reset', name], 'refuse', copies(BASE.nmg)));
    out.push(mk(cls, 'compile', `routing-${name}`, [...callOf('compile', BASE.nmg), '--routing', name], 'refuse', copies(BASE.nmg)));
    out.push(mk(cls, 'profiles', `profile-key-${name}`, ['profiles', 'p.json', '-q'], 'clean', [{ path: 'p.json', data: `{"extends":"spinnaker2","id":"x","version":"1","${name}":{"chip":{"pesPerChip":{"value":-1,"unit":"PE","assumed":"x"}}}}` }]));
  }
  return out;
}

/** Class 11: options a program fixes, out-of-range properties, usage errors, empty output paths. */
export function smallerCases(): Case[] {
  const out: Case[] = [];
  const cls = '11-smaller';
  const runNmp = callOf('run', BASE.nmp);
  for (const [o, v] of [['--dt', '1e-3'], ['--integrator', 'exact'], ['--reset', 'subtract'], ['--if-mode', 'ode'], ['--seed', '5'], ['--weight-scale', '2'], ['--max-neurons-per-core', '4'], ['--max-neurons-per-core', 'n=1']])
    out.push(mk(cls, 'run', `nmp-fixed-${o.slice(2)}-${v}`, [...runNmp, o, v], 'refuse', copies(BASE.nmp)));
  out.push(mk(cls, 'run', 'nmp-same-dt', [...runNmp, '--dt', '1e-4'], 'clean', copies(BASE.nmp)));
  for (const p of ['spikes(n,99)>0', 'spikes(n,2)>0', 'spikes(n,-1)>0', 'spikes(n,1.5)>0', `spikes(n,${TWO32})>0`, 'spikes(in,3)>0', 'spikes(nope,0)>0',
    'total-spikes<=1e400', 'total-spikes<=NaN', 'garbage(', 'spikes(n,0)>0 =>', '', 'spikes(w,0)>0'])
    out.push(mk(cls, 'check', `property-${JSON.stringify(p)}`, ['check', BASE.nmg, '--chip', 'spinnaker2', '--runs', '1', '--steps', '10', '--property', p, '-q'], 'refuse', copies(BASE.nmg)));
  for (const cmd of COMMANDS) {
    out.push(mk(cls, cmd, 'missing-argument', [cmd], 'refuse', []));
    out.push(mk(cls, cmd, 'unknown-option', [...callOf(cmd, BASE.nmg), '--no-such-option'], 'refuse', copies(BASE.nmg)));
    if (cmd !== 'convert') out.push(mk(cls, cmd, 'empty-output', callOf(cmd, BASE.nmg, ''), 'refuse', copies(BASE.nmg)));
    out.push(mk(cls, cmd, 'excess-argument', [...callOf(cmd, BASE.nmg), 'extra.nir'], 'refuse', copies(BASE.nmg)));
  }
  out.push(mk(cls, 'convert', 'empty-output', ['convert', BASE.nmg, '', '-q'], 'refuse', copies(BASE.nmg)));
  out.push(mk(cls, 'usage', 'unknown-command', ['frobnicate'], 'refuse', []));
  out.push(mk(cls, 'run', 'missing-option-value', ['run', BASE.nmg, '--chip', 'spinnaker2', '--steps'], 'refuse', copies(BASE.nmg)));
  out.push(mk(cls, 'compile', 'missing-chip', ['compile', BASE.nmg], 'refuse', copies(BASE.nmg)));
  out.push(mk(cls, 'inspect', 'empty-model-path', ['inspect', ''], 'refuse', []));
  return out;
}
