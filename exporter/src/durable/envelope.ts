import zlib from 'node:zlib';
import { SnapshotFormatError } from './bytes.js';

/**
 * Snapshot bytes: "MWS", the format version, the kind, a CRC-32 of the body, then the body.
 * Bump SNAPSHOT_FORMAT whenever an encoder changes what it writes; snapshots of another
 * format are skipped (counted and logged), never misread.
 */
export const SNAPSHOT_FORMAT = 2;
const MAGIC = Buffer.from('MWS', 'latin1');
const HEADER = MAGIC.length + 2 + 4;

export type SnapshotKind = 'model' | 'version';
const KINDS: Record<SnapshotKind, number> = { model: 1, version: 2 };

export function seal(kind: SnapshotKind, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER + body.length);
  MAGIC.copy(out, 0);
  out[3] = SNAPSHOT_FORMAT;
  out[4] = KINDS[kind];
  out.writeUInt32LE(zlib.crc32(body), 5);
  body.copy(out, HEADER);
  return out;
}

/** The body of sealed bytes; SnapshotFormatError when they are not a snapshot of this kind and format. */
export function open(kind: SnapshotKind, bytes: Uint8Array): Buffer {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < HEADER || !b.subarray(0, 3).equals(MAGIC)) throw new SnapshotFormatError('not a modelwatch snapshot');
  if (b[3] !== SNAPSHOT_FORMAT) throw new SnapshotFormatError(`snapshot format ${b[3]}, this exporter reads ${SNAPSHOT_FORMAT}`);
  if (b[4] !== KINDS[kind]) throw new SnapshotFormatError(`not a ${kind} snapshot`);
  const body = b.subarray(HEADER);
  if (zlib.crc32(body) !== b.readUInt32LE(5)) throw new SnapshotFormatError('snapshot checksum mismatch');
  return body;
}
