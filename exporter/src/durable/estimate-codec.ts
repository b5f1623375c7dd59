import zlib from 'node:zlib';
import type { VersionState } from '../ingest/version-state.js';
import type { Calibration, EstimateState } from '../stats/index.js';
import { ByteReader, ByteWriter, SnapshotFormatError } from './bytes.js';
import { countCodec, readWindow, writeWindow, type StateCodec } from './state-codec.js';

const HAS_LABELS = 1;
const HAS_ESTIMATE = 2;

/** An estimate state is one array of sums; it is restored into a state of the same shape. */
export const estimateCodec: StateCodec<EstimateState> = {
  write: (w, s) => w.f64s(s.values),
  read: (r, s) => {
    const values = r.f64s(s.values.length);
    if (values.length !== s.values.length)
      throw new SnapshotFormatError(`estimate state of ${values.length} sums, expected ${s.values.length}`);
    for (const v of values) if (!Number.isFinite(v)) throw new SnapshotFormatError('non-finite estimate sum');
    s.values.set(values);
  },
};

/**
 * The sections a version snapshot gained with the label-free estimate, written after the
 * others: label coverage and delay, and the estimate window with a fingerprint of the
 * calibration it was built on (restored only onto the same calibration, as drift windows are
 * onto the same reference). Snapshots written before these sections existed end earlier; the
 * reader then leaves them empty.
 */
export function writeEstimateSections(w: ByteWriter, v: VersionState): void {
  w.u8(HAS_LABELS | (v.estimate ? HAS_ESTIMATE : 0));
  const l = v.labelTracking;
  writeWindow(w, l.labelled, countCodec);
  w.counts(l.delayBuckets);
  w.f64(l.delaySum);
  w.uint(l.delayCount);
  if (v.estimate) {
    w.uint(calibrationPrint(v.estimate.cal));
    const sub = new ByteWriter();
    writeWindow(sub, v.estimate.window, estimateCodec);
    w.bytes(sub.finish());
  }
}

export function readEstimateSections(r: ByteReader, v: VersionState, format: number): void {
  if (r.done) return;
  const flags = r.u8();
  if (flags & HAS_LABELS) {
    const l = v.labelTracking;
    readWindow(r, l.labelled, countCodec, format);
    l.delayBuckets.set(r.counts(l.delayBuckets.length));
    l.delaySum = r.f64();
    l.delayCount = r.uint();
  }
  if (flags & HAS_ESTIMATE) {
    const print = r.uint();
    const bytes = r.bytes();
    // A calibration replaced since the snapshot: the estimate window starts empty.
    if (v.estimate && calibrationPrint(v.estimate.cal) === print)
      readWindow(new ByteReader(bytes), v.estimate.window, estimateCodec, format);
  }
}

const prints = new WeakMap<Calibration, number>();

function calibrationPrint(cal: Calibration): number {
  let p = prints.get(cal);
  if (p === undefined) prints.set(cal, (p = zlib.crc32(JSON.stringify(cal))));
  return p;
}
