import { applyIsotonic } from './isotonic.js';
import { calibrateRow, type BinaryCalibration, type Calibration, type MulticlassCalibration } from './calibration.js';
import { EstimateState } from './estimate-state.js';

import { Z95 } from './wilson.js';

/** z for a two-sided 95% normal interval. */
export { Z95 };

export interface EstimatedClassMetrics {
  precision: number;
  recall: number;
  f1: number;
}

/** The label-free estimate of a window (see `estimatedMetrics`). */
export interface EstimatedMetrics {
  /** Scored events the estimate rests on. */
  count: number;
  accuracy: number;
  /** 95% band for the accuracy the labels will show: accuracy ∓ Z95·√(Σ q(1−q))/n, clipped to [0, 1]. */
  accuracyLower: number;
  accuracyUpper: number;
  /** Binary: the positive class only. Multiclass: every class of the calibration, one-vs-rest. */
  perClass: Record<string, EstimatedClassMetrics>;
  /** Multiclass: unweighted mean over the classes. Binary: absent. */
  macro?: EstimatedClassMetrics;
  /** Binary only, when the window holds expected positives and negatives. */
  rocAuc?: number;
  /** Largest possible |rocAuc − exact expected-ROC AUC| from pairs sharing a histogram bin. */
  rocAucErrorBound?: number;
}

/** A fresh window state shaped for the calibration. */
export function newEstimateState(cal: Calibration): EstimateState {
  return cal.kind === 'binary' ? new EstimateState(2, cal.aucEdges.length + 1) : new EstimateState(cal.classes.length, 0);
}

/** AUC histogram bin of a calibrated probability: the number of edges ≤ p (binary search). */
export function aucBin(edges: readonly number[], p: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds one binary event: raw `score` = P(positive) from the model, and its decision. */
export function estimateBinary(cal: BinaryCalibration, s: EstimateState, score: number, predictedPositive: boolean): void {
  const p = applyIsotonic(cal.map, score);
  s.addBinary(p, predictedPositive, aucBin(cal.aucEdges, p));
}

/**
 * Adds one multiclass event: `raw(j)` the model's score of calibration class j, `pred` the
 * calibration index of its predicted class; `scratch` a Float64Array of k doubles reused by the caller.
 */
export function estimateMulticlass(
  cal: MulticlassCalibration,
  s: EstimateState,
  raw: (j: number) => number,
  pred: number,
  scratch: Float64Array,
): void {
  calibrateRow(cal, raw, scratch);
  s.addMulticlass(scratch, pred);
}

/**
 * Confidence-based performance estimation (CBPE, as NannyML defines it): with calibrated
 * probabilities, each event contributes its probability of each true class to the confusion
 * cells of its predicted class, and the metrics are computed on that expected confusion matrix:
 * - accuracy = Σ_c E[c][c] / n;
 * - per class c (one-vs-rest): TP = E[c][c], FP = Σ_{t≠c} E[t][c], FN = Σ_{p≠c} E[c][p];
 *   precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2TP/(2TP+FP+FN), each 0 when its
 *   denominator is 0 (sklearn's zero_division=0); macro = their unweighted mean;
 * - ROC AUC (binary): the area under the expected ROC curve — ranking events by calibrated
 *   P(positive), expected TPR/FPR from cumulative Σp / Σ(1−p) — which equals
 *   Σ_{i,j} p_i(1−p_j)·(1[p_i>p_j] + ½·1[p_i=p_j]) / (Σp·Σ(1−p)). Computed from the state's
 *   histogram (bins on the reference's calibrated quantiles) with pairs in one bin counted ½,
 *   so it is within `rocAucErrorBound` = ½·Σ_b pos_b·neg_b/(P·N) of the exact value;
 * - band: if calibration holds, the number of correct predictions is a sum of independent
 *   Bernoulli(q_i), q_i the calibrated probability of the predicted class; its variance is
 *   Σ q_i(1−q_i), giving accuracy ± 1.96·√(Σ q_i(1−q_i))/n (normal approximation) for the
 *   realized accuracy. It does not cover calibration error or concept shift.
 * Undefined for an empty window. `classNames`: binary [negative, positive]; multiclass the
 * calibration's classes.
 */
export function estimatedMetrics(s: EstimateState, classNames: readonly string[]): EstimatedMetrics | undefined {
  const n = s.count;
  if (n === 0) return undefined;
  const k = s.k;
  let correct = 0;
  for (let c = 0; c < k; c++) correct += s.cell(c, c);
  const accuracy = correct / n;
  const half = (Z95 * Math.sqrt(Math.max(0, s.varianceSum))) / n;
  const out: EstimatedMetrics = {
    count: n,
    accuracy,
    accuracyLower: Math.max(0, accuracy - half),
    accuracyUpper: Math.min(1, accuracy + half),
    perClass: {},
  };
  const classes = k === 2 && s.bins > 0 ? [1] : Array.from({ length: k }, (_, c) => c);
  let macroP = 0;
  let macroR = 0;
  let macroF = 0;
  for (const c of classes) {
    let predicted = 0;
    let actual = 0;
    for (let o = 0; o < k; o++) {
      predicted += s.cell(o, c);
      actual += s.cell(c, o);
    }
    const tp = s.cell(c, c);
    const m = {
      precision: predicted > 0 ? tp / predicted : 0,
      recall: actual > 0 ? tp / actual : 0,
      f1: predicted + actual > 0 ? (2 * tp) / (predicted + actual) : 0,
    };
    out.perClass[classNames[c]] = m;
    macroP += m.precision;
    macroR += m.recall;
    macroF += m.f1;
  }
  if (classes.length > 1) out.macro = { precision: macroP / k, recall: macroR / k, f1: macroF / k };
  if (s.bins > 0) Object.assign(out, estimatedAuc(s));
  return out;
}

function estimatedAuc(s: EstimateState): { rocAuc?: number; rocAucErrorBound?: number } {
  let P = 0;
  let N = 0;
  for (let b = 0; b < s.bins; b++) {
    const h = s.aucBin(b);
    P += h.positives;
    N += h.negatives;
  }
  if (!(P > 0 && N > 0)) return {};
  let area = 0;
  let tied = 0;
  let below = 0;
  for (let b = 0; b < s.bins; b++) {
    const h = s.aucBin(b);
    area += h.positives * (below + h.negatives / 2);
    tied += h.positives * h.negatives;
    below += h.negatives;
  }
  return { rocAuc: area / P / N, rocAucErrorBound: tied / 2 / P / N };
}
