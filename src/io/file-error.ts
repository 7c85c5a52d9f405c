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

/** What a system error code means for an output path (the cause E_WRITE names). */
const WRITE_CAUSES: ReadonlyMap<string, string> = new Map([
  ['EROFS', 'read-only file system'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['ENOTDIR', 'a parent of the path is not a directory'],
  ['ENOSPC', 'no space left on the device'],
  ['EDQUOT', 'disk quota exceeded'],
  ['EFBIG', 'file too large for the file system'],
  ['EISDIR', 'the path names a directory, not a file'],
  ['ENOENT', 'a parent directory does not exist'],
  ['EEXIST', 'a parent of the path is a file'],
  ['ENAMETOOLONG', 'the name is too long'],
  ['ELOOP', 'too many symbolic links'],
  ['EIO', 'input/output error'],
  ['EMFILE', 'too many open files'],
  ['ENOTEMPTY', 'a directory in the way is not empty'],
  ['EXDEV', 'the path crosses file systems'],
]);

/** The system error code of an exception (ENOSPC, EROFS, …), if it carries one. */
export function systemCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/**
 * The one Diagnostic for an output that cannot be written: E_WRITE naming the cause
 * ("no space left on the device (ENOSPC)"). `what` names the output ("JSON output", "program").
 */
export function fileWriteError(path: string, e: unknown, what = 'output'): Diagnostic {
  const code = systemCode(e);
  const cause = code ? `${WRITE_CAUSES.get(code) ?? 'system error'} (${code})` : ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error').slice(0, 160);
  const hint = code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' ? 'free some space or write to another disk' : 'check that the directory exists and is writable';
  return diag('E_WRITE', `cannot write the ${what}: ${cause}`, { file: path, hint });
}
