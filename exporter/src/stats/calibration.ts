import { applyIsotonic, fitIsotonic, type IsotonicMap } from './isotonic.js';
import { inferPositiveClass, POSITIVE_CLASS_RULE } from './positive-class.js';

/** Bins of the expected calibration error: 10 of width 0.1 on [0, 1] (the last one closed). */
export const ECE_BINS = 10;
/** Most bins of the estimated-ROC-AUC histogram (edges on the reference's calibrated quantiles). */
export const AUC_BINS = 64;

/** How well the reference's scores were calibrated before and after the fitted map. */
export interface CalibrationQuality {
  /** Expected calibration error of the raw scores on the reference (see `expectedCalibrationError`). */
  eceBefore: number;
  /** The same after calibration, in-sample (isotonic fits the reference, so this is optimistic). */
  eceAfter: number;
  /** Labelled, scored reference rows the map was fitted on. */
  count: number;
}

/**
 * Binary calibration: `map` takes the raw score (probability of `positiveClass`) to a calibrated
 * P(y = positiveClass). `aucEdges` are the bin edges of the estimated-ROC-AUC histogram.
 */
export interface BinaryCalibration extends CalibrationQuality {
  kind: 'binary';
  positiveClass: string;
  map: IsotonicMap;
  aucEdges: number[];
}

/** Multiclass: one one-vs-rest map per class (`classes` sorted), rows renormalised after mapping. */
export interface MulticlassCalibration extends CalibrationQuality {
  kind: 'multiclass';
  classes: string[];
  maps: IsotonicMap[];
}

export type Calibration = BinaryCalibration | MulticlassCalibration;

/** A reference whose labels and scores cannot be calibrated; `path` names the field. */
export class CalibrationInputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'CalibrationInputError';
  }
}

/**
 * The positive class of binary scores: the one stated, else the one the labels imply by the
 * shared rule (positive-class.ts: {"0","1"} or {"false","true"}). Throws CalibrationInputError
 * (path `positive_class`) otherwise — a class is never invented.
 */
export function binaryPositiveClass(labels: readonly string[], stated: string | undefined): string {
  const distinct = new Set(labels);
  if (stated !== undefined) {
    if (distinct.size > 2 || (distinct.size === 2 && !distinct.has(stated)))
      throw new CalibrationInputError('labels', `binary scores need two classes, one of them positive_class ${stated}`);
    return stated;
  }
  const inferred = inferPositiveClass(distinct);
  if (inferred !== undefined) return inferred;
  throw new CalibrationInputError(
    'positive_class',
    `labels ${[...distinct].slice(0, 3).join(', ')} do not say which class score is the probability of: ${POSITIVE_CLASS_RULE}`,
  );
}

/**
 * Fits the binary calibration map: isotonic regression (pool-adjacent-violators, sklearn's
 * `IsotonicRegression(out_of_bounds='clip')`) of 1[label = positive] on the score.
 * `labels[i]`, `scores[i]` ∈ [0, 1]: one reference row each.
 */
export function fitBinaryCalibration(labels: readonly string[], scores: readonly number[], positiveClass: string): BinaryCalibration {
  checkRows(labels.length, scores.length, 'score');
  const y = labels.map((l) => (l === positiveClass ? 1 : 0));
  const map = fitIsotonic(scores, y);
  const calibrated = scores.map((s) => applyIsotonic(map, s));
  return {
    kind: 'binary',
    positiveClass,
    map,
    aucEdges: quantileEdges(calibrated, AUC_BINS),
    eceBefore: expectedCalibrationError(y, scores),
    eceAfter: expectedCalibrationError(y, calibrated),
    count: labels.length,
  };
}

/**
 * Fits one isotonic map per class (one-vs-rest, on that class's score; a class missing from a
 * row's scores has score 0). Classes are the union of labels and score keys, sorted.
 */
export function fitMulticlassCalibration(labels: readonly string[], scores: ReadonlyArray<Record<string, number>>): MulticlassCalibration {
  checkRows(labels.length, scores.length, 'scores');
  const set = new Set(labels);
  for (const row of scores) for (const c in row) set.add(c);
  const classes = [...set].sort();
  if (classes.length < 2) throw new CalibrationInputError('scores', 'multiclass scores need at least two classes');
  const raw = classes.map((c) => scores.map((row) => row[c] ?? 0));
  const maps = classes.map((c, j) =>
    fitIsotonic(
      raw[j],
      labels.map((l) => (l === c ? 1 : 0)),
    ),
  );
  const cal: MulticlassCalibration = { kind: 'multiclass', classes, maps, eceBefore: 0, eceAfter: 0, count: labels.length };
  const calibrated = classes.map(() => new Array<number>(labels.length));
  const row = new Float64Array(classes.length);
  for (let i = 0; i < labels.length; i++) {
    calibrateRow(cal, (j) => raw[j][i], row);
    for (let j = 0; j < classes.length; j++) calibrated[j][i] = row[j];
  }
  let before = 0;
  let after = 0;
  classes.forEach((c, j) => {
    const y = labels.map((l) => (l === c ? 1 : 0));
    before += expectedCalibrationError(y, raw[j]);
    after += expectedCalibrationError(y, calibrated[j]);
  });
  cal.eceBefore = before / classes.length;
  cal.eceAfter = after / classes.length;
  return cal;
}

/**
 * Calibrated class probabilities of one multiclass event into `out` (length k): each class's
 * map applied to its raw score (`raw(j)`), then the row divided by its sum so it sums to 1;
 * a row that maps to all zeros becomes uniform.
 */
export function calibrateRow(cal: MulticlassCalibration, raw: (j: number) => number, out: Float64Array): void {
  const k = cal.classes.length;
  let sum = 0;
  for (let j = 0; j < k; j++) {
    out[j] = applyIsotonic(cal.maps[j], raw(j));
    sum += out[j];
  }
  for (let j = 0; j < k; j++) out[j] = sum > 0 ? out[j] / sum : 1 / k;
}

/**
 * Expected calibration error of probabilities `p` for outcomes `y` ∈ {0, 1}: with 10 bins of
 * width 0.1 (bin = min(⌊10p⌋, 9)), Σ_b |Σ_{i∈b} (y_i − p_i)| / n — the bin-count-weighted
 * mean gap between observed frequency and mean probability (Naeini et al. 2015; multiclass:
 * the mean over classes of this one-vs-rest error, "classwise ECE").
 */
export function expectedCalibrationError(y: readonly number[], p: readonly number[]): number {
  const gap = new Float64Array(ECE_BINS);
  for (let i = 0; i < y.length; i++) gap[Math.min(Math.floor(p[i] * ECE_BINS), ECE_BINS - 1)] += y[i] - p[i];
  let sum = 0;
  for (const g of gap) sum += Math.abs(g);
  return sum / y.length;
}

/**
 * Distinct values among the `bins`-quantiles of `values` (order statistic ⌊j·n/bins⌋,
 * j = 1..bins−1): histogram edges that follow where the reference's probabilities are.
 */
export function quantileEdges(values: readonly number[], bins: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let j = 1; j < bins; j++) {
    const v = sorted[Math.floor((j * sorted.length) / bins)];
    if (v > sorted[0] && (edges.length === 0 || v > edges[edges.length - 1])) edges.push(v);
  }
  return edges;
}

function checkRows(labels: number, scores: number, field: string): void {
  if (labels === 0) throw new CalibrationInputError('labels', 'labels must not be empty');
  if (labels !== scores) throw new CalibrationInputError(field, `${field} has ${scores} rows but labels has ${labels}`);
}
