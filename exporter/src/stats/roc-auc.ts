import type { ClassificationState } from './classification-state.js';
import { aucFromHistograms } from './score-histogram.js';

/**
 * ROC AUC of a window from its score histograms (within ~0.005 of
 * `sklearn.metrics.roc_auc_score`; see `aucFromHistograms` for the error bound), over the
 * events that carried probabilities.
 *
 * - Two classes: the AUC of class index 1's probability (sklearn's binary case).
 * - More classes: the unweighted mean of one-vs-rest AUCs (sklearn's `multi_class='ovr',
 *   average='macro'`) over the classes that have at least one positive and one negative in
 *   the window; the others are skipped, where sklearn would raise instead.
 * Undefined when no class qualifies.
 */
export function rocAuc(s: ClassificationState, classCount: number): number | undefined {
  if (classCount === 2) {
    const h = s.histograms(1);
    return h && aucFromHistograms(h.positives, h.negatives);
  }
  if (classCount < 2) return undefined;
  let sum = 0;
  let n = 0;
  for (let c = 0; c < Math.min(classCount, s.classCount); c++) {
    const h = s.histograms(c);
    const auc = h && aucFromHistograms(h.positives, h.negatives);
    if (auc !== undefined) {
      sum += auc;
      n++;
    }
  }
  return n === 0 ? undefined : sum / n;
}
