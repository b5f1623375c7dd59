import type { ClassificationState } from './classification-state.js';
import { rocAucWithBound } from './roc-auc.js';
import { exactTotal } from './exact-sum.js';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Number of window events whose true class is this one (for averages: all labeled events). */
  support: number;
}

export interface ClassificationMetrics {
  labeled: number;
  accuracy: number;
  perClass: Record<string, ClassMetrics>;
  macro: ClassMetrics;
  weighted: ClassMetrics;
  rocAuc?: number;
  /** Largest possible |rocAuc − exact ROC AUC| given the histograms (see `rocAucWithBound`). */
  rocAucBound?: number;
  logLoss?: number;
}

/**
 * Quality of a classifier over a window, as scikit-learn computes it on the window's events:
 * - accuracy: `accuracy_score`.
 * - perClass / macro / weighted: `precision_recall_fscore_support(average=None|'macro'|
 *   'weighted', zero_division=0)` over sklearn's default label set, the classes present in
 *   the window's true or predicted labels (perClass has entries only for those).
 * - logLoss: `log_loss` (scikit-learn ≥ 1.2, `eps='auto'`) over the events that carried
 *   probabilities: each row clipped to [ε, 1 − ε], ε = 2⁻⁵² (float64 epsilon), then
 *   renormalised to sum 1; absent when no event carried them.
 * - rocAuc: see `rocAucWithBound`; absent when not computable.
 * Undefined for an empty window. `classNames[i]` names class index i.
 */
export function classificationMetrics(s: ClassificationState, classNames: readonly string[]): ClassificationMetrics | undefined {
  const n = s.labeled;
  if (n === 0) return undefined;
  const k = s.classCount;
  if (classNames.length < k) throw new RangeError(`state has ${k} classes but only ${classNames.length} names`);

  // Null prototype: a class called "__proto__" or "constructor" is a class like any other.
  const perClass = Object.create(null) as Record<string, ClassMetrics>;
  const present: ClassMetrics[] = [];
  let correct = 0;
  for (let c = 0; c < k; c++) {
    let trueCount = 0;
    let predCount = 0;
    for (let o = 0; o < k; o++) {
      trueCount += s.cell(c, o);
      predCount += s.cell(o, c);
    }
    // Right predictions of class c, decided on the exact class names (see ClassificationState.correct).
    const tp = s.correct(c);
    correct += tp;
    if (trueCount === 0 && predCount === 0) continue;
    const precision = predCount === 0 ? 0 : tp / predCount;
    const recall = trueCount === 0 ? 0 : tp / trueCount;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    const m = { precision, recall, f1, support: trueCount };
    perClass[classNames[c]] = m;
    present.push(m);
  }

  const macro = average(present, () => 1, n);
  const weighted = average(present, (m) => m.support, n);
  const result: ClassificationMetrics = { labeled: n, accuracy: correct / n, perClass, macro, weighted };
  const auc = rocAucWithBound(s, classNames.length);
  if (auc !== undefined) {
    result.rocAuc = auc.auc;
    result.rocAucBound = auc.bound;
  }
  const logLoss = s.meanLogLoss();
  if (logLoss !== undefined) result.logLoss = logLoss;
  return result;
}

function average(classes: ClassMetrics[], weight: (m: ClassMetrics) => number, support: number): ClassMetrics {
  // Correctly rounded sums: classes are in order of first appearance, which follows event order.
  const w = exactTotal(classes.map(weight));
  if (w === 0) return { precision: 0, recall: 0, f1: 0, support };
  const mean = (f: (m: ClassMetrics) => number) => exactTotal(classes.map((m) => weight(m) * f(m))) / w;
  return { precision: mean((m) => m.precision), recall: mean((m) => m.recall), f1: mean((m) => m.f1), support };
}
