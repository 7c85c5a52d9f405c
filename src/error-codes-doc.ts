import { ERROR_CODES, type ErrorCodeInfo } from './error-codes.js';

const EXIT_MEANING: Record<ErrorCodeInfo['exit'], string> = {
  0: 'warning: reported, never fails a command',
  2: 'the input, the options or the environment is at fault',
  3: 'a bug in neuromesh or a crashed worker',
  130: 'interrupted',
};

/** docs/errors.md: the table of every Diagnostic code, rendered from src/error-codes.ts. */
export function renderErrorsDoc(): string {
  const rows = Object.entries(ERROR_CODES) as [string, ErrorCodeInfo][];
  const errors = rows.filter(([, i]) => i.exit !== 0).sort(([a], [b]) => a.localeCompare(b));
  const warnings = rows.filter(([, i]) => i.exit === 0).sort(([a], [b]) => a.localeCompare(b));
  const table = (list: [string, ErrorCodeInfo][], withExit: boolean): string[] => [
    withExit ? '| code | exit | meaning |' : '| code | meaning |',
    withExit ? '|---|---|---|' : '|---|---|',
    ...list.map(([c, i]) => (withExit ? `| \`${c}\` | ${i.exit} | ${i.meaning} |` : `| \`${c}\` | ${i.meaning} |`)),
  ];
  return [
    '# Diagnostic codes',
    '',
    '<!-- generated from src/error-codes.ts by `npm run docs:errors`; test/docs/errors-doc.test.ts keeps it current -->',
    '',
    'Every problem neuromesh reports is a Diagnostic with one of these codes, printed as one line',
    '(`error E_CODE file: node \'x\' field \'y\': message (hint: …)`; see [semantics.md](semantics.md) §7).',
    'The exit code of a command follows from its codes:',
    '',
    ...([2, 3, 130] as const).map((e) => `- **${e}**: ${EXIT_MEANING[e]}`),
    '- **143**: terminated by SIGTERM (no code; no partial output file is left)',
    '',
    `## Errors (${errors.length})`,
    '',
    ...table(errors, true),
    '',
    `## Warnings (${warnings.length})`,
    '',
    'Warnings are printed (and kept in JSON outputs) but never change the exit code.',
    '',
    ...table(warnings, false),
    '',
  ].join('\n');
}
