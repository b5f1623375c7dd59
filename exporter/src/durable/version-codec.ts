import zlib from 'node:zlib';
import type { Task } from '../ingest/reference-profile.js';
import type { FeatureTracker, VersionState } from '../ingest/version-state.js';
import type { FeatureReference } from '../stats/index.js';
import { ByteReader, ByteWriter, SnapshotFormatError } from './bytes.js';
import { readEstimateSections, writeEstimateSections } from './estimate-codec.js';
import { internals, type VersionInternals } from './internals.js';
import {
  categoricalCodec,
  classificationCodec,
  countCodec,
  numericCodec,
  readWindow,
  regressionCodec,
  writeWindow,
} from './state-codec.js';

const MAX_ERROR_REASONS = 10_000;
const MAX_TRACKERS = 100_000;

/** Which windows a version holds, as bits. */
const HAS_CLASSIFICATION = 1;
const HAS_PROBABILITIES = 2;
const HAS_REGRESSION = 4;

/**
 * Everything a version exposes: counters, latency histogram, and every window (quality,
 * feature and prediction drift). Feature windows are written with a fingerprint of the
 * reference they were built on and restored only onto the same reference: a version whose
 * reference was replaced since starts those windows empty, as setReference does.
 */
export function writeVersion(w: ByteWriter, v: VersionState): void {
  w.str(v.name);
  w.f64(v.lastSeen);
  w.uint(v.predictions);
  w.uint(v.errors.size);
  for (const [reason, n] of v.errors) {
    w.str(reason);
    w.uint(n);
  }
  w.counts(v.latencyBuckets);
  w.f64(v.latencySum);
  w.uint(v.latencyCount);
  w.uint(v.feedbackJoined);
  w.uint(v.feedbackDuplicate);
  w.uint(v.correct);
  w.uint(v.labeled);
  w.uint(v.unknownFeature);
  w.uint(v.wrongType);
  w.uint(internals<VersionInternals>(v).reservedClasses);
  writeWindow(w, v.windowPredictions, countCodec);
  const has = (v.classification ? HAS_CLASSIFICATION : 0) | (v.probabilities ? HAS_PROBABILITIES : 0) | (v.regression ? HAS_REGRESSION : 0);
  w.u8(has);
  if (v.classification) writeWindow(w, v.classification, classificationCodec);
  if (v.probabilities) writeWindow(w, v.probabilities, classificationCodec);
  if (v.regression) writeWindow(w, v.regression, regressionCodec);
  const trackers = v.predictionTracker ? [...v.trackers, v.predictionTracker] : v.trackers;
  w.uint(trackers.length);
  for (const t of trackers) {
    w.str(t === v.predictionTracker ? '' : t.name);
    w.u8(t.kind === 'numeric' ? 0 : 1);
    w.uint(fingerprint(t.ref));
    const sub = new ByteWriter();
    writeTracker(sub, t);
    w.bytes(sub.finish());
  }
  writeEstimateSections(w, v);
}

/**
 * Restores into `v`, a version freshly created for the same name (with its reference already
 * set, if it has one). `task` is the model's, so that its quality windows exist. `format`: the
 * snapshot format of the bytes (envelope.ts).
 * Throws SnapshotFormatError when the bytes do not fit; `v` may then be partly written and
 * must be discarded by the caller.
 */
export function readVersion(r: ByteReader, v: VersionState, task: Task | undefined, format: number): void {
  const name = r.str();
  if (name !== v.name) throw new SnapshotFormatError(`snapshot of version ${name}, restoring ${v.name}`);
  v.lastSeen = r.f64();
  v.predictions = r.uint();
  const reasons = r.bounded(MAX_ERROR_REASONS, 'error reasons');
  v.errors.clear();
  for (let k = 0; k < reasons; k++) v.errors.set(r.str(), r.uint());
  const latency = r.counts(v.latencyBuckets.length);
  v.latencyBuckets.set(latency);
  v.latencySum = r.f64();
  v.latencyCount = r.uint();
  v.feedbackJoined = r.uint();
  v.feedbackDuplicate = r.uint();
  v.correct = r.uint();
  v.labeled = r.uint();
  v.unknownFeature = r.uint();
  v.wrongType = r.uint();
  const reserved = r.uint();
  readWindow(r, v.windowPredictions, countCodec, format);
  const has = r.u8();
  if (has & (HAS_CLASSIFICATION | HAS_PROBABILITIES)) v.ensureTaskWindows('classification');
  if (has & HAS_REGRESSION) v.ensureTaskWindows('regression');
  if (task) v.ensureTaskWindows(task);
  if (has & HAS_CLASSIFICATION) readWindow(r, v.classification!, classificationCodec, format);
  if (has & HAS_PROBABILITIES) readWindow(r, v.probabilities!, classificationCodec, format);
  if (has & HAS_REGRESSION) readWindow(r, v.regression!, regressionCodec, format);
  v.reserveClasses(reserved);
  const count = r.bounded(MAX_TRACKERS, 'trackers');
  for (let k = 0; k < count; k++) {
    const trackerName = r.str();
    const kind = r.u8() === 0 ? 'numeric' : 'categorical';
    const print = r.uint();
    const bytes = r.bytes();
    const t = trackerName === '' ? v.predictionTracker : v.trackerByName.get(trackerName);
    // A reference replaced since the snapshot: its drift windows start empty.
    if (!t || t.kind !== kind || fingerprint(t.ref) !== print) continue;
    const sub = new ByteReader(bytes);
    readTracker(sub, t, format);
  }
  readEstimateSections(r, v, format);
  v.revision++;
}

function writeTracker(w: ByteWriter, t: FeatureTracker): void {
  if (t.kind === 'numeric') writeWindow(w, t.window, numericCodec);
  else writeWindow(w, t.window, categoricalCodec);
}

function readTracker(r: ByteReader, t: FeatureTracker, format: number): void {
  if (t.kind === 'numeric') readWindow(r, t.window, numericCodec, format);
  else readWindow(r, t.window, categoricalCodec, format);
}

const prints = new WeakMap<FeatureReference, number>();

/** CRC-32 of the reference's JSON: equal for the same stored reference on any replica. */
export function fingerprint(ref: FeatureReference): number {
  let p = prints.get(ref);
  if (p === undefined) prints.set(ref, (p = zlib.crc32(JSON.stringify(ref))));
  return p;
}
