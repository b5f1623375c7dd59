import { InvalidReferenceError } from './errors.js';
import { countAtOrBelow, countBelow, sortedQuantile } from './quantile.js';

/** Name of the bucket that collects every category not tracked individually. */
export const OTHER_CATEGORY = '__other__';

/** Resolution of the fine grid: cut points at the k/200 reference quantiles. */
const FINE_GRID_STEPS = 200;
/**
 * A reference with at most this many distinct values also gets each value as a cut point, so
 * that no open fine bin holds reference mass and the KS statistic is exact (see numeric-drift.ts);
 * the grid stays under 2·FINE_GRID_STEPS cut points.
 */
const EXACT_GRID_MAX_DISTINCT = FINE_GRID_STEPS;
/** PSI bins: reference deciles. */
const PSI_STEPS = 10;

/**
 * Profile of a numeric reference (training) feature, enough to measure drift of a window
 * against it without keeping the sample.
 *
 * Bins are closed on the right: a value v falls in the PSI bin (psiEdges[i-1], psiEdges[i]],
 * the first bin being (-inf, psiEdges[0]] and the last (psiEdges[last], +inf). This matches
 * `numpy.searchsorted(psiEdges, v, side='left')` in the Python reference generator.
 */
export interface NumericFeatureReference {
  kind: 'numeric';
  /** Number of non-missing reference values. */
  count: number;
  /** Number of missing (null) reference values. */
  missing: number;
  min: number;
  max: number;
  /**
   * Fine grid, ascending: the distinct reference quantiles at k/200, k = 1..199 (numpy 'linear'),
   * plus every distinct reference value when there are at most 200 of them.
   */
  edges: number[];
  /** Exact fraction of non-missing reference values <= edges[i]. */
  cdfAtEdges: number[];
  /**
   * Exact fraction of non-missing reference values < edges[i]. Together with `cdfAtEdges` it
   * makes the reference CDF exact on both sides of every cut point, which keeps the KS
   * statistic accurate when the reference has atoms (ties) at a cut point.
   */
  cdfBelowEdges: number[];
  /** Decile cut points (k/10, k = 1..9, equal ones merged); each is also in `edges`. */
  psiEdges: number[];
  /** Reference share of each PSI bin (psiEdges.length + 1 bins), not floored. */
  psiRefProportions: number[];
}

/** Profile of a categorical reference feature: the most frequent categories and their counts. */
export interface CategoricalFeatureReference {
  kind: 'categorical';
  /** Number of non-missing reference values. */
  count: number;
  missing: number;
  /** Most frequent categories first (ties by name); `__other__` last when some were folded. */
  categories: string[];
  /** counts[i] = number of reference values in categories[i]. */
  counts: number[];
}

export type FeatureReference = NumericFeatureReference | CategoricalFeatureReference;

/**
 * Builds a feature's reference profile from its raw reference sample. null/undefined are
 * missing. The feature is numeric when every non-missing value is a finite number,
 * categorical when every one is a string; the `maxCategories` most frequent categories are
 * kept, the rest summed into `__other__` (as is a literal `__other__` value).
 *
 * @throws InvalidReferenceError for mixed types, non-finite numbers, other value types, or
 *   a sample without any non-missing value.
 */
export function buildFeatureReference(values: ReadonlyArray<number | string | null>, opts: { maxCategories: number }): FeatureReference {
  if (!Number.isInteger(opts.maxCategories) || opts.maxCategories < 1) {
    throw new RangeError('maxCategories must be a positive integer');
  }
  const numbers: number[] = [];
  const strings: string[] = [];
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as unknown;
    if (v === null || v === undefined) missing++;
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new InvalidReferenceError(`value #${i} is not a finite number (${String(v)})`);
      numbers.push(v);
    } else if (typeof v === 'string') strings.push(v);
    else throw new InvalidReferenceError(`value #${i} has unsupported type ${typeof v}`);
  }
  if (numbers.length > 0 && strings.length > 0) {
    throw new InvalidReferenceError(`mixed types: ${numbers.length} numeric and ${strings.length} string values`);
  }
  if (numbers.length > 0) return buildNumericReference(numbers, missing);
  if (strings.length > 0) return buildCategoricalReference(strings, missing, opts.maxCategories);
  throw new InvalidReferenceError('no non-missing value in the reference sample');
}

function buildNumericReference(values: number[], missing: number): NumericFeatureReference {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const edges = withFewDistinctValues(distinctQuantiles(sorted, FINE_GRID_STEPS), sorted);
  const psiEdges = distinctQuantiles(sorted, PSI_STEPS);
  const psiCounts = psiEdges.map((e) => countAtOrBelow(sorted, e));
  const psiRefProportions: number[] = [];
  let previous = 0;
  for (const c of psiCounts) {
    psiRefProportions.push((c - previous) / n);
    previous = c;
  }
  psiRefProportions.push((n - previous) / n);
  return {
    kind: 'numeric',
    count: n,
    missing,
    min: sorted[0],
    max: sorted[n - 1],
    edges,
    cdfAtEdges: edges.map((e) => countAtOrBelow(sorted, e) / n),
    cdfBelowEdges: edges.map((e) => countBelow(sorted, e) / n),
    psiEdges,
    psiRefProportions,
  };
}

/**
 * Quantiles at k/steps for k = 1..steps-1, equal ones merged. The probability is computed as
 * (k * (200/steps)) / 200 so that decile cut points are bit-identical to fine-grid ones.
 */
function distinctQuantiles(sorted: Float64Array, steps: number): number[] {
  const stride = FINE_GRID_STEPS / steps;
  const out: number[] = [];
  for (let k = 1; k < steps; k++) {
    const q = sortedQuantile(sorted, (k * stride) / FINE_GRID_STEPS);
    if (out.length === 0 || q !== out[out.length - 1]) out.push(q);
  }
  return out;
}

/** The grid plus every distinct sample value when there are few; the grid alone otherwise. */
function withFewDistinctValues(grid: number[], sorted: Float64Array): number[] {
  const distinct: number[] = [];
  for (const v of sorted) {
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) continue;
    if (distinct.length === EXACT_GRID_MAX_DISTINCT) return grid;
    distinct.push(v);
  }
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < grid.length || j < distinct.length) {
    const next = j >= distinct.length || (i < grid.length && grid[i] <= distinct[j]) ? grid[i++] : distinct[j++];
    if (merged.length === 0 || merged[merged.length - 1] !== next) merged.push(next);
  }
  return merged;
}

function buildCategoricalReference(values: string[], missing: number, maxCategories: number): CategoricalFeatureReference {
  const tally = new Map<string, number>();
  let other = 0;
  for (const v of values) {
    if (v === OTHER_CATEGORY) other++;
    else tally.set(v, (tally.get(v) ?? 0) + 1);
  }
  const ranked = [...tally.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = ranked.slice(0, maxCategories);
  for (const [, c] of ranked.slice(maxCategories)) other += c;
  const categories = kept.map(([name]) => name);
  const counts = kept.map(([, c]) => c);
  if (other > 0) {
    categories.push(OTHER_CATEGORY);
    counts.push(other);
  }
  return { kind: 'categorical', count: values.length, missing, categories, counts };
}
