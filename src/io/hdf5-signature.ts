/**
 * Checks on raw bytes before they are handed to HDF5: the format signature and the end-of-file
 * address the superblock declares (a truncated file is reported as such, not as an HDF5 error).
 */
import { diag, type Diagnostic } from '../errors.js';

export const HDF5_SIGNATURE = Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a);
/** Largest model file read (refused before reading it). */
export const MAX_FILE_BYTES = 2 ** 30;

function signatureAt(bytes: Uint8Array, off: number): boolean {
  if (off + 8 > bytes.length) return false;
  for (let i = 0; i < 8; i++) if (bytes[off + i] !== HDF5_SIGNATURE[i]) return false;
  return true;
}

/** Offset of the superblock: 0, 512, 1024, 2048, … (HDF5 user blocks), or −1. */
export function findSignature(bytes: Uint8Array): number {
  for (let off = 0; off + 8 <= bytes.length; off = off === 0 ? 512 : off * 2) if (signatureAt(bytes, off)) return off;
  return -1;
}

function readAddr(bytes: Uint8Array, at: number, size: number): number | undefined {
  if (at + size > bytes.length) return undefined;
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + bytes[at + i]!;
  // all-ones is HDF5's "undefined address"
  return v === 256 ** size - 1 ? undefined : v;
}

/**
 * End-of-file address the superblock declares, if it can be read. HDF5 writes it as an absolute
 * offset (a file with a 512-byte user block and base address 512 declares its full length), so
 * the base address is not added; if a writer stored it relative to the base, the check is only
 * weaker (HDF5 still refuses the file).
 */
export function declaredEof(bytes: Uint8Array, sb: number): number | undefined {
  const version = bytes[sb + 8];
  if (version === 0 || version === 1) {
    const sizeOfOffsets = bytes[sb + 13]!;
    if (sizeOfOffsets !== 4 && sizeOfOffsets !== 8) return undefined;
    const base = sb + 24 + (version === 1 ? 4 : 0);
    return readAddr(bytes, base + 2 * sizeOfOffsets, sizeOfOffsets);
  }
  if (version === 2 || version === 3) {
    const sizeOfOffsets = bytes[sb + 9]!;
    if (sizeOfOffsets !== 4 && sizeOfOffsets !== 8) return undefined;
    return readAddr(bytes, sb + 12 + 2 * sizeOfOffsets, sizeOfOffsets);
  }
  return undefined;
}

/** Diagnostics for bytes that must not reach HDF5 (none when they may). */
export function checkHdf5Bytes(bytes: Uint8Array, file: string): Diagnostic[] {
  const ctx = { file };
  if (bytes.length > MAX_FILE_BYTES)
    return [diag('E_ABSURD_SIZE', `file has ${bytes.length} bytes, more than ${MAX_FILE_BYTES}`, { ...ctx, hint: 'NIR files of this size are not supported' })];
  const sb = findSignature(bytes);
  if (sb < 0) {
    const hint = bytes.length === 0 ? 'the file is empty' : 'NIR files are HDF5 files (they start with \\x89HDF\\r\\n\\x1a\\n)';
    return [diag('E_NOT_HDF5', 'not an HDF5 file (no HDF5 signature)', { ...ctx, hint })];
  }
  const eof = declaredEof(bytes, sb);
  if (eof !== undefined && eof > bytes.length)
    return [diag('E_TRUNCATED', `file is truncated: it has ${bytes.length} bytes, its header declares ${eof}`, { ...ctx, hint: 'the download or copy was cut short' })];
  return [];
}
