import { estimatedMetrics } from '../stats/index.js';
import { escapeLabelValue } from '../ingest/bounded-names.js';
import { LABEL_DELAY_BUCKETS_SECONDS } from '../ingest/label-tracking.js';
import { PENDING_AGE_BOUNDS_SECONDS } from '../ingest/pending-ages.js';
import type { VersionState } from '../ingest/version-state.js';
import type { FamilyParts } from './family-writer.js';

/** The catalog families written here, in the order a collector lists them. */
export const ESTIMATE_FAMILIES = [
  'estimatedAccuracy',
  'estimatedAccuracyLower',
  'estimatedAccuracyUpper',
  'estimatedPrecision',
  'estimatedRecall',
  'estimatedF1',
  'estimatedPrecisionAveraged',
  'estimatedRecallAveraged',
  'estimatedF1Averaged',
  'estimatedRocAuc',
  'estimatedEvents',
  'calibrationError',
  'labelCoverage',
  'labelsPending',
  'labelDelay',
] as const;

export type EstimateFamily = (typeof ESTIMATE_FAMILIES)[number];

const DELAY_LE = [...LABEL_DELAY_BUCKETS_SECONDS.map(String), '+Inf'];
const AGE_LE = [...PENDING_AGE_BOUNDS_SECONDS.map(String), '+Inf'];

/**
 * A version's label-free estimate and label series into `w`; `f` maps each family to its index
 * in the writer. Estimate series appear once the version's reference carries a calibration and
 * its window holds a scored prediction; label coverage once the window holds a prediction.
 */
export function renderEstimateLines(w: FamilyParts, f: Record<EstimateFamily, number>, v: VersionState): void {
  const mv = v.labels;
  const predictions = v.windowPredictions.total.count;
  if (predictions > 0) w.sample(f.labelCoverage, mv, Math.min(1, v.labelTracking.labelled.total.count / predictions));
  const ages = v.labelTracking.pending.cumulative();
  for (let i = 0; i < AGE_LE.length; i++) w.sample(f.labelsPending, `${mv},age_le="${AGE_LE[i]}"`, ages[i]);
  const l = v.labelTracking;
  let cumulative = 0;
  for (let i = 0; i < DELAY_LE.length; i++) {
    cumulative += l.delayBuckets[i];
    w.sample(f.labelDelay, `${mv},le="${DELAY_LE[i]}"`, cumulative, '_bucket');
  }
  w.sample(f.labelDelay, mv, l.delaySum, '_sum');
  w.sample(f.labelDelay, mv, l.delayCount, '_count');

  const e = v.estimate;
  if (!e) return;
  w.sample(f.calibrationError, `${mv},scores="raw"`, e.cal.eceBefore);
  w.sample(f.calibrationError, `${mv},scores="calibrated"`, e.cal.eceAfter);
  w.sample(f.estimatedEvents, mv, e.window.total.count);
  const m = estimatedMetrics(e.window.total, e.classNames);
  if (!m) return;
  w.sample(f.estimatedAccuracy, mv, m.accuracy);
  w.sample(f.estimatedAccuracyLower, mv, m.accuracyLower);
  w.sample(f.estimatedAccuracyUpper, mv, m.accuracyUpper);
  for (const [c, x] of Object.entries(m.perClass)) {
    const labels = `${mv},class="${escapeLabelValue(c)}"`;
    w.sample(f.estimatedPrecision, labels, x.precision);
    w.sample(f.estimatedRecall, labels, x.recall);
    w.sample(f.estimatedF1, labels, x.f1);
  }
  if (m.macro) {
    const labels = `${mv},average="macro"`;
    w.sample(f.estimatedPrecisionAveraged, labels, m.macro.precision);
    w.sample(f.estimatedRecallAveraged, labels, m.macro.recall);
    w.sample(f.estimatedF1Averaged, labels, m.macro.f1);
  }
  if (m.rocAuc !== undefined) w.sample(f.estimatedRocAuc, mv, m.rocAuc);
}
