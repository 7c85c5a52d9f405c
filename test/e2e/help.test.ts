import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/shared.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, hasStackFrame, runCli } from './cli.js';

/** `--help` on every command, usage errors exit 2 (docs/semantics.md §7). Uses the built CLI. */

beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);

/** Command names listed under "Commands:" in `neuromesh --help` (except commander's `help`). */
function commandsOf(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z0-9-]*)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
}

describe('help and usage errors', () => {
  it('neuromesh --help lists inspect and convert and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: neuromesh /m);
    expect(commandsOf(r.stdout)).toEqual(expect.arrayContaining(['inspect', 'convert']));
  });

  it('every registered command has --help with a usage line and examples', async () => {
    const top = await runCli(['--help']);
    const commands = commandsOf(top.stdout);
    expect(commands.length).toBeGreaterThanOrEqual(2);
    const results = await Promise.all(commands.map((c) => runCli([c, '--help'])));
    for (const [i, r] of results.entries()) {
      const c = commands[i]!;
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(new RegExp(`^Usage: neuromesh ${c} `, 'm'));
      // an Examples section with at least one invocation of this command
      const examples = r.stdout.split(/^Examples?:$/m)[1] ?? '';
      expect(examples, `${c} --help should show examples`).toMatch(new RegExp(`^\\s+\\$? ?neuromesh ${c}\\b`, 'm'));
    }
  });

  it('--version prints the package version and exits 0', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('help <command> works like <command> --help', async () => {
    const [a, b] = await Promise.all([runCli(['help', 'inspect']), runCli(['inspect', '--help'])]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('unknown command, unknown option, missing argument: exit 2, ONE line, no stack', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['inspect', '--frob', 'x.nir'], /unknown option '--frob'/],
      [['--frob'], /unknown option '--frob'/],
      [['inspect'], /missing required argument 'model'/],
      [['inspect', 'a.nir', 'b.nir'], /too many arguments|unknown/i],
      [['run', 'm.nmg', '--steps', '3'], /required option '-c, --chip <profile>' not specified/],
      [['run', 'm.nmg', '--chip'], /argument missing/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    for (const [i, r] of results.entries()) {
      const [args, re] = cases[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/\(hint: run with --help for usage\)\n$/);
      expect(hasStackFrame(r.stderr)).toBe(false);
    }
  });
});
