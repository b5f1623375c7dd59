/**
 * Fixed binning of probability scores for ROC AUC, in log-odds (logit p = ln p − ln(1 − p)) so
 * that scores near 0 or 1 keep resolution. From low to high score:
 *
 * | bins | holds                                         | bin width in logit           |
 * |------|-----------------------------------------------|------------------------------|
 * | 1    | p = 0 exactly                                 | (one value)                  |
 * | 128  | logit below −48 (p < 1.4e-21), to 5e-324      | 1.04 at −48 to 16 at −745    |
 * | 256  | logit in [−48, −16)                           | 1/8                          |
 * | 1024 | logit in [−16, 16), p ≈ 1.1e-7 to 1 − 1.1e-7  | 1/32                         |
 * | 168  | logit in [16, 37)                             | 1/8                          |
 * | 1    | p = 1 exactly                                 | (one value)                  |
 *
 * Why these ranges: the largest double below 1 is 1 − 2⁻⁵³, logit ≈ 36.74, so [16, 37) holds
 * every double in (1 − 1.1e-7, 1); float32 scores stop at 1 − 2⁻²⁴ (logit 16.6) and then
 * saturate to exactly 1. Towards 0 doubles go on to 5e-324 (logit −744.4; float32 to 1.4e-45,
 * logit −103.3) before they underflow to exactly 0. Resolution is spent where real models put
 * scores: a confident rare-event model's negatives sit around logit −20 ± 8 (1/8 there); below
 * −48 the bins are uniform in ln(−logit), 2.2% wide each, so that naive-Bayes-like scores
 * spread over hundreds of logit units (1e-20 to 1e-300) still get a hundred bins, while exact 0
 * and 1 — what float32 sigmoids saturate to — get bins of their own and stay exact ties, as
 * sklearn treats them. 1,578 bins in all, against 1,026 for the grid before, which ended at ±16:
 * this grid's counts take ~199 KB of a binary probabilities window at the default geometry (12
 * buckets and a total; 137 KB before), the adaptive grid's (adaptive-grid.ts) as much again
 * (`npm run bench`, BENCH_ONLY=ingest).
 *
 * Error: only pairs of a positive and a negative in one bin can be misjudged (each by ½); in
 * the two one-value bins they are real ties, which sklearn also counts ½. See aucWithBound and
 * roc-auc.ts for the bound this gives.
 */
export const LOGIT_LIMIT = 16;
export const BINS_PER_LOGIT_UNIT = 32;
/** Logit where the 1/8 bins below the fine ones end, and the ln(−logit) bins start. */
const LOW_LOGIT = -48;
/** Beyond the logit of the smallest double, 5e-324 (−744.44). */
const FAR_LOGIT = -746;
/** Top of the 1/8 bins above the fine ones (past every double below 1). */
const HIGH_LOGIT = 37;
const COARSE_PER_UNIT = 8;
const FAR_BINS = 128;
const FAR_PER_LN = FAR_BINS / Math.log(FAR_LOGIT / LOW_LOGIT);
const LOW_BINS = (-LOGIT_LIMIT - LOW_LOGIT) * COARSE_PER_UNIT;
const MID_BINS = 2 * LOGIT_LIMIT * BINS_PER_LOGIT_UNIT;
const HIGH_BINS = (HIGH_LOGIT - LOGIT_LIMIT) * COARSE_PER_UNIT;
/** First bin of each run (bin 0 is p = 0). */
const FAR_START = 1;
const LOW_START = FAR_START + FAR_BINS;
const MID_START = LOW_START + LOW_BINS;
const HIGH_START = MID_START + MID_BINS;
export const SCORE_BINS = HIGH_START + HIGH_BINS + 1;
/** The bins that hold a single score value (p = 0 and p = 1): pairs tied in them are exact ties. */
export const EXACT_SCORE_BINS: readonly number[] = [0, SCORE_BINS - 1];

/** Bin of a probability in [0, 1]; monotone non-decreasing in p. */
export function scoreBin(p: number): number {
  const logit = Math.log(p) - Math.log1p(-p);
  if (logit >= -LOGIT_LIMIT) {
    if (logit < LOGIT_LIMIT) return MID_START + Math.min(MID_BINS - 1, Math.floor((logit + LOGIT_LIMIT) * BINS_PER_LOGIT_UNIT));
    if (logit === Infinity) return SCORE_BINS - 1;
    return HIGH_START + Math.min(HIGH_BINS - 1, Math.floor((logit - LOGIT_LIMIT) * COARSE_PER_UNIT));
  }
  if (logit >= LOW_LOGIT) return LOW_START + Math.min(LOW_BINS - 1, Math.floor((logit - LOW_LOGIT) * COARSE_PER_UNIT));
  if (logit === -Infinity) return 0;
  // Counted down from −48: the further below, the lower the bin (NaN cannot reach here: p in [0, 1]).
  const down = Math.floor(Math.log(logit / LOW_LOGIT) * FAR_PER_LN);
  return LOW_START - 1 - Math.min(FAR_BINS - 1, down);
}

/**
 * The grid before the one above (snapshot formats up to 3): 1/32 in logit over [−16, 16) as
 * bins 1..1024, and one open bin at each end (bin 0: logit < −16, p = 0 included; bin 1025:
 * logit ≥ 16, p = 1 included).
 */
export const SCORE_BINS_V3 = 2 * LOGIT_LIMIT * BINS_PER_LOGIT_UNIT + 2;

/**
 * The bin of this grid that takes the counts of bin `i` of the grid before (SCORE_BINS_V3).
 * Inside ±16 the bins are the same, so the move is exact. Each old open end bin held scores
 * that now spread over 385 (below −16) or 169 (above 16) bins, and nothing recorded which, so
 * its counts go to one new bin: the one next to the fine bins, [−16.125, −16) or [16, 16.125) —
 * never the one-value bins of p = 0 or 1, whose ties the bound counts as exact. Among themselves
 * and against the fine bins the moved counts keep their order, so a restored window shows the
 * AUC and bound it showed before; scores added after the upgrade beyond ±16 are compared with
 * them as if they sat at ±16 (pairs the bound does not cover) until the old buckets leave the
 * window — at most one window length after the upgrade.
 */
export function migrateScoreBinV3(i: number): number {
  if (!Number.isInteger(i) || i < 0 || i >= SCORE_BINS_V3) throw new RangeError(`old score bin ${i} out of range`);
  if (i === 0) return MID_START - 1;
  if (i === SCORE_BINS_V3 - 1) return HIGH_START;
  return MID_START + i - 1;
}

/**
 * Area under the ROC curve from score histograms of positives and negatives (bins in score
 * order): a pair with the positive in a higher bin counts 1, a pair in the same bin 1/2 (the
 * trapezoid rule, which is also how sklearn scores exactly tied scores). Only pairs falling in
 * one bin can be misjudged, and each by at most 1/2, so the exact AUC lies within
 * `bound` = ½·Σ_b pos_b·neg_b / (P·N) of `auc` — a bound computed from the counts themselves.
 * Bins listed in `exact` hold one score value each (e.g. EXACT_SCORE_BINS): their pairs are
 * true ties, which sklearn also counts ½, so they add nothing to the bound. `order`: the bins in
 * score order when they are not stored in it (the adaptive grid's, adaptive-grid.ts); every bin with
 * a count must be listed. Undefined without positives or negatives.
 */
export function aucWithBound(
  pos: ArrayLike<number>,
  neg: ArrayLike<number>,
  exact: readonly number[] = [],
  order?: ArrayLike<number>,
): { auc: number; bound: number } | undefined {
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
  const n = order ? order.length : pos.length;
  for (let r = 0; r < n; r++) {
    const b = order ? order[r] : r;
    area += pos[b] * (negativesBelow + neg[b] / 2);
    tied += pos[b] * neg[b];
    negativesBelow += neg[b];
  }
  for (const b of exact) if (b < pos.length) tied -= pos[b] * neg[b];
  const pairs = positives * negatives;
  return { auc: area / pairs, bound: tied / 2 / pairs };
}

/** `aucWithBound(...).auc`. */
export function aucFromHistograms(pos: ArrayLike<number>, neg: ArrayLike<number>): number | undefined {
  return aucWithBound(pos, neg)?.auc;
}
