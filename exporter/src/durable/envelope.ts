import zlib from 'node:zlib';
import { SnapshotFormatError } from './bytes.js';

/**
 * Snapshot bytes: "MWS", the format version, the kind, a CRC-32 of the body, then the body.
 * Bump SNAPSHOT_FORMAT whenever an encoder changes what it writes, and keep the older formats
 * the decoders still migrate in READABLE_FORMATS; snapshots of any other format are skipped
 * (counted and logged), never misread.
 *
 * - 2: windows, model header, pending predictions.
 * - 3: + labels held for their prediction and recently joined ids (model snapshots; version
 *   snapshots are unchanged). A format-2 model snapshot reads as one with neither, and its
 *   positive class — always written as "1" by format 2, stated or not — is kept only when stated
 *   otherwise or when the model's classes imply it (stats/positive-class.ts).
 * - 4: the ROC AUC score grid widened from 1,026 to 1,578 bins (stats/score-histogram.ts);
 *   model snapshots are unchanged. Format 2 and 3 version snapshots have their score counts
 *   moved onto the new grid as they are read (`migrateScoreBinV3`).
 * - 5: classification states count the folded pairs apart (true and predicted classes two names
 *   folded into one index: not right predictions); pending predictions keep the exact scores of
 *   their folded classes. Older snapshots read with none of either.
 * - 6: the second ROC AUC grid follows where the scores are (cells at a level, stats/adaptive-grid.ts)
 *   instead of spreading over their range. Format 4 and 5 counts on the old zoomed grid are read
 *   past; the fixed grid's counts carry the AUC until the restored buckets leave the window.
 * - 7: regression states sum the squares of errors under 2^-500 apart, scaled (stats/regression.ts,
 *   TINY_ERROR), so that RMSE sees subnormal and tiny errors. Older snapshots read with that sum
 *   empty: the tiny errors they hold count in RMSE as they did (their squares underflowed, to 0
 *   below ~1e-162) until their buckets leave the window; MAE and every other error are as written.
 * - 8: pending predictions keep when they started waiting for their label, and recently joined
 *   ids mark those whose prediction expired instead (MODELWATCH_PENDING_PREDICTION_SECONDS);
 *   version snapshots are unchanged. An older model snapshot's predictions count as waiting
 *   since its versions' last batch (no earlier than they really arrived: none expires early), and
 *   its recent ids as joined.
 * - 9: + ROC AUC's quantile grids (stats/quantile-grid.ts): their layouts and each state's counts
 *   on them. An older snapshot reads with none started; they start at the next interval.
 */
export const SNAPSHOT_FORMAT = 9;
export const READABLE_FORMATS: readonly number[] = [2, 3, 4, 5, 6, 7, 8, 9];
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

/** The body of sealed bytes; SnapshotFormatError when they are not a snapshot of this kind in a readable format. */
export function open(kind: SnapshotKind, bytes: Uint8Array): Buffer {
  return openVersioned(kind, bytes).body;
}

/** The body of sealed bytes and the format it was written in (one of READABLE_FORMATS). */
export function openVersioned(kind: SnapshotKind, bytes: Uint8Array): { body: Buffer; format: number } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < HEADER || !b.subarray(0, 3).equals(MAGIC)) throw new SnapshotFormatError('not a modelwatch snapshot');
  if (!READABLE_FORMATS.includes(b[3]))
    throw new SnapshotFormatError(`snapshot format ${b[3]}, this exporter reads ${READABLE_FORMATS.join(' and ')}`);
  if (b[4] !== KINDS[kind]) throw new SnapshotFormatError(`not a ${kind} snapshot`);
  const body = b.subarray(HEADER);
  if (zlib.crc32(body) !== b.readUInt32LE(5)) throw new SnapshotFormatError('snapshot checksum mismatch');
  return { body, format: b[3] };
}
