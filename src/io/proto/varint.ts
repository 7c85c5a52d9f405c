/** Protobuf wire-format helpers for codecs that write bulk records by hand (protobufjs copies large messages several times). */

export function varintSize(v: number): number {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

export function writeVarint(buf: Uint8Array, pos: number, v: number): number {
  while (v >= 128) {
    buf[pos++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

/** Size of a length-delimited record (tag + length + bytes) for a field number below 16. */
export function recordSize(bytes: number): number {
  return 1 + varintSize(bytes) + bytes;
}

/** Write a length-delimited record of field `field` (< 16) at pos; returns the new position. */
export function writeRecord(out: Uint8Array, pos: number, field: number, bytes: Uint8Array): number {
  out[pos++] = (field << 3) | 2;
  pos = writeVarint(out, pos, bytes.byteLength);
  out.set(bytes, pos);
  return pos + bytes.byteLength;
}

/** Concatenate a head message and length-delimited records of one field (a repeated field, merged by any reader). */
export function appendRecords(head: Uint8Array, field: number, records: readonly Uint8Array[]): Uint8Array {
  let total = head.byteLength;
  for (const r of records) total += recordSize(r.byteLength);
  const out = new Uint8Array(total);
  out.set(head, 0);
  let pos = head.byteLength;
  for (const r of records) pos = writeRecord(out, pos, field, r);
  return out;
}
