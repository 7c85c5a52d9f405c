import { exampleProfile } from '../chip-options.js';
import { Command } from 'commander';
import { builtinProfiles, loadProfile } from '../../../chips/index.js';
import { unverifiedFields, type ChipProfile, type Coefficient } from '../../chip/profile.js';
import { processIO } from '../context.js';
import { makeDoc, writeJsonOutput } from '../json.js';

/** Version of the `neuromesh/profiles` JSON document. */
export const PROFILES_SCHEMA_VERSION = 1;

function provenance(c: Coefficient): string {
  const p = c.source ? `source: ${c.source}` : c.derived ? `derived: ${c.derived}` : `assumed: ${c.assumed}`;
  return c.unverified ? `${p} [unverified: ${c.unverified}]` : p;
}

/** Every coefficient of a profile with its provenance, one line each. */
export function formatProfile(p: ChipProfile): string {
  const lines = [`${p.id} v${p.version} (${p.family}): ${p.name}`];
  if (p.description) lines.push(`  ${p.description}`);
  lines.push(`  machine: ${p.machine.layout}${p.machine.wrap ? ', wrap-around links' : ''}`);
  const tables: [string, Record<string, Coefficient>][] = [['chip', p.chip], ['limits', p.limits], ['placement', p.placement], ['energy', p.energy], ['latency', p.latency]];
  for (const [name, dv] of Object.entries(p.dvfs)) tables.push([`dvfs.${name}`, dv]);
  for (const [t, tab] of tables)
    for (const [k, c] of Object.entries(tab)) lines.push(`  ${`${t}.${k}`.padEnd(34)} ${String(c.value).padStart(12)} ${c.unit.padEnd(7)} ${provenance(c)}`);
  for (const [k, f] of Object.entries(p.formats)) {
    const desc = f.kind === 'fixed' ? `${f.signed ? 's' : 'u'}${f.intBits}.${f.fracBits}` : `${f.signed ? 'i' : 'u'}${f.bits}`;
    lines.push(`  ${`formats.${k}`.padEnd(34)} ${desc.padStart(12)}         ${f.source ? `source: ${f.source}` : f.derived ? `derived: ${f.derived}` : `assumed: ${f.assumed}`}`);
  }
  return lines.join('\n');
}

function summary(p: ChipProfile): Record<string, unknown> {
  return { id: p.id, family: p.family, version: p.version, name: p.name, layout: p.machine.layout, wrap: p.machine.wrap === true, unverified: unverifiedFields(p) };
}

export function register(program: Command): void {
  const chip = exampleProfile();
  program
    .command('profiles')
    .description('List the built-in chip profiles, or show and validate one (a built-in id or a .json file).')
    .argument('[profile]', 'a profile id or a path to a .json profile to validate and show with the source of every number')
    .option('--json', 'print a neuromesh/profiles@1 JSON document')
    .addHelpText('after', `
A profile file may start from a built-in one: {"extends": "${chip}", "id": "my-board", "version": "1", …}.
Every number is {"value", "unit", and one of "source" | "derived" | "assumed"}; "unverified": "why" marks figures from secondary notes.

Examples:
  $ neuromesh profiles
  $ neuromesh profiles ${chip}
  $ neuromesh profiles ./my-board.json --json`)
    .action((spec: string | undefined, opts: { json?: boolean }) => {
      const io = processIO;
      const list = spec ? [loadProfile(spec)] : builtinProfiles();
      if (opts.json) {
        writeJsonOutput(makeDoc('profiles', PROFILES_SCHEMA_VERSION, spec ? { profile: spec } : {}, { profiles: spec ? list : list.map(summary) }), { stdout: true });
        return;
      }
      if (spec) {
        io.out(formatProfile(list[0]!));
        return;
      }
      const w = Math.max(...list.map((p) => p.id.length));
      for (const p of list) io.out(`${p.id.padEnd(w)}  ${p.family.padEnd(10)} ${p.name}${unverifiedFields(p).length ? ` (${unverifiedFields(p).length} unverified figures)` : ''}`);
    });
}
