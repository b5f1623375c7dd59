/**
 * Fixed binning of probability scores for ROC AUC, uniform in log-odds so that scores near
 * 0 or 1 keep resolution: bins of width 1/32 in logit(p) over [-16, 16] (p from ~1.1e-7 to
 * 1 − 1.1e-7), plus one open-ended bin at each end (p = 0 and p = 1 included).
 */
export const LOGIT_LIMIT = 16;
export const BINS_PER_LOGIT_UNIT = 32;
export const SCORE_BINS = 2 * LOGIT_LIMIT * BINS_PER_LOGIT_UNIT + 2;

/** Bin of a probability in [0, 1]; monotone non-decreasing in p. */
export function scoreBin(p: number): number {
  const logit = Math.log(p) - Math.log1p(-p);
  if (!(logit >= -LOGIT_LIMIT)) return 0;
  if (logit >= LOGIT_LIMIT) return SCORE_BINS - 1;
  return 1 + Math.min(SCORE_BINS - 3, Math.floor((logit + LOGIT_LIMIT) * BINS_PER_LOGIT_UNIT));
}

/**
 * Area under the ROC curve from score histograms of positives and negatives (bins in score
 * order): a pair with the positive in a higher bin counts 1, a pair in the same bin 1/2 (the
 * trapezoid rule, which is also how sklearn scores exactly tied scores). Only pairs falling in
 * one bin can be misjudged, and each by at most 1/2, so the exact AUC lies within
 * `bound` = ½·Σ_b pos_b·neg_b / (P·N) of `auc` — a bound computed from the counts themselves.
 * Undefined without positives or negatives.
 */
export function aucWithBound(pos: ArrayLike<number>, neg: ArrayLike<number>): { auc: number; bound: number } | undefined {
  let positives = 0;
  let negatives = 0;
  for (let b = 0; b < pos.length; b++) {
    positives += pos[b];
    negatives += neg[b];
  }
  if (positives === 0 || negatives === 0) return undefined;
  let area = 0;
  let tied = 0;
  let negativesBelow = 0;
  for (let b = 0; b < pos.length; b++) {
    area += pos[b] * (negativesBelow + neg[b] / 2);
    tied += pos[b] * neg[b];
    negativesBelow += neg[b];
  }
  const pairs = positives * negatives;
  return { auc: area / pairs, bound: tied / 2 / pairs };
}

/** `aucWithBound(...).auc`. */
export function aucFromHistograms(pos: ArrayLike<number>, neg: ArrayLike<number>): number | undefined {
  return aucWithBound(pos, neg)?.auc;
}
