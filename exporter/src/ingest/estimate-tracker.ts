import { SlidingWindow } from '../windows/sliding-window.js';
import { applyIsotonic, aucBin, calibrateRow, EstimateState, newEstimateState, type Calibration } from '../stats/index.js';
import type { PredictionEvent } from './schemas.js';

/** The label-free estimate of one version: its reference's calibration and a window of estimate states. */
export interface EstimateTracker {
  readonly cal: Calibration;
  readonly window: SlidingWindow<EstimateState>;
  /** Class names by estimate index: binary [not positive, positive]; multiclass the calibration's classes. */
  readonly classNames: string[];
  readonly classIndex: Map<string, number>;
  readonly scratch: Float64Array;
}

/** The tracker for a calibration, on the coarse (histogram) window geometry. */
export function makeEstimateTracker(cal: Calibration, bucketMs: number, buckets: number): EstimateTracker {
  const classNames = cal.kind === 'binary' ? [`not ${cal.positiveClass}`, cal.positiveClass] : cal.classes;
  return {
    cal,
    window: new SlidingWindow(() => newEstimateState(cal), bucketMs, buckets),
    classNames,
    classIndex: new Map(classNames.map((c, i) => [c, i])),
    scratch: new Float64Array(classNames.length),
  };
}

/**
 * Adds a prediction at time `t` to the estimate, when it carries what the calibration needs:
 * binary — `score` (or `scores[positive]`); multiclass — `scores` and a predicted class the
 * reference knows. Returns whether it was counted. O(1) for binary, O(k) for k classes.
 */
export function observeEstimate(tr: EstimateTracker, t: number, e: PredictionEvent): boolean {
  const cal = tr.cal;
  const pred = String(e.prediction);
  if (cal.kind === 'binary') {
    const score = e.score ?? e.scores?.[cal.positiveClass];
    if (score === undefined) return false;
    const b = tr.window.bucketAt(t);
    if (!b) return false;
    const positive = pred === cal.positiveClass;
    const p = applyIsotonic(cal.map, score);
    const bin = aucBin(cal.aucEdges, p);
    b.addBinary(p, positive, bin);
    tr.window.total.addBinary(p, positive, bin);
    return true;
  }
  const scores = e.scores;
  const p = tr.classIndex.get(pred);
  if (scores === undefined || p === undefined) return false;
  const b = tr.window.bucketAt(t);
  if (!b) return false;
  calibrateRow(cal, (j) => scores[cal.classes[j]] ?? 0, tr.scratch);
  b.addMulticlass(tr.scratch, p);
  tr.window.total.addMulticlass(tr.scratch, p);
  return true;
}
