import {
  binaryPositiveClass,
  CalibrationInputError,
  fitBinaryCalibration,
  fitMulticlassCalibration,
  type Calibration,
} from '../stats/index.js';
import type { FieldProblem } from '../errors.js';
import type { ReferenceBody } from './schemas.js';

/**
 * The calibration map of the label-free estimate, fitted when a reference upload carries
 * `labels` with `score` (binary) or `scores` (multiclass). Returns the problems (each naming
 * its field) when the fields do not fit together; neither when the upload has none of them.
 */
export function referenceCalibration(body: ReferenceBody): { calibration?: Calibration; problems: FieldProblem[] } {
  const { labels, score, scores } = body;
  if (labels === undefined && score === undefined && scores === undefined) return { problems: [] };
  const problem = (path: string, message: string) => ({ problems: [{ path, message }] });
  if (body.task === 'regression') return problem('labels', 'labels and scores calibrate the estimate of classifiers only');
  if (score !== undefined && scores !== undefined) return problem('scores', 'give score or scores, not both');
  if (labels === undefined) return problem('labels', `labels are required with ${score ? 'score' : 'scores'}`);
  if (score === undefined && scores === undefined)
    return problem('labels', 'labels need score (binary) or scores (multiclass) to fit the calibration');
  const names = labels.map(String);
  try {
    if (score !== undefined) {
      const positive = binaryPositiveClass(names, body.positive_class === undefined ? undefined : String(body.positive_class));
      return { calibration: fitBinaryCalibration(names, score, positive), problems: [] };
    }
    return { calibration: fitMulticlassCalibration(names, scores!), problems: [] };
  } catch (err) {
    if (!(err instanceof CalibrationInputError)) throw err;
    return problem(err.path, err.message);
  }
}

/** Whether a stored calibration has the shape this version writes (older or foreign JSON is dropped). */
export function isStoredCalibration(c: unknown): c is Calibration {
  if (typeof c !== 'object' || c === null) return false;
  const o = c as Record<string, unknown>;
  const isMap = (m: unknown) =>
    typeof m === 'object' && m !== null && Array.isArray((m as { x: unknown }).x) && Array.isArray((m as { y: unknown }).y);
  if (o.kind === 'binary') return typeof o.positiveClass === 'string' && isMap(o.map) && Array.isArray(o.aucEdges);
  if (o.kind === 'multiclass')
    return Array.isArray(o.classes) && Array.isArray(o.maps) && o.maps.length === o.classes.length && o.maps.every(isMap);
  return false;
}
