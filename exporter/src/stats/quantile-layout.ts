import { KEY_LIMIT, scoreAtKey, scoreKey } from './score-key.js';
import { SCORE_BINS, scoreBin } from './score-histogram.js';

/**
 * Where to put the cells of a grid so that each holds an equal share of a class's scores — the
 * layout of `sklearn.preprocessing.KBinsDiscretizer(strategy='quantile')`, taken on the keys of
 * adaptive-grid.ts (`scoreKey`, monotone in the score) rather than on the scores themselves, and
 * computed from histograms instead of from the scores, which a window does not keep.
 *
 * Why quantiles of each class, half the cells each: a pair of a positive and a negative sharing a
 * cell is the only pair ROC AUC can misjudge (score-histogram.ts, `aucWithBound`), so with cells
 * that each hold at most a 1/h share of the positives the bound is at most
 * ½·Σ_b (P/h)·n_b / (P·N) = 1/(2h), whatever the negatives do and whatever the base rate: 1/510
 * with h = 255 — as long as the scores keep the distribution the layout was taken from.
 */

/**
 * A class's cumulative score counts at known keys, one run per histogram, each ascending in key:
 * fp[i] positives and fn[i] negatives have keys below keys[i]. Scores of exactly 0 and 1 are not
 * counted (every grid has a bin for each).
 */
export interface CdfPoints {
  runs: Array<{ keys: number[]; fp: number[]; fn: number[] }>;
}

/** Empty points, to add histograms to. */
export function emptyCdf(): CdfPoints {
  return { runs: [] };
}

/**
 * Adds what a histogram says of the cumulative counts: at the first key of each cell, the counts
 * below it; at its end, those up to it. `cells(visit)` calls visit(lo, hi, positives, negatives)
 * for each cell of keys [lo, hi), in score order, skipping the bins of exactly 0 and 1. Two
 * histograms of the same scores agree wherever they both know a count, so points of several
 * grids refine each other: a band that is one cell of one grid and two of another is known at
 * three keys.
 */
export function addCdf(into: CdfPoints, cells: (visit: (lo: number, hi: number, pos: number, neg: number) => void) => void): void {
  const run = { keys: [] as number[], fp: [] as number[], fn: [] as number[] };
  let p = 0;
  let n = 0;
  cells((lo, hi, pos, neg) => {
    if (pos === 0 && neg === 0) return;
    run.keys.push(lo);
    run.fp.push(p);
    run.fn.push(n);
    p += pos;
    n += neg;
    run.keys.push(hi);
    run.fp.push(p);
    run.fn.push(n);
  });
  into.runs.push(run);
}

let fixedEdges: Float64Array | undefined;

/**
 * The first key of each bin of the fixed log-odds grid (score-histogram.ts): edges[b] for bins
 * 1 .. SCORE_BINS − 2 (edges[1] = 0: the smallest scores have key 0), edges[SCORE_BINS − 1] =
 * KEY_LIMIT. Found by bisection on the keys (the grid
 * is defined on log-odds, not on keys); a score whose key is an edge's may sit in the bin below,
 * which makes the cumulative counts read at that edge off by the scores on that one key at most —
 * for a layout, not for any statistic.
 */
export function fixedGridEdges(): Float64Array {
  if (fixedEdges) return fixedEdges;
  const edges = new Float64Array(SCORE_BINS);
  edges[SCORE_BINS - 1] = KEY_LIMIT;
  const binAt = (k: number) => scoreBin(scoreAtKey(k));
  for (let b = 1; b < SCORE_BINS - 1; b++) {
    let lo = edges[b - 1];
    let hi = KEY_LIMIT - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (binAt(mid) >= b) hi = mid;
      else lo = mid + 1;
    }
    edges[b] = lo;
  }
  return (fixedEdges = edges);
}

/**
 * The first key of each of at most `cells` cells (the first is 0) that share each class's scores
 * out equally among them — `cells/2` quantiles of the positives and as many of the negatives,
 * of the counts interpolated linearly in key between the points known (a class alone takes
 * every cell). A quantile that falls on one key alone (a score value many events share) gets
 * a cell of that key alone, so that its ties stay apart from its neighbours. Undefined when the
 * points hold no score.
 */
export function quantileStarts(points: CdfPoints, cells: number): Float64Array | undefined {
  // Merged in key order (each run is sorted: a merge, not a sort), one point per key, the counts
  // non-decreasing (two grids may differ by the scores on one key).
  const keys: number[] = [0];
  const fp: number[] = [0];
  const fn: number[] = [0];
  const { runs } = points;
  const at = runs.map(() => 0);
  for (;;) {
    let r = -1;
    for (let j = 0; j < runs.length; j++) if (at[j] < runs[j].keys.length && (r < 0 || runs[j].keys[at[j]] < runs[r].keys[at[r]])) r = j;
    if (r < 0) break;
    const i = at[r]++;
    const k = runs[r].keys[i];
    const p = Math.max(runs[r].fp[i], fp[fp.length - 1]);
    const n = Math.max(runs[r].fn[i], fn[fn.length - 1]);
    if (k === keys[keys.length - 1]) {
      fp[fp.length - 1] = p;
      fn[fn.length - 1] = n;
    } else {
      keys.push(k);
      fp.push(p);
      fn.push(n);
    }
  }
  const P = fp[fp.length - 1];
  const N = fn[fn.length - 1];
  if (P + N === 0) return undefined;
  const hp = P === 0 ? 0 : N === 0 ? cells : Math.floor(cells / 2);
  const cuts: number[] = [];
  const quantiles = (f: number[], total: number, h: number) => {
    let j = 1;
    for (let q = 1; q < h; q++) {
      const level = (q * total) / h;
      while (f[j] < level) j++;
      const lo = keys[j - 1];
      const width = keys[j] - lo;
      if (width === 1) cuts.push(lo, lo + 1);
      else cuts.push(lo + Math.floor(((level - f[j - 1]) / (f[j] - f[j - 1])) * width));
    }
  };
  quantiles(fp, P, hp);
  quantiles(fn, N, cells - hp);
  cuts.sort((a, b) => a - b);
  const distinct = [0];
  for (const k of cuts) if (k > distinct[distinct.length - 1] && k < KEY_LIMIT) distinct.push(k);
  if (distinct.length <= cells) return Float64Array.from(distinct);
  // Isolated ties took cells beyond the budget: keep an evenly spaced subset of the cuts.
  const kept = new Float64Array(cells);
  for (let i = 0; i < cells; i++) kept[i] = distinct[Math.floor((i * distinct.length) / cells)];
  return kept;
}

/** Calls visit for each bin of the fixed grid with class c's counts (see addCdf). */
export function fixedCells(pos: ArrayLike<number>, neg: ArrayLike<number>) {
  const edges = fixedGridEdges();
  return (visit: (lo: number, hi: number, pos: number, neg: number) => void) => {
    for (let b = 1; b < SCORE_BINS - 1; b++) visit(edges[b], edges[b + 1], pos[b], neg[b]);
  };
}

/**
 * A layout (see quantileStarts) of `cells` cells on a labelled score sample — a reference
 * upload's `score` and whether each row is of the positive class — read exactly (each key is a
 * point); scores of exactly 0 and 1 are left out. Undefined for a sample without such scores.
 */
export function sampleStarts(scores: readonly number[], positive: readonly boolean[], cells: number): Float64Array | undefined {
  const rows: Array<[number, boolean]> = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] > 0 && scores[i] < 1) rows.push([scoreKey(scores[i]), positive[i]]);
  rows.sort((a, b) => a[0] - b[0]);
  const points = emptyCdf();
  addCdf(points, (visit) => {
    for (let i = 0; i < rows.length;) {
      const k = rows[i][0];
      let pos = 0;
      let neg = 0;
      for (; i < rows.length && rows[i][0] === k; i++) {
        if (rows[i][1]) pos++;
        else neg++;
      }
      visit(k, k + 1, pos, neg);
    }
  });
  return quantileStarts(points, cells);
}

/** Whether `starts` could be a layout of at most `cells` cells (stored JSON is checked with it). */
export function isLayout(starts: unknown, cells: number): starts is number[] {
  if (!Array.isArray(starts) || starts.length === 0 || starts.length > cells || starts[0] !== 0) return false;
  for (let i = 1; i < starts.length; i++)
    if (!Number.isInteger(starts[i]) || starts[i] <= starts[i - 1] || starts[i] >= KEY_LIMIT) return false;
  return true;
}
