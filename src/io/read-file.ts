import { readFile, stat } from 'node:fs/promises';
import { diag, NeuromeshError, type ErrorCode } from '../errors.js';
import { fileAccessError } from './file-error.js';
import { noteInput } from './output-guard.js';

/**
 * The bytes of a regular file, refused in one line before anything is read when the path is
 * missing (E_NOT_FOUND), a directory (E_IS_DIRECTORY), not a regular file or unreadable (E_READ),
 * or larger than `maxBytes` (`tooLarge`, E_TOO_LARGE by default). `what` names the file's role.
 */
export async function readRegularFile(path: string, what: string, maxBytes: number, tooLarge: ErrorCode = 'E_TOO_LARGE'): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new NeuromeshError([diag('E_IS_DIRECTORY', `${what} is a directory`, { file: path, hint: 'give the path of a file' })]);
    if (!s.isFile()) throw new NeuromeshError([diag('E_READ', `${what} is not a regular file`, { file: path })]);
    size = s.size;
  } catch (e) {
    if (e instanceof NeuromeshError) throw e;
    throw new NeuromeshError([fileAccessError(path, e, what)]);
  }
  if (size > maxBytes) throw new NeuromeshError([diag(tooLarge, `${what} has ${size} bytes, more than the ${maxBytes}-byte limit`, { file: path })]);
  try {
    const bytes = new Uint8Array(await readFile(path));
    noteInput(path, what);
    return bytes;
  } catch (e) {
    throw new NeuromeshError([fileAccessError(path, e, what)]);
  }
}
