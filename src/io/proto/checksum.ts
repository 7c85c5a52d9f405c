import { createHash } from 'node:crypto';

/**
 * File checksums of neuromesh's protobuf files (.nmp, .nmg): the last record of the file is field
 * 15, a 64-digit SHA-256 (hex) of every byte before it. A reader checks it before decoding, so a
 * damaged file is refused in one line instead of decoding into a different, valid-looking model.
 */
export const CHECKSUM_FIELD = 15;
const TAG = (CHECKSUM_FIELD << 3) | 2;
const HEX = 64;
const TRAILER = 2 + HEX;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `body` followed by its checksum record. */
export function withChecksum(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.byteLength + TRAILER);
  out.set(body, 0);
  out[body.byteLength] = TAG;
  out[body.byteLength + 1] = HEX;
  out.set(Buffer.from(sha256Hex(body), 'latin1'), body.byteLength + 2);
  return out;
}

export type ChecksumState = { kind: 'ok'; body: Uint8Array } | { kind: 'missing' } | { kind: 'mismatch'; stored: string; actual: string };

/** Whether `bytes` ends in a checksum record, and whether it matches what precedes it. */
export function verifyChecksum(bytes: Uint8Array): ChecksumState {
  const n = bytes.byteLength;
  if (n < TRAILER || bytes[n - TRAILER] !== TAG || bytes[n - TRAILER + 1] !== HEX) return { kind: 'missing' };
  const stored = Buffer.from(bytes.buffer, bytes.byteOffset + n - HEX, HEX).toString('latin1');
  if (!/^[0-9a-f]{64}$/.test(stored)) return { kind: 'missing' };
  const body = bytes.subarray(0, n - TRAILER);
  const actual = sha256Hex(body);
  return actual === stored ? { kind: 'ok', body } : { kind: 'mismatch', stored, actual };
}
