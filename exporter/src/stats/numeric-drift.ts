import type { NumericFeatureReference } from './feature-reference.js';
import { ksPValue } from './ks-pvalue.js';
import type { NumericFeatureState } from './numeric-state.js';
import { psiFromProportions } from './psi.js';
import { countBelow } from './quantile.js';

export interface NumericDrift {
  /** PSI over the reference decile bins (a, b], proportions floored at 1e-4. */
  psi: number;
  /** Two-sample KS statistic, within 1/200 + 1/n of `scipy.stats.ks_2samp` (see below). */
  ksStatistic: number;
  /** Asymptotic p-value of `ksStatistic`: `kstwobign.sf(sqrt(n·m/(n+m))·D)`. */
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
 * 200.
 */
export function numericDrift(ref: NumericFeatureReference, s: NumericFeatureState): NumericDrift | undefined {
  const m = s.count;
  if (m === 0) return undefined;
  const bins = s.fineCounts();
  const { below, atOrBelow, psiEdgeIndex } = planFor(ref);

  // One pass over the fine bins: the KS maximum, and the window's share of each PSI bin, closed
  // at the fine cut point that equals the PSI cut point.
  let ks = 0;
  let cumulative = 0;
  const current = new Array<number>(psiEdgeIndex.length + 1);
  let nextPsi = 0;
  let previous = 0;
  for (let i = 0; i < below.length; i++) {
    cumulative += bins[2 * i];
    const d1 = Math.abs(below[i] - cumulative / m);
    if (d1 > ks) ks = d1;
    cumulative += bins[2 * i + 1];
    const d2 = Math.abs(atOrBelow[i] - cumulative / m);
    if (d2 > ks) ks = d2;
    if (psiEdgeIndex[nextPsi] === i) {
      current[nextPsi++] = (cumulative - previous) / m;
      previous = cumulative;
    }
  }
  current[nextPsi] = (m - previous) / m;

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
  below: readonly number[];
  atOrBelow: readonly number[];
  /** Fine cut point index of each PSI cut point. */
  psiEdgeIndex: Int32Array;
}

const plans = new WeakMap<NumericFeatureReference, DriftPlan>();

function planFor(ref: NumericFeatureReference): DriftPlan {
  let plan = plans.get(ref);
  if (plan) return plan;
  const psiEdgeIndex = Int32Array.from(ref.psiEdges, (e) => {
    const i = countBelow(ref.edges, e);
    if (ref.edges[i] !== e) throw new RangeError('reference PSI cut point missing from its fine grid');
    return i;
  });
  plan = { below: cdfBelowEdges(ref), atOrBelow: ref.cdfAtEdges, psiEdgeIndex };
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
