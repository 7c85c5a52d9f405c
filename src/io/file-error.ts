import { diag, type Diagnostic } from '../errors.js';

const PATH_HINT = 'check the path (relative paths start at the current directory)';

/**
 * The one Diagnostic for a file that cannot be opened: E_NOT_FOUND (no such path), E_IS_DIRECTORY,
 * or E_READ with the system's error code (permissions, I/O). `what` names the file's role
 * ("chip profile", "input file") in the message.
 */
export function fileAccessError(path: string, e: unknown, what: string, extra: Omit<Diagnostic, 'code' | 'message' | 'file'> = {}): Diagnostic {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return diag('E_NOT_FOUND', `${what} not found`, { file: path, hint: PATH_HINT, ...extra });
  if (code === 'EISDIR') return diag('E_IS_DIRECTORY', `${what} is a directory`, { file: path, hint: 'give the path of a file', ...extra });
  const why = typeof code === 'string' ? code : ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error');
  return diag('E_READ', `cannot read ${what} (${why.slice(0, 160)})`, { file: path, hint: 'check the path and its permissions', ...extra });
}
