import type { ClassHistograms, ClassificationState } from './classification-state.js';
import { aucWithBound, EXACT_SCORE_BINS } from './score-histogram.js';
import { ADAPTIVE_EXACT_BINS } from './adaptive-grid.js';
import { exactTotal } from './exact-sum.js';

/**
 * ROC AUC of a window from its score histograms, over the events that carried probabilities.
 *
 * - Two classes: the AUC of the positive class's probability, `positive` (default class index 1):
 *   sklearn's `roc_auc_score(y == positive, p_positive)`. Ingest passes its binary models'
 *   positive class, whose probability every scored event carries (the other class's may be
 *   missing for events scored before it was first seen).
 * - More classes: the unweighted mean of one-vs-rest AUCs (sklearn's `multi_class='ovr',
 *   average='macro'`) over the classes that have at least one positive and one negative in
 *   the window; the others are skipped, where sklearn would raise instead.
 * Undefined when no class qualifies.
 *
 * Each class's AUC comes from whichever of its histograms (fixed log-odds grid, adaptive grid
 * whose cells follow the scores, adaptive-grid.ts, and the quantile grids laid out on the
 * window's earlier counts that hold every score in it, quantile-grid.ts) misjudges fewer pairs; `bound` is the largest
 * possible distance to the exact AUC (`aucWithBound`), averaged like the AUCs. The adaptive grid
 * gives a band of m distinct scores min(m, ~1,000 less the cells other scores take) cells,
 * however narrow the band (exact 0 and 1 excepted: those are ties sklearn also counts ½, and
 * cost nothing); adaptive-grid.ts says when it cannot help, and the quantile grids cover that
 * case once a window length has passed on a layout taken from it. On the fixed grid
 * (score-histogram.ts) a smooth distribution whose scores fall where bins are w wide in logit
 * gets bound ≈ (w/2)·∫ f₊(x)·f₋(x) dx over those logits x (f₊, f₋ the classes' logit densities):
 * w = 1/32 inside ±16, 1/8 out to logit −48 and up to 1 − 2⁻⁵³, and 2.2% of |logit| below
 * −48, while exact 0 and exact 1 add nothing. For example a float32 sigmoid of logits
 * N(−20 + 6y, 4²) gets a bound near 0.002, scores 10^−u with u spread over [8, 15] about 0.004,
 * and 1 − 10^−u with u over [8, 12.8] about 0.005; the errors against sklearn on these
 * (scripts/reference/generate.py, `extreme_scores`) are 10–100 times smaller than their bounds.
 */
export function rocAucWithBound(s: ClassificationState, classCount: number, positive = 1): { auc: number; bound: number } | undefined {
  if (classCount === 2) {
    const h = s.histograms(positive);
    return h && bestOf(h);
  }
  if (classCount < 2) return undefined;
  const aucs: number[] = [];
  const bounds: number[] = [];
  for (let c = 0; c < Math.min(classCount, s.classCount); c++) {
    const h = s.histograms(c);
    const r = h && bestOf(h);
    if (r !== undefined) {
      aucs.push(r.auc);
      bounds.push(r.bound);
    }
  }
  // Correctly rounded sums: class indices follow first appearance, which follows event order.
  const n = aucs.length;
  return n === 0 ? undefined : { auc: exactTotal(aucs) / n, bound: exactTotal(bounds) / n };
}

/** `rocAucWithBound(...).auc`. */
export function rocAuc(s: ClassificationState, classCount: number, positive?: number): number | undefined {
  return rocAucWithBound(s, classCount, positive)?.auc;
}

function bestOf(h: ClassHistograms): { auc: number; bound: number } | undefined {
  let best = aucWithBound(h.positives, h.negatives, EXACT_SCORE_BINS);
  // On equal bounds the adaptive grid is preferred to the fixed one, and both to a quantile grid.
  const pick = (r: { auc: number; bound: number } | undefined, orEqual: boolean) => {
    if (r && (!best || r.bound < best.bound || (orEqual && r.bound === best.bound))) best = r;
  };
  if (h.adaptivePositives && h.adaptiveNegatives && h.adaptiveOrder)
    pick(aucWithBound(h.adaptivePositives, h.adaptiveNegatives, h.adaptiveExact ?? ADAPTIVE_EXACT_BINS, h.adaptiveOrder), true);
  for (const q of h.quantile ?? []) if (q) pick(aucWithBound(q.positives, q.negatives, [0, q.positives.length - 1]), false);
  return best;
}
