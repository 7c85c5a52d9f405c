/**
 * Reading a NIR file's HDF5 tree in the current thread: bytes into the HDF5 instance's file
 * system, open, readNirTree (nir-read.ts), close, clean up. Every failure becomes one Diagnostic.
 */
import { diag, isError, NeuromeshError, type Diagnostic } from '../errors.js';
import { isWasmAbort, runHdf5 } from './hdf5-module.js';
import { FieldError, MAX_GROUP_MEMBERS_VISITED } from './hdf5-read.js';
import { readNirTree, type NirReadResult } from './nir-read.js';

/** Control characters (names in hostile files may hold newlines or terminal escapes) made visible. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Throw the first error (readers report one line per broken file), its text made printable. */
export function refuse(d: Diagnostic[], file: string): never {
  const first = d.find(isError) ?? d[0]!;
  const out: Diagnostic = { ...first, file: first.file ?? file, message: printable(first.message) };
  if (first.node !== undefined) out.node = printable(first.node);
  if (first.field !== undefined) out.field = printable(first.field);
  if (first.hint !== undefined) out.hint = printable(first.hint);
  throw new NeuromeshError([out]);
}

/** Read the HDF5 tree of NIR bytes (already signature-checked) into a NestedGraph. */
export async function readNirTreeInThread(bytes: Uint8Array, file: string): Promise<NirReadResult> {
  try {
    return await runHdf5(({ h5, path }) => {
      const name = path('read');
      h5.FS!.writeFile(name, bytes);
      let f: InstanceType<typeof h5.File> | undefined;
      try {
        try {
          f = new h5.File(name, 'r');
        } catch (e) {
          if (isWasmAbort(e)) throw e;
        }
        // h5wasm reports a failed open as a negative file id rather than an exception
        if (!f || !(f.file_id >= 0n))
          refuse([diag('E_HDF5', 'HDF5 cannot open the file: its structure is corrupt', { file, hint: 'check that the file was copied completely and is a NIR file' })], file);
        return readNirTree({ h5, fileSize: bytes.length, file, budget: { left: MAX_GROUP_MEMBERS_VISITED } }, f);
      } finally {
        try {
          if (f && f.file_id >= 0n) f.close();
        } catch {
          // a failed close leaves nothing we can do; the instance is checked by runHdf5
        }
      }
    });
  } catch (e) {
    if (e instanceof NeuromeshError) throw e;
    if (e instanceof FieldError) refuse([e.diagnostic], file);
    if (isWasmAbort(e))
      refuse([diag('E_HDF5_ABORT', `HDF5 aborted while reading the file (${e.message.split('\n')[0]!.slice(0, 120)})`, { file, hint: 'the file is corrupt or hostile' })], file);
    if (e instanceof RangeError)
      refuse([diag('E_ABSURD_SIZE', `the file declares more data than can be allocated (${e.message.slice(0, 80)})`, { file, hint: 'the file is corrupt or hostile' })], file);
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    refuse([diag('E_HDF5', `HDF5 cannot read the file (${msg.slice(0, 120)})`, { file, hint: 'the file is corrupt or not a NIR file' })], file);
  }
}

