import type { NumericFeatureReference } from './feature-reference.js';
import { ksPValue } from './ks-pvalue.js';
import type { NumericFeatureState } from './numeric-state.js';
import { psiFromProportions } from './psi.js';
import { countBelow } from './quantile.js';

export interface NumericDrift {
  /** PSI over the reference decile bins (a, b], proportions floored at 1e-4. */
  psi: number;
  /** Two-sample KS statistic: exact, or within 1/200 + 1/n of `scipy.stats.ks_2samp` (see below). */
  ksStatistic: number;
  /** p-value of `ksStatistic` as `scipy.stats.ks_2samp(method='asymp')`: `kstwo.sf(D, round(n·m/(n+m)))` (see ks-pvalue.ts). */
  ksPValue: number;
  /** missing / (missing + non-missing) in the window. */
  missingRatio: number;
  /** Share of the window's non-missing values outside [ref.min, ref.max]. */
  outOfRangeRatio: number;
}

/**
 * Drift of a window against its numeric reference; undefined when the window holds no
 * non-missing value.
 *
 * KS statistic. ks_2samp's D is sup_x |F_ref(x) − F_cur(x)| over both empirical CDFs (right-
 * continuous). We evaluate the difference exactly at every fine cut point e_i and just below
 * it (F(e_i) and F(e_i−), both known exactly for reference and window), and take the max: this
 * never exceeds the true D. Conversely, for x strictly between consecutive cut points
 * e_i < x < e_{i+1}, with F monotone:
 *   F_ref(x) − F_cur(x) ≤ F_ref(e_{i+1}−) − F_cur(e_i)
 *                      = [F_ref(e_i) − F_cur(e_i)] + R(e_i, e_{i+1}),
 *   F_cur(x) − F_ref(x) ≤ F_cur(e_{i+1}−) − F_ref(e_i)
 *                      = [F_cur(e_{i+1}−) − F_ref(e_{i+1}−)] + R(e_i, e_{i+1}),
 * where R(a, b) is the reference mass of the OPEN interval (a, b) (same with ±inf at the ends).
 * So the true D exceeds ours by at most max R over open fine bins. With numpy 'linear'
 * quantiles at k/200 on n sorted values, an open interval between the cut points at k/200 and
 * (k+1)/200 (merged equal cut points only shrink it) holds the sample indices j with
 * floor(h_k) < j < h_{k+1}, h_k = (n−1)·k/200, i.e. at most ceil((n−1)/200) values; likewise
 * below the first and above the last cut point. Hence
 *   0 ≤ D_true − ksStatistic ≤ ceil((n−1)/200)/n < 1/200 + 1/n,
 * which is ≤ 0.01 for any reference of n ≥ 200 values, and ≤ 0.005 when n−1 is a multiple of
 * 200. A reference with at most 200 distinct values has each of them as a cut point too
 * (feature-reference.ts), so every open fine bin holds no reference mass and the statistic is
 * exact — which covers small references (n < 200), where the bound above would exceed 0.01.
 */
export function numericDrift(ref: NumericFeatureReference, s: NumericFeatureState): NumericDrift | undefined {
  const m = s.count;
  if (m === 0) return undefined;
  const bins = s.fineCounts();
  const { cdf, psiClose, current } = planFor(ref);

  // One pass over the fine bins j = 0..2E−1 (cdf[j] is F_ref at the right end of bin j: just
  // below a cut point for even j, at it for odd j): the KS maximum, and the window's share of
  // each PSI bin, closed at the fine bin of its cut point. The comparison is made at the same
  // values, in the same floating-point steps, as a textbook two-array loop would; this form
  // only saves the index arithmetic and keeps every array a typed one (a scrape of 1,000
  // models × 20 features runs it ~17k times).
  let ks = 0;
  let cumulative = 0;
  let previous = 0;
  let p = 0;
  let close = psiClose[0];
  for (let j = 0; j < cdf.length; j++) {
    cumulative += bins[j];
    const d = cdf[j] - cumulative / m;
    if (d > ks) ks = d;
    else if (-d > ks) ks = -d;
    if (j === close) {
      current[p++] = (cumulative - previous) / m;
      previous = cumulative;
      close = psiClose[p];
    }
  }
  current[p] = (m - previous) / m;

  return {
    psi: psiFromProportions(ref.psiRefProportions, current),
    ksStatistic: ks,
    ksPValue: ksPValue(ks, ref.count, m),
    missingRatio: s.missing / (s.missing + m),
    outOfRangeRatio: s.outOfRange / m,
  };
}

/** What numericDrift needs from a reference beyond its fields, derived once per reference. */
interface DriftPlan {
  /** F_ref at the right end of fine bin j, for j < 2E: cdf[2i] = F_ref(e_i−), cdf[2i+1] = F_ref(e_i). */
  cdf: Float64Array;
  /** Fine bin (2i+1) of each PSI cut point e_i, then −1 (never reached) as an end marker. */
  psiClose: Int32Array;
  /** Scratch for the window's PSI proportions (scrapes run one at a time). */
  current: Float64Array;
}

const plans = new WeakMap<NumericFeatureReference, DriftPlan>();

function planFor(ref: NumericFeatureReference): DriftPlan {
  let plan = plans.get(ref);
  if (plan) return plan;
  const psiClose = new Int32Array(ref.psiEdges.length + 1).fill(-1);
  ref.psiEdges.forEach((e, k) => {
    const i = countBelow(ref.edges, e);
    if (ref.edges[i] !== e) throw new RangeError('reference PSI cut point missing from its fine grid');
    psiClose[k] = 2 * i + 1;
  });
  const below = cdfBelowEdges(ref);
  const cdf = new Float64Array(2 * ref.edges.length);
  for (let i = 0; i < ref.edges.length; i++) {
    cdf[2 * i] = below[i];
    cdf[2 * i + 1] = ref.cdfAtEdges[i];
  }
  plan = { cdf, psiClose, current: new Float64Array(ref.psiEdges.length + 1) };
  plans.set(ref, plan);
  return plan;
}

/**
 * F_ref just below each cut point. Profiles persisted before `cdfBelowEdges` existed lack it;
 * for those, F_ref at the previous cut point stands in (a lower bound, off by the reference
 * mass strictly between the two cut points plus any atom at the cut point).
 */
function cdfBelowEdges(ref: NumericFeatureReference): readonly number[] {
  if (Array.isArray(ref.cdfBelowEdges) && ref.cdfBelowEdges.length === ref.edges.length) return ref.cdfBelowEdges;
  return ref.edges.map((_, i) => (i === 0 ? 0 : ref.cdfAtEdges[i - 1]));
}
