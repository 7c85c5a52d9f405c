/**
 * The chips' own command-line options, registered generically: every option any chip family
 * declares for a command is added to it (help says which family), and after parsing, an option
 * the chosen chip does not declare is refused with E_BAD_OPTION.
 */
import { Option, type Command } from 'commander';
import { CHIPS } from '../../chips/index.js';
import type { ChipBackend } from '../chip/backend.js';
import type { ChipOption, ChipOptionValues } from '../chip/run-record.js';
import { diag, NeuromeshError } from '../errors.js';

type CommandName = ChipOption['commands'][number];

/** commander's attribute name of an option: 'max-neurons-per-core' → 'maxNeuronsPerCore'. */
const attr = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function declared(command: CommandName): Map<string, { option: ChipOption; families: string[] }> {
  const out = new Map<string, { option: ChipOption; families: string[] }>();
  for (const fam of CHIPS)
    for (const o of fam.options) {
      if (!o.commands.includes(command)) continue;
      const seen = out.get(o.name);
      if (seen) seen.families.push(fam.id);
      else out.set(o.name, { option: o, families: [fam.id] });
    }
  return out;
}

/** Add every chip option of `command` to a commander command. */
export function addChipOptions(cmd: Command, command: CommandName): Command {
  for (const { option: o } of declared(command).values()) {
    const opt = new Option(`--${o.name} ${o.value}`, o.help);
    if (o.repeatable) opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
    if (o.hidden) opt.hideHelp();
    cmd.addOption(opt);
  }
  return cmd;
}

/** The chip option values given on the command line; refuses the ones `backend` does not declare. */
export function chipOptionValues(opts: object, backend: ChipBackend, command: CommandName): ChipOptionValues {
  const values = new Map<string, readonly string[]>();
  const given = new Map(Object.entries(opts));
  for (const [name, { families }] of declared(command)) {
    const v: unknown = given.get(attr(name));
    if (v === undefined) continue;
    const mine = CHIPS.find((f) => f.id === backend.profile.family)?.options.filter((o) => o.commands.includes(command)) ?? [];
    if (!mine.some((o) => o.name === name))
      throw new NeuromeshError([diag('E_BAD_OPTION', `--${name} is an option of chip famil${families.length === 1 ? 'y' : 'ies'} ${families.join(', ')}, not of '${backend.profile.family}'`, {
        field: name, chip: backend.profile.id, hint: `options of ${backend.profile.family}: ${mine.map((o) => `--${o.name}`).join(', ') || 'none'}`,
      })]);
    const list = Array.isArray(v) ? v.map(String) : [String(v)];
    if (list.some((x) => x.trim() === ''))
      throw new NeuromeshError([diag('E_BAD_OPTION', `--${name} needs a value, got an empty string`, { field: name, chip: backend.profile.id, hint: `see neuromesh ${command} --help for --${name}` })]);
    values.set(name, list);
  }
  return values;
}

/** A built-in profile id for --help examples (the first of the first family). */
export function exampleProfile(): string {
  return Object.keys(CHIPS[0]?.profiles ?? {})[0] ?? '<profile>';
}

/** The given chip options that `compile` also takes: a compiled program has them fixed already. */
export function compileTimeOptions(values: ChipOptionValues): string[] {
  const atCompile = declared('compile');
  return [...values.keys()].filter((name) => atCompile.has(name));
}
